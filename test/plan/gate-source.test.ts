import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { attachSources, StackFileIndex } from "../../plan/source";
import type { PlanResult } from "../../plan/index";
import { devPlan, REPO } from "./gate-support";


const STACK = `config:
  aws:region: eu-west-1
  shop:hpc:
    enabled: true
  shop:teams:
    - name: payments
      version: v1
    - name: storefront
      environments:
        - { name: api, tier: web }
        - name: jobs
          tier: worker
      database: { kind: rds }
      fileSystem:
        mountPoint: /data
`;

describe("gate: violations traced to the stack file", () => {
    const index = new StackFileIndex(STACK);

    it("finds an application's entry in whichever list of named objects holds it", () => {
        expect(index.entry({ application: "payments" })).to.deep.equal({ path: "shop:teams[0]", line: 6 });
        expect(index.entry({ application: "storefront" })).to.deep.equal({ path: "shop:teams[1]", line: 8 });
        expect(index.entry({ application: "nobody" })).to.equal(undefined);
    });

    it("finds an environment by its config name or by <application>-<name>, flow or block style", () => {
        expect(index.entry({ application: "storefront", environment: "api" })).to.deep.equal({ path: "shop:teams[1].environments[0]", line: 10 });
        expect(index.entry({ application: "storefront", environment: "storefront-jobs" })).to.deep.equal({ path: "shop:teams[1].environments[1]", line: 11 });
    });

    it("finds a service by the entry key its tag names, and falls back to the entry for an unknown one", () => {
        expect(index.entry({ application: "storefront", service: "database" })).to.deep.equal({ path: "shop:teams[1].database", line: 13 });
        expect(index.entry({ application: "storefront", service: "file-system" })).to.deep.equal({ path: "shop:teams[1].fileSystem", line: 14 });
        expect(index.entry({ application: "storefront", service: "queue" })).to.deep.equal({ path: "shop:teams[1]", line: 8 });
    });

    const res = (urn: string, type: string, parent: string | null, tags?: Record<string, string>, sourcePosition?: { uri: string; line: number }) => ({
        urn,
        type,
        parent,
        custom: !type.startsWith("shop:"),
        inputs: tags ? { tags } : {},
        ...(sourcePosition ? { sourcePosition } : {}),
    });
    const u = (n: string) => `urn:pulumi:s::shop::${n}`;

    it("traces resources under a component whose type module is a config key to that key, others to the program line that built them, or to nothing", () => {
        const json = {
            resources: [
                res(u("pulumi:pulumi:Stack::shop-s"), "pulumi:pulumi:Stack", null),
                res(u("shop:hpc:Cluster::hpc"), "shop:hpc:Cluster", u("pulumi:pulumi:Stack::shop-s")),
                res(u("shop:hpc:Cluster$aws:ec2/launchTemplate:LaunchTemplate::lt"), "aws:ec2/launchTemplate:LaunchTemplate", u("shop:hpc:Cluster::hpc"), { Name: "lt" }),
                res(u("aws:s3/bucket:Bucket::loose"), "aws:s3/bucket:Bucket", u("pulumi:pulumi:Stack::shop-s"), { Name: "loose" }),
                res(u("aws:s3/bucket:Bucket::placed"), "aws:s3/bucket:Bucket", u("pulumi:pulumi:Stack::shop-s"), { Name: "placed" }, { uri: "file:///p/src/storage.ts", line: 7 }),
                res(u("aws:s3/bucket:Bucket::read"), "aws:s3/bucket:Bucket", u("pulumi:pulumi:Stack::shop-s"), { Name: "read" }, { uri: "file:///p/node_modules/@pulumi/aws/s3/bucket.js", line: 300 }),
                res(u("aws:rds/instance:Instance::db"), "aws:rds/instance:Instance", u("pulumi:pulumi:Stack::shop-s"), { "platform:application": "storefront", "platform:service": "database" }),
            ],
            violations: [
                { urn: u("shop:hpc:Cluster$aws:ec2/launchTemplate:LaunchTemplate::lt") },
                { urn: u("aws:s3/bucket:Bucket::loose") },
                { urn: u("aws:rds/instance:Instance::db") },
                { urn: null },
                { urn: u("aws:s3/bucket:Bucket::placed") },
                { urn: u("aws:s3/bucket:Bucket::read") },
            ],
        };
        attachSources(json, { programDir: "/p", stackFile: "Pulumi.s.yaml", stackText: STACK });
        const [hpc, loose, db, stack, placed, read] = json.violations as unknown as { source: unknown; owner?: unknown }[];
        expect(hpc.source).to.deep.equal({ file: "Pulumi.s.yaml", line: 3, path: "shop:hpc" });
        expect(loose.source).to.deep.equal({ file: null, line: null, path: null });
        expect(db.source).to.deep.equal({ file: "Pulumi.s.yaml", line: 13, path: "shop:teams[1].database" });
        expect(db.owner).to.deep.equal({ application: "storefront", service: "database" });
        expect(stack.source).to.deep.equal({ file: null, line: null, path: null });
        // Where the program built it, when the run recorded that; never a frame inside a package.
        expect(placed.source).to.deep.equal({ file: "src/storage.ts", line: 7, path: null });
        expect(read.source).to.deep.equal({ file: null, line: null, path: null });
    });
});

describe("gate: sources in the dev plan", function () {
    this.timeout(30000);
    let plan: PlanResult;
    before(async () => {
        plan = await devPlan();
    });

    it("traces every advisory of a catalog resource to the line of its application's entry", () => {
        const lines = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8").split("\n");
        const catalog = plan.json.violations.filter((v: { owner?: unknown }) => v.owner);
        expect(catalog.map((v: { policy: string }) => v.policy)).to.have.members(["multi-az-aurora", "multi-az-rds-instance", "multi-az-redis"]);
        for (const v of catalog) {
            expect(v.source.file).to.equal("Pulumi.dev.yaml");
            expect(v.source.path).to.match(/^platform:applications\[\d\]/);
            // The traced line is inside the entry of the application that owns the resource: the nearest
            // item of the applications list (at that list's indentation) above it.
            const listAt = lines.findIndex((l: string) => /^\s*platform:applications:\s*$/.test(l));
            const itemIndent = lines.slice(listAt + 1).find((l: string) => /^\s*- /.test(l))!.search(/-/);
            const entryLine = lines.slice(0, v.source.line).reverse().find((l: string) => l.search(/\S/) === itemIndent && /^\s*- /.test(l));
            expect(entryLine, v.policy).to.contain(`name: ${v.owner.application}`);
            expect(v.urn).to.contain(`::${v.owner.application}-`);
        }
    });

    it("gives every violation a source: outside the catalog, the program line that built the resource", () => {
        for (const v of plan.json.violations) expect(v.source).to.have.keys("file", "line", "path");
        const nat = plan.json.violations.find((v: { policy: string }) => v.policy === "multi-az-nat-gateways");
        expect(nat.source.path).to.equal(null);
        expect(nat.source.file).to.equal("components/network.ts");
        const line = fs.readFileSync(path.join(__dirname, "..", "..", nat.source.file), "utf8").split("\n")[nat.source.line - 1];
        expect(line).to.match(/new awsxEc2\.Vpc\(/);
    });

    it("names the application with the config path in the text report", async () => {
        const { renderReport } = await import("../../plan/report");
        expect(renderReport(plan)).to.match(/\[multi-az-rds-instance\][^\n]*\n\s+application myclothes[^:\n]*: Pulumi\.dev\.yaml:\d+ platform:applications\[1\]/);
    });
});

describe("gate: sources in the plan contract", function () {
    this.timeout(30000);
    it("validates the dev plan's violations, sources and owners included", async () => {
        const { planSchema } = await import("../../plan/contract");
        const parsed = planSchema.parse((await devPlan()).json);
        expect(parsed.violations.every((v) => v.source !== undefined)).to.equal(true);
        expect(parsed.violations.filter((v) => v.owner).map((v) => v.owner!.application)).to.have.members(["mywordpress", "myclothes", "myclothes"]);
    });
});

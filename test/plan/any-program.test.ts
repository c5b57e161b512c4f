import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../../plan/index";
import { runProgram } from "../../plan/program";
import { loadProject } from "../../plan/project";
import { planCliAsync } from "../support/cli";

/** Any team's program: ES modules, what the engine hands a program, invokes nobody answers, runs that never settle. */

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "test", "fixtures");
const PROBE_PACK = path.join(FIXTURES, "probe-pack");
const config = (region = "us-east-1") => ({ file: "(test)", config: { "aws:region": region }, secretKeys: [], notes: [] });
/** Runs `entry` as the team fixture program's code (its project, stack `dev`), under the plan's mocks. */
const runAsTeamProgram = (entry: () => Promise<unknown>, opts: { region?: string; organization?: string } = {}) =>
    runProgram({ project: loadProject(path.join(FIXTURES, "team-program")), stack: "dev", config: config(opts.region), organization: opts.organization, entry });

describe("offline plan: any team's program", function () {
    this.timeout(60000);

    it("runs an ES module program (.js specifiers naming .ts sources, top-level await) in its own folder and judges it", async () => {
        const plan = await runPlan({ programDir: path.join(FIXTURES, "esm-program"), stack: "dev", policyPackDir: PROBE_PACK });
        expect(plan.exitCode, "the world-open SSH rule reaches the pack").to.equal(1);
        expect(plan.document.violations.map((v) => v.urn)).to.deep.equal(["urn:pulumi:dev::esm-app::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::ssh"]);
        const sg = plan.document.resources.find((r) => r.name === "bastion");
        expect(sg?.inputs.description, "a file read relative to the project").to.equal("a group read from a file relative to the project");
        expect(plan.document.outputs).to.deep.include({ organization: "organization", project: "esm-app", stack: "dev", firstZone: "eu-west-1a" });
    });

    it("runs an ES module program outside this repository with no node_modules of its own, from the gate's packages", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "esm-program-"));
        fs.cpSync(path.join(FIXTURES, "esm-program"), dir, { recursive: true });
        const plan = await runPlan({ programDir: dir, stack: "dev", policyPackDir: PROBE_PACK });
        expect(plan.document.summary).to.deep.equal({ resources: 4, mandatory: 1, advisory: 0 });
    });

    it("resolves the platform's relative paths (version.source.path) against the project being planned", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "team-catalog-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: platform\nruntime: nodejs\nmain: ${JSON.stringify(path.join(REPO, "index.ts"))}\n`);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8").replace(/path: apps\/hello/g, "path: team-bundle"));
        fs.cpSync(path.join(REPO, "apps", "hello"), path.join(dir, "team-bundle"), { recursive: true });
        // The bundle exists only beside the project: resolved against this repository it would fail config validation.
        const plan = await runPlan({ programDir: dir, stack: "dev" });
        const objects = plan.document.resources.filter((r) => r.type.startsWith("aws:s3/bucketObject"));
        expect(objects.length).to.be.greaterThan(0);
        expect(objects.map((o) => o.inputs.source)).to.deep.include({ archive: "team-bundle" });
        expect(process.cwd()).to.equal(REPO);
    });

    it("hands the program its organization, project, stack and root directory", async () => {
        let seen: unknown[] = [];
        await runAsTeamProgram(async () => {
            const pulumi = await import("@pulumi/pulumi");
            seen = [pulumi.getOrganization(), pulumi.getProject(), pulumi.getStack(), pulumi.runtime.getRootDirectory?.(), process.cwd()];
        }, { organization: "acme" });
        expect(seen).to.deep.equal(["acme", "team-app", "dev", path.join(FIXTURES, "team-program"), path.join(FIXTURES, "team-program")]);
        expect(process.cwd(), "the working directory is restored").to.equal(REPO);
    });

    it("answers an invoke it has no mock for as unknown, lists it, and runs on", async () => {
        const run = await runAsTeamProgram(async () => {
            const aws = await import("@pulumi/aws");
            const endpoint = aws.ec2.getVpcEndpointOutput({ serviceName: "com.amazonaws.us-east-1.s3" });
            new aws.ec2.SecurityGroup("app", { vpcId: endpoint.vpcId });
            new aws.ec2.SecurityGroup("literal", { vpcId: "vpc-0a1b2c3d" });
        });
        expect(run.unansweredInvokes).to.deep.equal(["aws:ec2/getVpcEndpoint:getVpcEndpoint"]);
        expect(run.resources.find((r) => r.name === "app")?.inputs.vpcId).to.equal("[unknown]");
        expect(run.resources.find((r) => r.name === "literal")?.inputs.vpcId).to.equal("vpc-0a1b2c3d");
        expect(run.notes.join("\n")).to.match(/answered as unknown.*getVpcEndpoint/);
    });

    it("answers the lookups teams commonly make, shaped like AWS's", async () => {
        const got: Record<string, any> = {};
        await runAsTeamProgram(async () => {
            const aws = await import("@pulumi/aws");
            got.cloudfront = await aws.ec2.getManagedPrefixList({ name: "com.amazonaws.global.cloudfront.origin-facing" });
            got.subnet = await aws.ec2.getSubnet({ id: "subnet-0123" });
            got.eks = await aws.eks.getCluster({ name: "shared" });
            got.object = await aws.s3.getObject({ bucket: "artifacts", key: "app.zip" });
        }, { region: "eu-west-1" });
        expect(got.cloudfront.id).to.match(/^pl-[0-9a-f]{8}$/);
        expect(got.cloudfront.entries.length).to.be.greaterThan(0);
        expect(got.subnet.availabilityZone).to.equal("eu-west-1a");
        expect(got.eks.arn).to.equal("arn:aws:eks:eu-west-1:123456789012:cluster/shared");
        expect(got.eks.vpcConfig.subnetIds[0]).to.match(/^subnet-/);
        expect([got.object.bucket, got.object.key]).to.deep.equal(["artifacts", "app.zip"]);
    });

    it("serializes Lambda callbacks as pulumi up does: the function's code becomes the archive, with what it captures", async () => {
        let text = "";
        const run = await runAsTeamProgram(async () => {
            const aws = await import("@pulumi/aws");
            const pulumi = await import("@pulumi/pulumi");
            const table = "orders";
            const handler = async (event: { id?: string }) => ({ table, id: event?.id ?? "none" });
            new aws.lambda.CallbackFunction("on-order", { callback: handler });
            text = (await pulumi.runtime.serializeFunction(handler)).text;
        });
        const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "on-order");
        expect(fn?.inputs.code).to.deep.equal({ archive: "(assets)" });
        expect(text).to.include('table: "orders"').and.include("event?.id ?? \"none\"");
    });

    it("--typecheck checks a program with its own tsconfig.json and fails with the compiler's messages before running it", async () => {
        const dir = path.join(FIXTURES, "type-error-program");
        let error: Error | undefined;
        try {
            await runPlan({ programDir: dir, stack: "dev", typecheck: true });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.name).to.equal("TypeCheckError");
        expect(error?.message).to.match(/index\.ts\(2,\d+\): error TS7006: Parameter 'name' implicitly has an 'any' type/);
        const unchecked = await runPlan({ programDir: dir, stack: "dev" });
        expect(unchecked.document.outputs.port, "without --typecheck it runs").to.equal(7);
    });

    it("fails a run that has not settled within the bound, naming what it waited for", async () => {
        let error: Error | undefined;
        try {
            await runPlan({ programDir: path.join(FIXTURES, "unsettled-program"), stack: "dev", settleTimeoutMs: 1500 });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/did not settle: no result after 2 s.*aws:ec2\/getVpcEndpoint:getVpcEndpoint/);
    });

    it("exits 2, never 0 or 1, when nothing left could settle the run; the program's output goes to stderr, prefixed", async () => {
        const cli = (program: string, pack = PROBE_PACK) => planCliAsync("--stack", "dev", "--program", program, "--policy-pack", pack);
        // Three plans at once: each is mostly start-up.
        const [hung, policyHangs, esm] = await Promise.all([
            cli(path.join(FIXTURES, "unsettled-program")),
            cli(path.join(FIXTURES, "team-program"), path.join(FIXTURES, "hanging-pack")),
            cli(path.join(FIXTURES, "esm-program")),
        ]);
        expect(hung.status).to.equal(2);
        expect(hung.stderr).to.match(/did not settle: nothing left to run.*aws:ec2\/getVpcEndpoint:getVpcEndpoint/);
        expect(policyHangs.status, "a policy that never settles").to.equal(2);
        expect(policyHangs.stderr).to.match(/ended without a verdict/);
        expect(esm.stderr).to.include("[program] planning over 3 zones");
        expect(esm.stdout).to.not.include("planning over");
    });
});

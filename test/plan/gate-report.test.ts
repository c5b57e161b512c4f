import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { entryLines, renderMarkdown, splitMessage, MarkdownPlan } from "../../plan/markdown";
import { renderSarif } from "../../plan/sarif";
import type { PlanResult } from "../../plan/index";
import { devPlan, REPO } from "./gate-support";

const readFile = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

describe("gate: markdown report of the dev plan", function () {
    this.timeout(30000);
    let plan: PlanResult;
    let md: string;
    before(async () => {
        plan = await devPlan();
        md = renderMarkdown(plan.json as MarkdownPlan, { readFile });
    });

    it("opens with the verdict and its counts", () => {
        const first = md.split("\n\n").slice(0, 2).join("\n");
        expect(first).to.match(/^## ✅ PASS: offline plan of `platform` \/ `dev`/);
        expect(first).to.contain("**0 mandatory** · 4 advisory");
    });

    it("has a table per application with what its environments and services get", () => {
        const myclothes = md.slice(md.indexOf("#### myclothes"), md.indexOf("#### mywordpress"));
        expect(myclothes).to.match(/\| web \| web \| ha \| t3\.\w+ \| 2–6 \(desired 2\) \| internet-facing application LB \|/);
        expect(myclothes).to.match(/\| orders \| worker \| single \|/);
        expect(myclothes).to.match(/\| mysql [\d.]+ db\.\w+\.\w+, single-AZ \| redis [\d.]+ cache\.\w+\.\w+ ×1 \| — \|/);
        expect(md.slice(md.indexOf("#### mywordpress"))).to.match(/aurora-mysql .*: 1 instance .*\| EFS elastic, 2 mount targets \|/);
    });

    it("groups violations under the entry that caused them, quoting its YAML and the pack's fix", () => {
        // The block (heading to next heading) that holds a policy's violation.
        const blockOf = (policy: string) => {
            const at = md.indexOf(`\`${policy}\` on `);
            const start = md.lastIndexOf("\n#### ", at);
            const end = md.indexOf("\n#### ", at);
            return md.slice(start + 1, end < 0 ? undefined : end);
        };
        for (const policy of ["multi-az-rds-instance", "multi-az-redis"]) {
            const block = blockOf(policy);
            // The application's entry, or its service's key inside it once resources carry a service tag.
            expect(block, policy).to.match(/^#### `platform:applications\[1\](\.\w+)?` \(myclothes\): `Pulumi\.dev\.yaml` line \d+\n\n```yaml\n(- name: myclothes|(database|cache): )/);
            expect(block).to.not.contain("multi-az-aurora");
        }
        expect(blockOf("multi-az-rds-instance")).to.match(/\*\*Fix:\*\* set multiAz: true/);
        expect(blockOf("multi-az-aurora")).to.match(/^#### `platform:applications\[2\]/);
        expect(md).to.match(/#### Not traced to the stack file\n\n- ⚠️ advisory `multi-az-nat-gateways`/);
    });
});

describe("gate: SARIF of the dev plan", function () {
    this.timeout(30000);
    it("locates each catalog violation on a line inside its application's entry of Pulumi.dev.yaml", async () => {
        const plan = await devPlan();
        const rules = plan.pack!.policies.map((p) => ({ name: p.name, description: p.description, enforcementLevel: p.enforcementLevel }));
        const sarif = renderSarif(plan.json as never, { rules, programDir: REPO, root: REPO }) as any;
        expect(sarif.runs[0].tool.driver.rules).to.have.length(plan.pack!.policies.length);
        const results = sarif.runs[0].results as any[];
        expect(results).to.have.length(plan.json.violations.length);
        const lines = readFile("Pulumi.dev.yaml").split("\n");
        const names = lines.filter((l) => /^    - name: /.test(l)).map((l) => l.replace(/^    - name: /, "").trim());
        const traced = results.filter((r) => r.locations[0].logicalLocations?.[0].fullyQualifiedName.startsWith("platform:applications["));
        expect(traced).to.have.length(3);
        for (const r of traced) {
            const loc = r.locations[0];
            expect(loc.physicalLocation.artifactLocation.uri).to.equal("Pulumi.dev.yaml");
            expect(r.level).to.equal("warning");
            const index = Number(/^platform:applications\[(\d+)\]/.exec(loc.logicalLocations[0].fullyQualifiedName)![1]);
            const start = loc.physicalLocation.region.startLine;
            const entry = lines.slice(0, start).reverse().find((l) => /^    - name: /.test(l));
            expect(entry?.trim(), r.ruleId).to.equal(`- name: ${names[index]}`);
        }
    });
});

describe("gate: markdown verdict and budget", () => {
    const base: MarkdownPlan = {
        project: "shop",
        stack: "prod",
        resources: [{ urn: "urn:pulumi:prod::shop::aws:lb/listener:Listener::web-http", type: "aws:lb/listener:Listener", name: "web-http", inputs: {} }],
        violations: [
            {
                policy: "alb-https",
                enforcementLevel: "mandatory",
                urn: "urn:pulumi:prod::shop::aws:lb/listener:Listener::web-http",
                message: "Internet-facing load balancers serve HTTPS.\nlistener 'web-http' serves plain HTTP on port 80. Fix: serve HTTPS.",
                source: { file: "Pulumi.prod.yaml", line: 2, path: "shop:apps[0].environments[0]" },
                owner: { application: "web" },
            },
        ],
        notes: ["note one"],
        summary: { resources: 1, mandatory: 1, advisory: 0 },
    };

    it("says FAIL with the mandatory count", () => {
        expect(renderMarkdown(base)).to.match(/^## ❌ FAIL: offline plan of `shop` \/ `prod`\n\n\*\*1 mandatory\*\* · 0 advisory/);
    });

    it("stays within the limit by cutting the least important sections first, pointing at the artifact", () => {
        const huge = { title: "Cost", body: Array.from({ length: 3000 }, (_, i) => `| line ${i} | ${"x".repeat(40)} |`).join("\n") };
        const diff = { title: "Diff", body: "small diff", importance: 90 };
        const md = renderMarkdown({ ...base, notes: Array.from({ length: 500 }, (_, i) => `note ${i} ${"y".repeat(50)}`) }, { sections: [huge, diff], limit: 8000, artifact: "the `plan-prod` artifact" });
        expect(md.length).to.be.at.most(8000);
        expect(md).to.match(/^## ❌ FAIL/);
        expect(md).to.contain("listener 'web-http' serves plain HTTP").and.contain("### Diff\n\nsmall diff");
        // Extra sections come after the built-in ones, in the order given.
        expect(md.indexOf("### Violations")).to.be.below(md.indexOf("### Cost"));
        expect(md.indexOf("### Cost")).to.be.below(md.indexOf("### Diff"));
        expect(md).to.match(/characters cut to fit a pull-request comment: the full report is in the `plan-prod` artifact/);
        // Notes (least important) go before the cost table.
        expect(md.slice(md.indexOf("### Notes"))).to.not.contain("note 499");
        expect((md.match(/^```/gm) ?? []).length % 2).to.equal(0);
    });

    it("leaves a report that fits untouched", () => {
        expect(renderMarkdown(base, { limit: 100_000 })).to.not.contain("cut to fit");
    });

    it("quotes a YAML entry with everything indented under it, and splits the pack's fix from the problem", () => {
        const text = "config:\n  k:\n    - name: a\n      x: 1\n\n      # comment\n      y: [1]\n    - name: b\n";
        expect(entryLines(text, 3)).to.deep.equal(["- name: a", "  x: 1", "  y: [1]"]);
        expect(splitMessage("Description.\nIt is open. Fix: close it.")).to.deep.equal({ problem: "It is open.", fix: "close it." });
        expect(splitMessage("only a problem")).to.deep.equal({ problem: "only a problem" });
    });
});

describe("gate: SARIF", () => {
    const plan = {
        project: "platform",
        stack: "dev",
        violations: [
            { policy: "multi-az-redis", enforcementLevel: "advisory" as const, urn: "urn:pulumi:dev::platform::r::c", message: "d\ncache", source: { file: "Pulumi.dev.yaml", line: 27, path: "platform:applications[1]" }, owner: { application: "myclothes" } },
            { policy: "alb-https", enforcementLevel: "mandatory" as const, urn: "urn:pulumi:dev::platform::l::x", message: "d\nlistener", source: { file: null, line: null, path: null } },
        ],
    };
    const rules = [
        { name: "alb-https", description: "HTTPS", enforcementLevel: "mandatory" },
        { name: "multi-az-redis", description: "Multi-AZ Redis", enforcementLevel: "advisory" },
    ];
    const sarif = renderSarif(plan, { rules, programDir: path.join(REPO, "team"), root: REPO, pack: { name: "guardrails", version: "1.0.0" } }) as any;

    it("is SARIF 2.1.0 with the pack's policies as rules", () => {
        expect(sarif.version).to.equal("2.1.0");
        expect(sarif.$schema).to.match(/sarif-2\.1\.0/);
        expect(sarif.runs).to.have.length(1);
        const driver = sarif.runs[0].tool.driver;
        expect(driver.rules.map((r: { id: string }) => r.id)).to.deep.equal(["alb-https", "multi-az-redis"]);
        expect(driver.rules[0].defaultConfiguration.level).to.equal("error");
        expect(sarif.runs[0].automationDetails.id).to.equal("offline-plan/platform/dev/");
    });

    it("has one result per violation, error when mandatory, warning when advisory, at the traced file and line", () => {
        const [redis, alb] = sarif.runs[0].results;
        expect(redis.level).to.equal("warning");
        expect(redis.ruleIndex).to.equal(1);
        expect(redis.locations[0].physicalLocation).to.deep.equal({ artifactLocation: { uri: "team/Pulumi.dev.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 27 } });
        expect(redis.message.text).to.contain("platform:applications[1], application myclothes");
        expect(alb.level).to.equal("error");
        expect(alb.locations[0].physicalLocation.artifactLocation.uri).to.equal("team/Pulumi.yaml");
        expect(alb.message.text).to.contain("not traced to a line");
        expect(redis.partialFingerprints["planViolation/v1"]).to.match(/^[0-9a-f]{32}$/).and.not.equal(alb.partialFingerprints["planViolation/v1"]);
    });
});

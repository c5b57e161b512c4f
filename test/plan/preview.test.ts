import { expect } from "chai";
import * as path from "node:path";
import { runPlan, PlanResult } from "../../plan/index";
import { planSchema } from "../../plan/contract";
import { stackPlan } from "../support/stack-plans";

/**
 * `--preview`: the plan as `pulumi preview` of a new stack sees it. Nothing a provider computes is
 * known, what the program passes is, and the policies judge the same faults.
 */

const REPO = path.resolve(__dirname, "..", "..");
const TEAM = path.join(REPO, "test", "fixtures", "team-program");
const PROBE_PACK = path.join(REPO, "test", "fixtures", "probe-pack");

type Json = PlanResult["json"];
const find = (json: Json, type: string, name: string) => json.resources.find((r: { type: string; name: string }) => r.type === type && r.name === name);
const verdicts = (json: Json) => json.violations.map((v: { policy: string; urn: string; enforcementLevel: string }) => `${v.enforcementLevel} ${v.policy} ${v.urn}`).sort();

describe("offline plan: --preview (first deployment of a new stack)", function () {
    this.timeout(30000);
    let team: PlanResult;
    let teamBad: PlanResult;
    before(async () => {
        team = await runPlan({ programDir: TEAM, stack: "dev", policyPackDir: PROBE_PACK, preview: true });
        teamBad = await runPlan({ programDir: TEAM, stack: "bad", policyPackDir: PROBE_PACK, preview: true });
    });

    it("leaves provider-computed values unknown and keeps the program's own inputs known", () => {
        const rule = find(team.json, "aws:ec2/securityGroupRule:SecurityGroupRule", "app-from-lb");
        expect(rule.inputs.securityGroupId, "an id-derived input").to.equal("[unknown]");
        expect(rule.inputs.sourceSecurityGroupId).to.equal("[unknown]");
        expect(rule.inputs.fromPort, "a literal input").to.equal(8080);
        expect(rule.inputs.type).to.equal("ingress");
        expect(find(team.json, "aws:ec2/securityGroup:SecurityGroup", "app").inputs.vpcId).to.equal("vpc-0a1b2c3d");
        expect(find(team.json, "aws:sqs/queue:Queue", "checkout-jobs").id, "no id before the first deployment").to.equal(null);
        expect(team.json.outputs.queueUrl, "a stack output over an unknown").to.equal("[unknown]");
    });

    it("still records the property dependencies rules follow, and answers reads", () => {
        const rule = find(team.json, "aws:ec2/securityGroupRule:SecurityGroupRule", "app-from-lb");
        expect(rule.propertyDependencies.securityGroupId).to.deep.equal([find(team.json, "aws:ec2/securityGroup:SecurityGroup", "app").urn]);
        expect(rule.propertyDependencies.sourceSecurityGroupId).to.deep.equal([find(team.json, "aws:ec2/securityGroup:SecurityGroup", "lb").urn]);
        const shared = find(team.json, "aws:ec2/securityGroup:SecurityGroup", "shared");
        expect([shared.operation, shared.id]).to.deep.equal(["read", "sg-0123456789abcdef0"]);
    });

    it("says it ran in preview mode, in the JSON and the notes", () => {
        expect(planSchema.parse(team.json).resources.length).to.be.greaterThan(0);
        expect(team.json.mode).to.equal("preview");
        expect(team.json.notes.join("\n")).to.match(/preview mode/);
        expect(team.run.preview).to.equal(true);
    });

    it("gives the same verdict as the full plan: a world-open SSH rule fails, the fixed program passes", async () => {
        expect(teamBad.exitCode).to.equal(1);
        expect(verdicts(teamBad.json)).to.deep.equal(verdicts((await runPlan({ programDir: TEAM, stack: "bad", policyPackDir: PROBE_PACK })).json));
        expect(team.exitCode).to.equal(0);
    });

    it("runs apply callbacks only over known values", async () => {
        const seen: string[] = [];
        const { runProgram } = await import("../../plan/program");
        const { loadProject } = await import("../../plan/project");
        await runProgram({
            project: loadProject(TEAM),
            stack: "dev",
            config: { file: "(test)", config: { "aws:region": "us-east-1" }, secretKeys: [], notes: [] },
            preview: true,
            entry: async () => {
                const pulumi = await import("@pulumi/pulumi");
                const aws = await import("@pulumi/aws");
                const q = new aws.sqs.Queue("q", { delaySeconds: 5 });
                q.arn.apply((a) => seen.push(`arn ${a}`));
                q.delaySeconds.apply((d) => seen.push(`delay ${d}`));
                seen.push(`dry run ${pulumi.runtime.isDryRun()}`);
            },
        });
        expect(seen.sort()).to.deep.equal(["delay 5", "dry run true"]);
    });
});

describe("offline plan: the platform's own stacks in preview mode", function () {
    this.timeout(60000);
    for (const stack of ["dev", "prod"]) {
        it(`plans ${stack} with every resource of the full plan and the same verdicts`, async function () {
            const full = await stackPlan(stack);
            const preview = await stackPlan(stack, { preview: true });
            expect(preview.json.resources.map((r: { urn: string }) => r.urn).sort()).to.deep.equal(full.json.resources.map((r: { urn: string }) => r.urn).sort());
            const vpc = preview.json.resources.find((r: { type: string }) => r.type === "awsx:ec2:Vpc");
            expect(preview.json.outputs.vpcId, "an output a provider computes").to.equal("[unknown]");
            expect(vpc.inputs.cidrBlock, "a literal input").to.match(/^10\.\d+\.0\.0\/16$/);
            expect(verdicts(preview.json)).to.deep.equal(verdicts(full.json));
        });
    }
});

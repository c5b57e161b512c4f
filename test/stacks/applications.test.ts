import * as path from "node:path";
import { expect } from "chai";
import { loadProject, loadStackConfig } from "../../plan/project";
import { ProgramRun, runProgram } from "../../plan/program";

const root = path.resolve(__dirname, "..", "..");
const plan = async (stack: string): Promise<ProgramRun> => {
    const project = loadProject(root);
    return runProgram({ project, stack, config: loadStackConfig(project, stack) });
};
const typeOf = (run: ProgramRun, urn: string | null) => run.resources.find((r) => r.urn === urn)?.type;

describe("stacks: applications", () => {
    let prod: ProgramRun;
    let dev: ProgramRun;
    before(async function () {
        this.timeout(30000);
        prod = await plan("prod");
        dev = await plan("dev");
    });

    it("prod shows Application → ApplicationVersion and Environments: an HA web environment feeding a worker", () => {
        const envs = prod.resources.filter((r) => r.type === "platform:application:Environment");
        expect(envs.map((e) => e.name).sort()).to.deep.equal(["hello-jobs", "hello-web"]);
        for (const e of envs) expect(typeOf(prod, e.parent)).to.equal("platform:application:Application");
        const version = prod.resources.find((r) => r.type === "platform:application:ApplicationVersion")!;
        expect(typeOf(prod, version.parent)).to.equal("platform:application:Application");
        const web = (prod.outputs.applications as any).hello.environments.web;
        const jobs = (prod.outputs.applications as any).hello.environments.jobs;
        expect(web.mode).to.equal("ha");
        expect(web.url, "the configured domain, served over HTTPS").to.equal("https://hello.example.com");
        expect(jobs.queueUrl).to.match(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\//);
        // The environments' groups (not the HPC cluster's, which is single-AZ by design).
        const asgs = prod.resources.filter((r) => r.type === "aws:autoscaling/group:Group" && r.urn.includes("platform:application:Environment$"));
        expect(asgs).to.have.length(2);
        for (const asg of asgs) expect(asg.inputs.vpcZoneIdentifiers).to.have.length(3);
    });

    it("dev shows a single-instance web environment with its Elastic IP", () => {
        expect(dev.resources.filter((r) => r.type === "aws:ec2/eip:Eip").map((r) => r.name)).to.deep.equal(["hello-web-eip"]);
        expect(dev.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")).to.be.empty;
        expect((dev.outputs.applications as any).hello.environments.web).to.include({ mode: "single" });
    });
});

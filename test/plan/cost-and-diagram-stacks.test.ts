import { expect } from "chai";
import * as path from "node:path";
import { costDelta, estimateCost } from "../../plan/cost/estimate";
import { loadPriceTable } from "../../plan/cost/table";
import { renderMermaid } from "../../plan/diagram";
import { loadProject, loadStackConfig } from "../../plan/project";
import { ProgramRun, runProgram } from "../../plan/program";
import { parseFlowchart } from "./diagram-grammar";

/** The seed catalog's cost and picture, planned once per stack. */

const root = path.resolve(__dirname, "..", "..");
const table = loadPriceTable();

async function plan(stack: string, edit?: (apps: any[]) => void): Promise<ProgramRun> {
    const project = loadProject(root);
    const config = loadStackConfig(project, stack);
    if (edit) {
        const apps = JSON.parse(config.config["platform:applications"]);
        edit(apps);
        config.config = { ...config.config, "platform:applications": JSON.stringify(apps) };
    }
    return runProgram({ project, stack, config });
}

describe("cost and diagram of the seed catalog", function () {
    this.timeout(60000);
    const runs: Record<string, ProgramRun> = {};
    before(async () => {
        runs.dev = await plan("dev");
        runs.prod = await plan("prod");
        runs.devBigger = await plan("dev", (apps) => {
            const web = apps.find((a) => a.name === "myclothes").environments.find((e: { name: string }) => e.name === "web");
            web.instanceType = "t3.medium";
        });
    });
    const cost = (name: string) => estimateCost({ region: runs[name].region, resources: runs[name].resources }, table);

    it("prod costs more than dev, and more for every application", () => {
        const dev = cost("dev");
        const prod = cost("prod");
        expect(prod.monthly).to.be.greaterThan(dev.monthly);
        expect(Object.keys(prod.byApplication)).to.deep.equal(["myclothes", "mywordpress", "whatisthetime"]);
        for (const app of Object.keys(dev.byApplication)) expect(prod.byApplication[app], app).to.be.greaterThan(dev.byApplication[app]);
    });

    it("prices the secondary region's NAT gateways at that region's price, and lists what it could not price", () => {
        const prod = cost("prod");
        const secondary = prod.resources.find((l) => l.name === "platform-secondary-vpc")!;
        expect(secondary.region).to.equal("us-west-2");
        expect(secondary.basis).to.match(/3 NAT gateways \(OnePerAz, 3 AZs\)/);
        for (const m of prod.missingPrices) expect(m.reason).to.be.a("string").and.not.equal("");
        expect(prod.unpricedResources.length).to.equal(new Set(prod.unpricedResources.map((u) => u.urn)).size);
    });

    it("raising an environment's instance type raises its application's total by the price difference times its instances", () => {
        const before = cost("dev");
        const after = cost("devBigger");
        const asg = runs.dev.resources.find((r) => r.name === "myclothes-web-asg")!;
        const instances = Number(asg.inputs.desiredCapacity ?? asg.inputs.minSize);
        const price = (t: string) => {
            const found = table.lookup("us-east-1", `ec2:instance:${t}`);
            if (!found.ok) throw new Error(found.reason);
            return found.usd;
        };
        const expected = (price("t3.medium") - price("t3.small")) * table.hoursPerMonth * instances;
        expect(instances).to.be.greaterThan(1);
        expect(after.byApplication.myclothes - before.byApplication.myclothes).to.be.closeTo(expected, 0.02);
        expect(after.byApplication.mywordpress).to.equal(before.byApplication.mywordpress);
        const d = costDelta(before, after);
        expect(d.monthly).to.be.closeTo(expected, 0.02);
        expect(d.resources.map((r) => r.name)).to.deep.equal(["myclothes-web-asg"]);
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the diagram is valid Mermaid (flowchart grammar) and shows every application`, () => {
            const source = renderMermaid({ region: runs[stack].region, resources: runs[stack].resources });
            const parsed = parseFlowchart(source);
            expect(parsed.errors).to.deep.equal([]);
            const labels = [...parsed.subgraphs.values()].map((s) => s.label);
            for (const app of ["myclothes", "mywordpress", "whatisthetime"]) expect(labels).to.include(`application ${app}`);
        });
    }

    it("prod: chaining arrows with ports, the Aurora Global secondary region, the HPC cluster's placement group and Lustre", () => {
        const parsed = parseFlowchart(renderMermaid({ region: runs.prod.region, resources: runs.prod.resources }));
        const id = (prefix: string) => [...parsed.nodes].find(([, label]) => label.startsWith(prefix))?.[0];
        const edge = (from: string | undefined, to: string | undefined) => parsed.edges.find((e) => e.from === from && e.to === to);
        expect(edge(id("ALB myclothes-web-alb"), id("Auto Scaling myclothes-web-asg"))?.label).to.equal("tcp/8080");
        expect(edge("internet", id("ALB myclothes-web-alb"))?.label).to.equal("tcp/443, tcp/80");
        expect(edge(id("Auto Scaling myclothes-orders-asg"), id("RDS mysql myclothes-db"))?.label).to.equal("tcp/3306");
        expect(edge(id("SQS myclothes-orders-queue"), id("Auto Scaling myclothes-orders-asg"))?.dotted).to.equal(true);
        const secondary = id("aurora-mysql cluster mywordpress-db-secondary")!;
        const region = [...parsed.subgraphs.values()].find((s) => s.nodes.includes(secondary));
        expect(region?.label).to.equal("region us-west-2");
        expect(edge(id("Aurora Global mywordpress-db"), secondary)).to.not.equal(undefined);
        expect(edge(id("Auto Scaling platform-hpc-compute"), id("placement group platform-hpc-pg"))?.label).to.equal("placed in");
        expect(edge(id("Auto Scaling platform-hpc-compute"), id("FSx Lustre platform-hpc-lustre-fs"))?.label).to.equal("tcp/1018-1023, tcp/988");
        // Folded: Aurora cluster instances and RDS read replicas are counted in their parent's label, not drawn.
        expect(parsed.nodes.get(id("aurora-mysql cluster mywordpress-db ")!)).to.match(/2 × db\.r6g\.large/);
        expect(parsed.nodes.get(id("RDS mysql myclothes-db")!)).to.match(/\+ 2 read replicas/);
    });
});

import { expect } from "chai";
import type { PlanResult } from "../plan/index";
import { planSchema } from "../plan/contract";
import { stackPlan } from "./support/stack-plans";

/** The platform's own stacks, planned exactly as `npm run plan -- --stack <s>` does. */
for (const stack of ["dev", "prod"]) {
    describe(`platform stack ${stack}`, function () {
        this.timeout(60000);
        let plan: PlanResult;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it("produces contract-valid JSON in which every parent exists", () => {
            const json = planSchema.parse(plan.json);
            const urns = new Set(json.resources.map((r) => r.urn));
            for (const r of json.resources) {
                if (r.type !== "pulumi:pulumi:Stack") expect(r.parent && urns.has(r.parent), `${r.urn} has a parent in the file`).to.equal(true);
                for (const d of r.dependencies) expect(urns.has(d), `${r.urn} depends on ${d}`).to.equal(true);
            }
        });

        it("passes the policy pack with zero mandatory violations", () => {
            const mandatory = plan.json.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory");
            expect(mandatory, JSON.stringify(mandatory, null, 2)).to.deep.equal([]);
            expect(plan.exitCode).to.equal(0);
        });

        it(`spans ${stack === "prod" ? "three AZs with a NAT gateway in each" : "two AZs with one NAT gateway"}`, () => {
            const vpc = plan.json.resources.find((r: { type: string }) => r.type === "awsx:ec2:Vpc");
            expect(vpc.inputs.availabilityZoneNames).to.have.length(stack === "prod" ? 3 : 2);
            expect(vpc.inputs.natGateways.strategy).to.equal(stack === "prod" ? "OnePerAz" : "Single");
            expect(plan.json.outputs.privateSubnetIds).to.have.length(stack === "prod" ? 3 : 2);
        });
    });
}

import { expect } from "chai";
import { preflightProblems } from "../../platform";
import { isReservedDomain } from "../../platform/first-up";
import { stackPlan } from "../support/stack-plans";

/** What the stack config alone tells about the first `pulumi up`: the pack's rejections in config terms, and what to verify in the account. */

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const config = (environmentClass: string, env: Record<string, unknown>): Record<string, string> => ({
    "aws:region": "us-east-1",
    "platform:environmentClass": environmentClass,
    "platform:applications": JSON.stringify([{ name: "shop", version: { label: "v1", source: { path: "apps/hello" } }, environments: [{ name: "web", tier: "web", ...env }] }]),
});
const problems = (values: Record<string, string>) => preflightProblems(values, "platform", "test", ZONES).problems;

describe("first pulumi up", () => {
    it("rejects in the preflight an internet-facing environment that could not serve HTTPS, with its path and the YAML that fixes it", () => {
        const [prod] = problems(config("production", {}));
        expect(prod.path).to.equal("platform:applications[0].environments[0].domain");
        expect(prod.message).to.match(/must serve HTTPS \(policy alb-https\)/).and.match(/domain: .*hostedZone: /);
        expect(problems(config("development", { mode: "ha" }))[0].message).to.match(/or mode: single/);
        // A single instance (no load balancer) and an ha environment with a domain are fine.
        expect(problems(config("development", {}))).to.deep.equal([]);
        expect(problems(config("production", { domain: "shop.acme.io", hostedZone: "acme.io" }))).to.deep.equal([]);
    });

    it("knows the reserved names no certificate can be issued for", () => {
        for (const d of ["example.com", "blog.example.com", "shop.example.org", "a.example", "x.test", "y.invalid"]) expect(isReservedDomain(d), d).to.equal(true);
        for (const d of ["example.co.uk", "myexample.com", "shop.acme.io"]) expect(isReservedDomain(d), d).to.equal(false);
    });

    it("prod's plan says plainly, as the stack output verifyBeforeFirstUp, that its example.com domains and zone must be replaced, and what to check in the account", async function () {
        this.timeout(30000);
        const verify = (await stackPlan("prod")).json.outputs.verifyBeforeFirstUp as string[];
        for (const d of ["whatisthetime.example.com", "myclothes.example.com", "blog.example.com"]) {
            expect(verify.some((v) => v.includes(d) && /reserved name \(RFC 2606\)/.test(v) && /pulumi up would wait on it and fail/.test(v)), d).to.equal(true);
        }
        expect(verify.join("\n")).to.match(/hosted zone example\.com must exist/).and.match(/vCPU quota .* 288 vCPUs/).and.match(/Elastic IP/);
    });
});

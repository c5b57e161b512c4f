import { expect } from "chai";
import { tokenOf } from "../support/types";
import { RESOURCES } from "./spec-types";
import { Spec, U } from "./support";

/**
 * The real assertions here are compile-time ones: `npm run typecheck` (tsc) fails if a line marked
 * `@ts-expect-error` compiles, so a fixture's misspelt property or unknown type token cannot compile.
 */
describe("policy fixture specs are typed", () => {
    it("rejects a misspelt property and an unknown type token at compile time", () => {
        const good: Spec = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: { vpcSecurityGroupIds: [U], metadataOptions: { httpTokens: "required" } } };
        // @ts-expect-error `vpcSecurityGroupId` is no property of aws.ec2.LaunchTemplateArgs (it is `vpcSecurityGroupIds`)
        const typo: Spec = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: { vpcSecurityGroupId: [U] } };
        // @ts-expect-error `httpToken` is no property of metadataOptions (it is `httpTokens`): nested props are checked too
        const nested: Spec = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: { metadataOptions: { httpToken: "required" } } };
        // @ts-expect-error `deps` keys are property names too
        const dep: Spec = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: {}, deps: { vpcSecurityGroupId: ["sg"] } };
        // @ts-expect-error a type token missing from spec-types.ts (misspelt here)
        const token: Spec = { type: "aws:ec2/launchTemplates:LaunchTemplate", name: "lt" };
        expect([good, typo, nested, dep, token].map((s) => s.name)).to.deep.equal(["lt", "lt", "lt", "lt", "lt"]);
    });

    it("keys each props type by the token of the provider class it is taken from", () => {
        for (const [token, cls] of Object.entries(RESOURCES)) expect(tokenOf(cls), token).to.equal(token);
    });
});

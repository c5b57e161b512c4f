import { expect } from "chai";
import { renderMarkdown } from "../../plan/markdown";
import { renderReport } from "../../plan/report";
import { extraSections } from "../../plan/sections";
import { stackPlan } from "../support/stack-plans";

describe("plan reports: what to verify before the first pulumi up", function () {
    this.timeout(60000);

    it("prod's reserved example.com domains are named, with their config path, in the text and markdown reports", async () => {
        const plan = await stackPlan("prod");
        const text = renderReport(plan);
        expect(text).to.match(/Verify before your first pulumi up[^\n]*\n(\s+- [^\n]+\n)*\s+- platform:applications\[0\]\.environments\[0\]\.domain: whatisthetime\.example\.com is a reserved name/);
        const md = renderMarkdown(plan.json as never, { sections: extraSections(plan.json as never) });
        const section = md.slice(md.indexOf("### Verify before your first `pulumi up`"));
        expect(section).to.match(/^### Verify before your first `pulumi up`\n/);
        expect(section.split("\n### ")[0]).to.contain("- platform:applications[1].environments[0].domain: myclothes.example.com is a reserved name");
    });

    it("says nothing when the program exports no such output", () => {
        const plan = { project: "p", stack: "s", resources: [], violations: [], outputs: { other: ["x"] }, summary: { resources: 0, mandatory: 0, advisory: 0 } };
        expect(renderMarkdown(plan, { sections: extraSections(plan) })).not.to.contain("Verify before");
    });
});

import type { MarkdownSection } from "./markdown";
import { renderCostMarkdown, CostDelta, CostEstimate } from "./cost";
import { mermaidBlock, renderMermaid } from "./diagram";
import { renderDiffMarkdown } from "./diff/render";
import type { PlanDiff } from "./diff";
import { VERIFY_TITLE, verifyItems } from "./verify";
import type { PlanResourceLike } from "./references";

/** The parts of a plan JSON the extra markdown sections read. */
export interface SectionsPlan {
    region?: string | null;
    stack?: string;
    resources: PlanResourceLike[];
    cost?: CostEstimate & { delta?: CostDelta };
    diff?: PlanDiff;
    outputs?: Record<string, unknown>;
}

/** A renderer's output whose first line is a `###` heading, as one section. */
function asSection(markdown: string, importance: number): MarkdownSection {
    const [first, ...rest] = markdown.trimEnd().split("\n");
    const title = first.replace(/^#+\s*/, "");
    return { title, body: rest.join("\n").trim(), importance };
}

/**
 * The markdown report's sections beyond verdict, applications and violations, in order: what the
 * change does against a baseline, what to verify before the first `pulumi up`, cost (with its
 * change), then the diagram, which is the first to go when the comment must
 * be cut.
 */
export function extraSections(plan: SectionsPlan): MarkdownSection[] {
    const sections: MarkdownSection[] = [];
    if (plan.diff) sections.push(asSection(renderDiffMarkdown(plan.diff), 90));
    const verify = verifyItems(plan.outputs);
    if (verify.length > 0) {
        const body = ["What the offline plan cannot know; check it in the account before the first deployment of this stack:", "", ...verify.map((v) => `- ${v.replace(/[<>]/g, (ch) => (ch === "<" ? "&lt;" : "&gt;"))}`)].join("\n");
        sections.push({ title: VERIFY_TITLE, body, importance: 60 });
    }
    if (plan.cost) sections.push(asSection(renderCostMarkdown(plan.cost, plan.cost.delta), 40));
    sections.push({ title: "Diagram", body: mermaidBlock(renderMermaid(plan)), importance: 5 });
    return sections;
}

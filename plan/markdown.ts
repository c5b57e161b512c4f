import { outsideApplications, summarizeApplications, PlanResourceLike } from "./summary";

/**
 * The plan as markdown for a pull-request comment and a job summary: the verdict first, what each
 * application gets, violations grouped by the config entry that caused them (with the entry's YAML
 * and the pack's fix), any extra sections, then notes. The whole text stays under GitHub's comment
 * limit: when it would not, the least important sections are cut first, each cut pointing at the
 * artifact that holds the full report.
 */

export const GITHUB_COMMENT_LIMIT = 65_536;

/** A section of the report. Extra sections (diff, cost, …) are rendered in order after the built-in ones. */
export interface MarkdownSection {
    title: string;
    body: string;
    /** Higher survives longer when the report must be cut. Defaults to 30 (violations 100, applications 50, notes 10). */
    importance?: number;
}

export interface MarkdownOptions {
    sections?: MarkdownSection[];
    /** Characters allowed in all. Defaults to 65,536 (GitHub's comment limit). */
    limit?: number;
    /** Where the full report is, for cut sections. Defaults to "the workflow run's artifacts". */
    artifact?: string;
    /** Reads a file of the planned project (relative path), to quote the config entries violations come from. */
    readFile?: (file: string) => string | undefined;
}

interface SourceLike {
    file: string | null;
    line: number | null;
    path: string | null;
}

interface ViolationLike {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    urn: string | null;
    message: string;
    source?: SourceLike;
    owner?: { application?: string; environment?: string; service?: string };
}

/** The fields of the plan JSON (contract.ts) the report reads. */
export interface MarkdownPlan {
    project: string;
    stack: string;
    resources: PlanResourceLike[];
    violations: ViolationLike[];
    notes?: string[];
    policyPack?: { name: string; version: string; policies: number } | null;
    summary: { resources: number; mandatory: number; advisory: number };
    /** With `--baseline`: stateful replacements or removals not acknowledged fail the gate too. */
    diff?: { guard: { mandatory: number } };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** Text safe inside a markdown paragraph or table cell. */
const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!).replace(/\|/g, "\\|");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function verdict(plan: MarkdownPlan): string {
    const { mandatory, advisory, resources } = plan.summary;
    const guarded = plan.diff?.guard.mandatory ?? 0;
    const pass = mandatory === 0 && guarded === 0;
    const pack = plan.policyPack ? ` · policy pack ${code(`${plan.policyPack.name}@${plan.policyPack.version}`)} (${plan.policyPack.policies} ${plan.policyPack.policies === 1 ? "policy" : "policies"})` : " · no policy pack";
    return [
        `## ${pass ? "✅ PASS" : "❌ FAIL"}: offline plan of ${code(plan.project)} / ${code(plan.stack)}`,
        "",
        `**${mandatory} mandatory** · ${advisory} advisory${guarded > 0 ? ` · **${guarded} unacknowledged stateful ${guarded === 1 ? "replacement" : "replacements"}**` : ""} · ${plural(resources, "resource")}${pack}`,
    ].join("\n");
}

function applications(plan: MarkdownPlan): MarkdownSection | undefined {
    const apps = summarizeApplications(plan.resources);
    if (apps.length === 0) return undefined;
    const blocks = apps.map((a) => {
        const lines = [`#### ${esc(a.name)}`, ""];
        if (a.environments.length > 0) {
            lines.push("| environment | tier | mode | instance type | sizes (min–max) | endpoint |", "| --- | --- | --- | --- | --- | --- |");
            for (const e of a.environments) lines.push(`| ${[e.name, e.tier, e.mode, e.instanceType, e.sizes, e.endpoint].map(esc).join(" | ")} |`);
            lines.push("");
        }
        lines.push(`| database | cache | file system |`, `| --- | --- | --- |`, `| ${[a.database, a.cache, a.fileSystem].map(esc).join(" | ")} |`);
        return lines.join("\n");
    });
    const outside = outsideApplications(plan.resources);
    const tail = outside.length > 0 ? `\n\nOutside any application: ${outside.map((o) => `${code(o.type)} ${esc(o.name)} (${o.resources})`).join(", ")}.` : "";
    return { title: `Applications (${apps.length})`, body: blocks.join("\n\n") + tail, importance: 50 };
}

/** The lines of the YAML entry starting at `line` (1-based): the item and everything indented under it. */
export function entryLines(text: string, line: number, max = 15): string[] {
    const lines = text.split(/\r?\n/);
    const first = lines[line - 1];
    if (first === undefined) return [];
    const indent = first.search(/\S/);
    const out = [first];
    for (let i = line; i < lines.length && out.length < max; i++) {
        const l = lines[i];
        if (l.trim() === "" || l.trimStart().startsWith("#")) continue;
        if (l.search(/\S/) <= indent) break;
        out.push(l);
    }
    const minIndent = Math.min(...out.map((l) => l.search(/\S/)));
    return out.map((l) => l.slice(minIndent));
}

/** The violation's own words: the message without the policy's description line, split at "Fix:". */
export function splitMessage(message: string): { problem: string; fix?: string } {
    const lines = message.split("\n").filter((l) => l.trim() !== "");
    const detail = (lines.length > 1 ? lines.slice(1) : lines).join(" ");
    const at = detail.indexOf("Fix:");
    return at < 0 ? { problem: detail.trim() } : { problem: detail.slice(0, at).trim(), fix: detail.slice(at + 4).trim() };
}

function resourceLabel(urn: string | null, byUrn: Map<string, PlanResourceLike>): string {
    if (!urn) return "the stack";
    const r = byUrn.get(urn);
    return r ? `${code(r.type)} ${code(r.name)}` : code(urn);
}

function violations(plan: MarkdownPlan, opts: MarkdownOptions): MarkdownSection {
    if (plan.violations.length === 0) return { title: "Violations", body: "None: every policy passed.", importance: 100 };
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const groups = new Map<string, ViolationLike[]>();
    for (const v of plan.violations) {
        const key = v.source?.path ?? "";
        groups.get(key)?.push(v) ?? groups.set(key, [v]);
    }
    // Mandatory first, then by config path; violations outside the stack file last.
    const ordered = [...groups].sort(([a, av], [b, bv]) => {
        const m = (vs: ViolationLike[]) => (vs.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
        return m(av) - m(bv) || (a === "" ? 1 : 0) - (b === "" ? 1 : 0) || a.localeCompare(b, "en", { numeric: true });
    });
    const texts = new Map<string, string | undefined>();
    const blocks = ordered.map(([key, vs]) => {
        const s = vs[0].source;
        const o = vs[0].owner;
        const env = o?.environment && o.application && o.environment.startsWith(`${o.application}-`) ? o.environment.slice(o.application.length + 1) : o?.environment;
        const who = o?.application ? ` (${esc([o.application, env].filter(Boolean).join(" / "))})` : "";
        const lines: string[] = [];
        if (key && s?.file) {
            lines.push(`#### ${code(key)}${who}: ${code(s.file)}${s.line ? ` line ${s.line}` : ""}`);
            if (!texts.has(s.file)) texts.set(s.file, opts.readFile?.(s.file));
            const text = texts.get(s.file);
            if (text !== undefined && s.line) lines.push("", "```yaml", ...entryLines(text, s.line), "```");
        } else {
            lines.push(`#### Not traced to the stack file`);
        }
        lines.push("");
        for (const v of vs) {
            const { problem, fix } = splitMessage(v.message);
            const mark = v.enforcementLevel === "mandatory" ? "❌ **mandatory**" : "⚠️ advisory";
            const where = !key && v.source?.file ? ` (${code(`${v.source.file}${v.source.line ? `:${v.source.line}` : ""}`)})` : "";
            lines.push(`- ${mark} ${code(v.policy)} on ${resourceLabel(v.urn, byUrn)}${where}: ${esc(problem)}${fix ? `  \n  **Fix:** ${esc(fix)}` : ""}`);
        }
        return lines.join("\n");
    });
    return { title: `Violations (${plan.violations.length})`, body: blocks.join("\n\n"), importance: 100 };
}

function render(head: string, sections: MarkdownSection[]): string {
    return [head, ...sections.map((s) => `### ${s.title}\n\n${s.body}`)].join("\n\n") + "\n";
}

/** Cuts the least important sections (the later first among equals) until the text fits `limit`. */
function fit(head: string, sections: MarkdownSection[], limit: number, artifact: string): string {
    let text = render(head, sections);
    const order = sections.map((s, i) => ({ s, i })).sort((a, b) => (a.s.importance ?? 30) - (b.s.importance ?? 30) || b.i - a.i);
    for (const { i } of order) {
        const excess = text.length - limit;
        if (excess <= 0) break;
        const body = sections[i].body;
        const pointer = (cut: number) => `\n\n_… ${cut.toLocaleString("en-US")} characters cut to fit a pull-request comment: the full report is in ${artifact}._`;
        let keep = Math.max(0, body.length - excess - pointer(body.length).length);
        keep = keep > 0 ? body.lastIndexOf("\n", keep) : 0;
        keep = Math.max(0, keep);
        // A cut inside a fenced block would leave it open.
        if ((body.slice(0, keep).match(/^```/gm)?.length ?? 0) % 2 === 1) keep = body.lastIndexOf("\n```", keep - 1) > 0 ? body.lastIndexOf("\n```", keep - 1) : 0;
        sections[i] = { ...sections[i], body: `${body.slice(0, keep).trimEnd()}${pointer(body.length - keep)}`.trimStart() };
        text = render(head, sections);
    }
    if (text.length > limit) text = `${text.slice(0, Math.max(0, limit - 200))}\n\n_… cut to fit a pull-request comment: the full report is in ${artifact}._\n`;
    return text;
}

export function renderMarkdown(plan: MarkdownPlan, opts: MarkdownOptions = {}): string {
    const sections: MarkdownSection[] = [];
    const apps = applications(plan);
    if (apps) sections.push(apps);
    sections.push(violations(plan, opts));
    sections.push(...(opts.sections ?? []));
    if (plan.notes && plan.notes.length > 0) sections.push({ title: "Notes", body: plan.notes.map((n) => `- ${esc(n)}`).join("\n"), importance: 10 });
    return fit(verdict(plan), sections, opts.limit ?? GITHUB_COMMENT_LIMIT, opts.artifact ?? "the workflow run's artifacts");
}

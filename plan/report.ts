import type { PlanResult } from "./index";
import { renderCostText } from "./cost/render";
import { renderDiffText } from "./diff/render";
import { VERIFY_TITLE, verifyItems } from "./verify";

/** The human report: resource tree by component, violations by enforcement level, notes, summary. */

interface Node {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    remote: boolean;
    read: boolean;
    children: Node[];
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;

function countDescendants(n: Node): number {
    return n.children.reduce((sum, c) => sum + 1 + countDescendants(c), 0);
}

function label(n: Node): string {
    const tags = [n.remote ? "opaque offline" : "", n.read ? "read" : ""].filter(Boolean);
    return `${n.type}  ${n.name}${tags.length ? `  [${tags.join(", ")}]` : ""}`;
}

function renderTree(root: Node, lines: string[], prefix = "", collapseAfter = 3): void {
    // Components first, then custom resources grouped by type.
    const components = root.children.filter((c) => !c.custom || c.children.length > 0);
    const leaves = root.children.filter((c) => c.custom && c.children.length === 0);
    const byType = new Map<string, Node[]>();
    for (const leaf of leaves) byType.set(leaf.type, [...(byType.get(leaf.type) ?? []), leaf]);
    const rows: { text: string; node?: Node }[] = [];
    for (const c of components) rows.push({ text: c.children.length > 0 ? `${label(c)}  (${countDescendants(c)})` : label(c), node: c });
    for (const [type, nodes] of byType) {
        if (nodes.length > collapseAfter) {
            const names = nodes.map((n) => n.name);
            const shown = names.slice(0, 4).join(", ") + (names.length > 4 ? ", …" : "");
            rows.push({ text: `${type} ×${nodes.length}  ${shown}` });
        } else {
            for (const n of nodes) rows.push({ text: label(n) });
        }
    }
    rows.forEach((row, i) => {
        const last = i === rows.length - 1;
        lines.push(`${prefix}${last ? "└─ " : "├─ "}${row.text}`);
        if (row.node && row.node.children.length > 0) {
            renderTree(row.node, lines, prefix + (last ? "   " : "│  "), collapseAfter);
        }
    });
}

/** "application myclothes, environment web: Pulumi.dev.yaml:27 platform:applications[1].environments[0]". */
export function describeSource(v: { source?: { file: string | null; line: number | null; path: string | null }; owner?: { application?: string; environment?: string; service?: string } }): string {
    const o = v.owner;
    const who = o?.application
        ? [`application ${o.application}`, o.environment ? `environment ${o.environment.startsWith(`${o.application}-`) ? o.environment.slice(o.application.length + 1) : o.environment}` : "", o.service ? `service ${o.service}` : ""].filter(Boolean).join(", ")
        : "";
    const s = v.source;
    const where = s?.file ? `${s.file}${s.line ? `:${s.line}` : ""}${s.path ? ` ${s.path}` : ""}` : "";
    return [who, where].filter(Boolean).join(": ");
}

export function renderReport(result: PlanResult, opts: { color?: boolean } = {}): string {
    const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const { run, json } = result;
    const lines: string[] = [];
    lines.push(c("1", `Offline plan: ${run.project} / ${run.stack}${run.region ? ` (${run.region})` : ""}`));
    lines.push("");

    const nodes = new Map<string, Node>();
    const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
    for (const r of run.resources) {
        if (r.type.startsWith("pulumi:providers:")) continue;
        nodes.set(r.urn, { urn: r.urn, type: r.type, name: r.name, custom: r.custom, remote: r.remote, read: r.operation === "read", children: [] });
    }
    const roots: Node[] = [];
    for (const r of run.resources) {
        const n = nodes.get(r.urn);
        if (!n) continue;
        const parent = r.parent ? nodes.get(r.parent) : undefined;
        if (parent) parent.children.push(n);
        else roots.push(n);
    }
    const custom = run.resources.filter((r) => r.custom && r.operation === "create" && !r.type.startsWith("pulumi:providers:")).length;
    const components = run.resources.filter((r) => !r.custom).length;
    const reads = run.resources.filter((r) => r.operation === "read").length;
    lines.push(c("1", `Resources: ${run.resources.length}`) + ` (${plural(custom, "resource")} to create, ${plural(components, "component")}, ${plural(reads, "read")}, ${plural(providers.length, "provider")})`);
    for (const root of roots) {
        lines.push(`${label(root)}  (${countDescendants(root)})`);
        renderTree(root, lines);
    }
    if (providers.length > 0) {
        lines.push(
            `Providers: ${providers
                .map((p) => `${p.name}${p.synthesized ? " (default)" : ""} ${typeof p.inputs.region === "string" ? p.inputs.region : ""}`.trim())
                .join(", ")}`,
        );
    }
    lines.push("");

    if (result.pack) {
        lines.push(c("1", `Policy pack ${result.pack.name}@${result.pack.version}: ${plural(result.pack.policies.length, "policy")}`));
        const nameOf = new Map(run.resources.map((r) => [r.urn, `${r.type} '${r.name}'`]));
        for (const level of ["mandatory", "advisory"] as const) {
            const vs = json.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === level);
            const head = `${level === "mandatory" ? "Mandatory" : "Advisory"} violations (${vs.length})`;
            lines.push(vs.length > 0 ? c(level === "mandatory" ? "31;1" : "33;1", head) : head);
            for (const v of vs) {
                const where = v.urn ? nameOf.get(v.urn) ?? v.urn : "stack";
                lines.push(`  ${level === "mandatory" ? "✗" : "!"} [${v.policy}] ${where}`);
                const at = describeSource(v);
                if (at) lines.push(`      ${c("2", at)}`);
                for (const l of String(v.message).split("\n")) lines.push(`      ${l}`);
            }
        }
        lines.push("");
    }
    const verify = verifyItems(json.outputs);
    if (verify.length > 0) {
        lines.push(c("1", `${VERIFY_TITLE.replace(/`/g, "")} (the offline plan cannot know these)`));
        for (const v of verify) lines.push(`  - ${v}`);
        lines.push("");
    }
    if (json.notes.length > 0) {
        lines.push(c("1", "Notes"));
        for (const n of json.notes) lines.push(`  - ${n}`);
        lines.push("");
    }
    if (json.cost) lines.push(...renderCostText(json.cost), "");
    if (json.diff) lines.push(renderDiffText(json.diff, opts), "");
    const { mandatory, advisory } = json.summary;
    const verdict = result.exitCode > 0 ? c("31;1", "FAIL") : c("32;1", "PASS");
    const guarded = json.diff?.guard.mandatory ? `, ${json.diff.guard.mandatory} unacknowledged stateful ${json.diff.guard.mandatory === 1 ? "replacement" : "replacements"}` : "";
    lines.push(`Summary: ${plural(json.summary.resources, "resource")}, ${mandatory} mandatory, ${advisory} advisory${guarded} → ${verdict}`);
    return lines.join("\n");
}

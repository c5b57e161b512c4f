import type { DiffChanged, PlanDiff } from "./index";

/**
 * The change summary, as text (the plan report) and as markdown (the pull-request comment): counts,
 * then replacements and removals, then unknowns, then in-place updates with the changed input names,
 * then additions by type, then the stateful-resource guard. Only input names are shown, never values.
 */

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

interface Row {
    mark: string;
    verb: string;
    type: string;
    name: string;
    detail: string;
}

function rows(diff: PlanDiff): Row[] {
    const out: Row[] = [];
    const changedDetail = (c: DiffChanged) => {
        const parts = [c.inputs.length > 0 ? c.inputs.join(", ") : ""];
        if (c.forcedBy && c.replace === true) parts.push(`forced by ${c.forcedBy.join(", ")}`);
        if (c.deleteBeforeReplace) parts.push("deleted before its replacement is created");
        if (c.renamedFrom) parts.push(`renamed from '${nameOf(c.renamedFrom)}' (aliases)`);
        if (c.follows) parts.push(c.follows);
        if (c.protected) parts.push("protected: pulumi up refuses until it is unprotected");
        if (c.stateful) parts.push("stateful");
        return parts.filter(Boolean).join("; ");
    };
    for (const c of diff.changed.filter((x) => x.replace === true)) {
        out.push({ mark: "±", verb: "replace", type: c.type, name: nameOf(c.urn), detail: changedDetail(c) });
    }
    for (const r of diff.removed) {
        const detail = [
            r.renamedTo ? `renamed to '${nameOf(r.renamedTo)}': deleted and created anew` : "",
            r.stateful ? "stateful" : "",
            r.protected ? "protected: pulumi up refuses until it is unprotected" : "",
        ]
            .filter(Boolean)
            .join("; ");
        out.push({ mark: "-", verb: "delete", type: r.type, name: nameOf(r.urn), detail });
    }
    for (const c of diff.changed.filter((x) => x.replace === "unknown")) {
        out.push({ mark: "?", verb: "unknown", type: c.type, name: nameOf(c.urn), detail: `${changedDetail(c)}; no replacement data for this type: may be replaced` });
    }
    for (const c of diff.changed.filter((x) => x.replace === false)) {
        out.push({ mark: "~", verb: "update", type: c.type, name: nameOf(c.urn), detail: changedDetail(c) });
    }
    return out;
}

function addedByType(diff: PlanDiff): [string, string[]][] {
    const m = new Map<string, string[]>();
    for (const a of diff.added) m.set(a.type, [...(m.get(a.type) ?? []), nameOf(a.urn)]);
    return [...m.entries()];
}

function counts(diff: PlanDiff): string {
    const s = diff.summary;
    return [
        `${s.added} to create`,
        `${s.replaced} to replace`,
        `${s.updated} to update in place`,
        `${s.removed} to delete`,
        ...(s.unknown > 0 ? [`${s.unknown} changed with no replacement data`] : []),
        `${s.unchanged} unchanged`,
    ].join(", ");
}

const names = (ns: string[]) => (ns.length > 4 ? `${ns.slice(0, 4).join(", ")}, …` : ns.join(", "));

/** The change summary for the text report. Pure. */
export function renderDiffText(diff: PlanDiff, opts: { color?: boolean } = {}): string {
    const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const lines = [c("1", `Changes against the baseline (${diff.baseline.project}/${diff.baseline.stack}): `) + counts(diff)];
    for (const r of rows(diff)) {
        const line = `  ${r.mark} ${r.verb.padEnd(7)} ${r.type} '${r.name}'${r.detail ? `  (${r.detail})` : ""}`;
        lines.push(r.mark === "±" || r.mark === "-" ? c("31", line) : r.mark === "?" ? c("33", line) : line);
    }
    for (const [type, ns] of addedByType(diff)) lines.push(`  + create  ${type}${ns.length > 1 ? ` ×${ns.length}` : ""}  ${names(ns)}`);
    for (const f of diff.guard.findings) {
        const mark = f.level === "mandatory" ? c("31;1", "✗") : f.level === "advisory" ? c("33;1", "!") : "✓";
        lines.push(`  ${mark} [stateful-resources] ${f.message}`);
    }
    for (const n of diff.notes) lines.push(`  note: ${n}`);
    return lines.join("\n");
}

const md = (s: string) => s.replace(/([\\`*_|<>[\]])/g, "\\$1");

/** The change summary as markdown, for the pull-request comment. Pure. */
export function renderDiffMarkdown(diff: PlanDiff): string {
    const lines = [`### What this change does to ${md(diff.baseline.project)}/${md(diff.baseline.stack)}`, "", counts(diff), ""];
    const rs = rows(diff);
    const verbs: Record<string, string> = { "±": "🔁 replace", "-": "🗑️ delete", "?": "❓ unknown", "~": "✏️ update" };
    if (rs.length > 0) {
        lines.push("| | resource | type | changed inputs and why |", "| --- | --- | --- | --- |");
        for (const r of rs) lines.push(`| ${verbs[r.mark]} | \`${r.name}\` | \`${r.type}\` | ${md(r.detail)} |`);
        lines.push("");
    }
    const created = addedByType(diff);
    if (created.length > 0) {
        lines.push(`<details><summary>${plural(diff.summary.added, "resource")} to create</summary>`, "");
        for (const [type, ns] of created) lines.push(`- \`${type}\` ×${ns.length}: ${ns.map((n) => `\`${n}\``).join(", ")}`);
        lines.push("", "</details>", "");
    }
    if (diff.guard.findings.length > 0) {
        lines.push(`**Stateful resources** (${diff.guard.production ? "production stack: replacing or deleting one fails the gate unless acknowledged" : "warnings outside production"})`, "");
        const icon = { mandatory: "❌", advisory: "⚠️", acknowledged: "✅" } as const;
        for (const f of diff.guard.findings) lines.push(`- ${icon[f.level]} ${md(f.message)}`);
        lines.push("");
    }
    for (const n of diff.notes) lines.push(`> ${md(n)}`);
    return lines.join("\n").trimEnd();
}

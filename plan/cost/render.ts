import type { CostDelta, CostEstimate } from "./estimate";

/** Cost in reports: a few text lines for the terminal, tables for pull-request markdown. Pure. */

export function usd(n: number): string {
    const s = Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${n < 0 ? "-" : ""}$${s}`;
}

export function signedUsd(n: number): string {
    return n > 0 ? `+${usd(n)}` : n < 0 ? usd(n) : "±$0.00";
}

const caveat = (cost: CostEstimate) => {
    const n = cost.unpricedResources.length;
    return n > 0 ? `; ${n} resource${n === 1 ? "" : "s"} not (fully) priced` : "";
};

/** The stack's monthly total and one line per application (text report). */
export function renderCostText(cost: CostEstimate): string[] {
    const lines = [`Estimated cost: ${usd(cost.monthly)}/month (${cost.currency}, on-demand list prices, ${cost.hoursPerMonth} h; usage-driven charges not included${caveat(cost)})`];
    const apps = Object.entries(cost.byApplication);
    const width = Math.max(6, ...apps.map(([a]) => a.length));
    for (const [app, monthly] of apps) lines.push(`  ${app.padEnd(width)}  ${usd(monthly).padStart(11)}/month`);
    if (cost.shared > 0 || apps.length === 0) lines.push(`  ${"shared".padEnd(width)}  ${usd(cost.shared).padStart(11)}/month  (network, clusters and other resources of no application)`);
    return lines;
}

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Markdown: totals, per-application deltas with a baseline, a table per application, top cost drivers, what is not estimated. */
export function renderCostMarkdown(cost: CostEstimate, delta?: CostDelta, opts: { top?: number } = {}): string {
    const out: string[] = [];
    out.push(`### Estimated cost: ${usd(cost.monthly)}/month`);
    out.push("");
    if (delta) {
        const verb = delta.monthly > 0 ? "adds" : delta.monthly < 0 ? "saves" : "does not change the estimate by";
        out.push(`This change ${verb} **${usd(Math.abs(delta.monthly))}/month** (${usd(delta.base)} → ${usd(delta.head)}).`);
        out.push("");
        const changed = Object.entries(delta.byApplication).filter(([, d]) => d.delta !== 0);
        if (changed.length > 0 || delta.shared.delta !== 0) {
            out.push("| application | before | after | change |", "| --- | ---: | ---: | ---: |");
            for (const [app, d] of changed) out.push(`| ${esc(app)} | ${usd(d.base)} | ${usd(d.head)} | ${signedUsd(d.delta)} |`);
            if (delta.shared.delta !== 0) out.push(`| (shared) | ${usd(delta.shared.base)} | ${usd(delta.shared.head)} | ${signedUsd(delta.shared.delta)} |`);
            out.push("");
        }
        if (delta.newlyUnpriced.length > 0) out.push(`Newly unpriced resource types (the change may be larger): ${delta.newlyUnpriced.map((t) => `\`${t}\``).join(", ")}.`, "");
    }
    out.push("| application | monthly |", "| --- | ---: |");
    for (const [app, monthly] of Object.entries(cost.byApplication)) out.push(`| ${esc(app)} | ${usd(monthly)} |`);
    out.push(`| (shared) | ${usd(cost.shared)} |`, `| **total** | **${usd(cost.monthly)}** |`, "");

    const top = [...cost.resources].sort((a, b) => b.monthly - a.monthly).slice(0, opts.top ?? 5).filter((l) => l.monthly > 0);
    if (top.length > 0) {
        out.push("**Top cost drivers**", "");
        for (const l of top) out.push(`- ${usd(l.monthly)}/month — \`${esc(l.name)}\` (${l.application ?? "shared"}): ${esc(l.basis)}`);
        out.push("");
    }
    const groups = new Map<string, typeof cost.resources>();
    for (const l of cost.resources) {
        const g = l.application ?? "(shared)";
        groups.set(g, [...(groups.get(g) ?? []), l]);
    }
    for (const [group, lines] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        out.push("<details>", `<summary>${esc(group)}: ${usd(lines.reduce((s, l) => s + l.monthly, 0))}/month</summary>`, "");
        out.push("| resource | type | monthly | basis |", "| --- | --- | ---: | --- |");
        for (const l of [...lines].sort((a, b) => b.monthly - a.monthly)) out.push(`| ${esc(l.name)} | \`${l.type}\` | ${usd(l.monthly)} | ${esc(l.basis)} |`);
        out.push("", "</details>", "");
    }
    if (cost.unpricedResources.length > 0) {
        out.push(`**Not priced** (${cost.unpricedResources.length}): ${cost.missingPrices.map((m) => `\`${m.key}\` in ${m.region} (${m.resources.length})`).join(", ")}. See the price table for why.`, "");
    }
    if (cost.notEstimated.length > 0) out.push(`**Not estimated** (usage-driven): ${cost.notEstimated.map((n) => n.what).join("; ")}.`, "");
    out.push(`Prices: ${cost.prices.source}, read ${cost.prices.date}; regions ${cost.prices.regions.join(", ")}.`);
    return out.join("\n");
}

import type { PlanJson } from "../contract";
import { predictReplacement, ReplacementEntry, REPLACEMENT_TABLE, sameValue } from "./replacement";
import { isStateful } from "./stateful";

export { renderDiffMarkdown, renderDiffText } from "./render";
export { isProductionStack } from "./stateful";

/**
 * What a change does to what is running: the plan compared with a baseline plan (typically the base
 * branch's), resource by resource, with predicted replacements and a guard on stateful resources.
 * Pure: two plan JSONs in, the `diff` object out. Imports nothing of the engine but the contract.
 */

type Resource = PlanJson["resources"][number];

export interface DiffAdded {
    urn: string;
    type: string;
}
export interface DiffRemoved {
    urn: string;
    type: string;
    stateful: boolean;
    /**
     * The added resource of the same type and parent that most likely replaces it under a new
     * logical name: Pulumi deletes and recreates (auto-named physical names change too) unless
     * `aliases` tie the two together.
     */
    renamedTo?: string;
    /** The baseline resource has the `protect` option: Pulumi refuses to delete it until it is unprotected. */
    protected?: boolean;
}
export interface DiffChanged {
    urn: string;
    type: string;
    /** Top-level inputs whose values differ (values are never copied here: secrets stay unseen). */
    inputs: string[];
    /** The change forces a new resource; "unknown" when the provider data has no entry for the type. */
    replace: boolean | "unknown";
    stateful: boolean;
    /** The inputs (or nested paths, or `replaceOnChanges` entries) that force the replacement. */
    forcedBy?: string[];
    /** `deleteBeforeReplace` is set: the old resource goes before the new one exists. */
    deleteBeforeReplace?: boolean;
    /** The baseline URN when the resource was renamed through `aliases`. */
    renamedFrom?: string;
    /** Not an input change of its own: what follows from a change of a resource it depends on. */
    follows?: string;
    /** Replaced while the baseline resource has the `protect` option: Pulumi refuses until it is unprotected. */
    protected?: boolean;
}

export interface GuardFinding {
    urn: string;
    type: string;
    name: string;
    action: "replace" | "remove" | "may replace";
    /** mandatory fails the gate; advisory is a warning; acknowledged was allowed by `--allow-replace`. */
    level: "mandatory" | "advisory" | "acknowledged";
    message: string;
}

export interface PlanDiff {
    baseline: { project: string; stack: string };
    summary: { added: number; removed: number; replaced: number; updated: number; unknown: number; unchanged: number };
    added: DiffAdded[];
    removed: DiffRemoved[];
    changed: DiffChanged[];
    guard: { production: boolean; mandatory: number; findings: GuardFinding[] };
    notes: string[];
}

export interface DiffOptions {
    /** Logical names (or URNs) whose replacement or removal is acknowledged. */
    allowReplace?: string[];
    /** Whether the head stack is production (see `isProductionStack`). */
    production: boolean;
    /** The replacement data; defaults to `plan/data/replacement.json`. */
    table?: Record<string, ReplacementEntry>;
}

/** Resources a diff is about: managed cloud resources (no components, providers or reads). */
function managed(r: Resource & { operation?: unknown }): boolean {
    return r.custom && !r.type.startsWith("pulumi:providers:") && r.operation !== "read";
}

function nameOfUrn(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The baseline URNs a head resource answers to through its `aliases` option (URN strings or specs). */
function aliasUrns(r: Resource, base: Map<string, Resource>): string[] {
    const aliases = r.options.aliases;
    if (!Array.isArray(aliases)) return [];
    const out: string[] = [];
    for (const a of aliases) {
        if (typeof a === "string") out.push(a);
        else if (a && typeof a === "object") {
            const spec = a as { name?: string; type?: string; parent?: string | null; parentUrn?: string; noParent?: boolean };
            const parent = spec.noParent ? null : (spec.parentUrn ?? spec.parent);
            for (const candidate of base.values()) {
                if ((spec.name ?? r.name) !== candidate.name || (spec.type ?? r.type) !== candidate.type) continue;
                if (parent !== undefined && parent !== candidate.parent) continue;
                out.push(candidate.urn);
            }
        }
    }
    return out.filter((u) => base.has(u));
}

/** The top-level inputs that differ, sorted. */
export function changedInputs(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].filter((k) => !sameValue(a[k], b[k])).sort();
}

/** Computes the diff of `head` against `base` and the stateful-resource guard. Pure. */
export function computeDiff(base: PlanJson, head: PlanJson, opts: DiffOptions): PlanDiff {
    const table = opts.table ?? REPLACEMENT_TABLE.resources;
    const allow = new Set(opts.allowReplace ?? []);
    const baseByUrn = new Map(base.resources.filter(managed).map((r) => [r.urn, r]));
    const headManaged = head.resources.filter(managed);
    const notes: string[] = [];
    if (base.project !== head.project || base.stack !== head.stack) {
        notes.push(`the baseline is ${base.project}/${base.stack}, this plan is ${head.project}/${head.stack}: resources are matched by URN, which names both`);
    }

    const matched = new Set<string>();
    const added: DiffAdded[] = [];
    const changed: DiffChanged[] = [];
    let unchanged = 0;
    for (const r of headManaged) {
        let old = baseByUrn.get(r.urn);
        let renamedFrom: string | undefined;
        if (!old) {
            const alias = aliasUrns(r, baseByUrn).find((u) => !matched.has(u));
            if (alias) {
                old = baseByUrn.get(alias);
                renamedFrom = alias;
            }
        }
        if (!old) {
            added.push({ urn: r.urn, type: r.type });
            continue;
        }
        matched.add(old.urn);
        const inputs = changedInputs(old.inputs, r.inputs);
        const regionMoved = (old.provider?.region ?? null) !== (r.provider?.region ?? null);
        if (old.type !== r.type) {
            // A type change through an alias is a new resource of another kind.
            changed.push(entry(r, inputs, { replace: true, forcedBy: ["(type)"] }, renamedFrom));
            continue;
        }
        if (inputs.length === 0 && !regionMoved) {
            if (renamedFrom) changed.push(entry(r, [], { replace: false, forcedBy: [] }, renamedFrom));
            else unchanged++;
            continue;
        }
        const replaceOnChanges = Array.isArray(r.options.replaceOnChanges) ? (r.options.replaceOnChanges as string[]) : [];
        const verdict = predictReplacement(r.type, old.inputs, r.inputs, inputs, replaceOnChanges, table);
        if (regionMoved) verdict.forcedBy.unshift("(provider region)");
        const c = entry(r, inputs, regionMoved ? { replace: true, forcedBy: verdict.forcedBy } : verdict, renamedFrom);
        if (c.replace === true && old.options.protect === true) c.protected = true;
        changed.push(c);
    }
    followLaunchTemplates(head, baseByUrn, changed, () => unchanged--);

    const removed: DiffRemoved[] = [...baseByUrn.values()]
        .filter((r) => !matched.has(r.urn))
        .map((r) => ({ urn: r.urn, type: r.type, stateful: isStateful(r.type), ...(r.options.protect === true ? { protected: true } : {}) }));
    pairRenames(removed, added);

    const findings = guard(removed, changed, opts.production, allow);
    const count = (p: (c: DiffChanged) => boolean) => changed.filter(p).length;
    return {
        baseline: { project: base.project, stack: base.stack },
        summary: {
            added: added.length,
            removed: removed.length,
            replaced: count((c) => c.replace === true),
            updated: count((c) => c.replace === false),
            unknown: count((c) => c.replace === "unknown"),
            unchanged,
        },
        added,
        removed,
        changed,
        guard: { production: opts.production, mandatory: findings.filter((f) => f.level === "mandatory").length, findings },
        notes,
    };

    function entry(r: Resource, inputs: string[], verdict: { replace: boolean | "unknown"; forcedBy: string[] }, from?: string): DiffChanged {
        const c: DiffChanged = { urn: r.urn, type: r.type, inputs, replace: verdict.replace, stateful: isStateful(r.type) };
        if (verdict.forcedBy.length > 0) c.forcedBy = verdict.forcedBy;
        if (verdict.replace === true && r.options.deleteBeforeReplace === true) c.deleteBeforeReplace = true;
        if (from) c.renamedFrom = from;
        return c;
    }
}

/**
 * An Auto Scaling group that follows a launch template's latest version sees that version change
 * when the template is updated (offline, the mocked version number does not move): listed as an
 * in-place update of `launchTemplate`, a rolling instance refresh when the group configures one.
 */
function followLaunchTemplates(head: PlanJson, base: Map<string, Resource>, changed: DiffChanged[], consumeUnchanged: () => void): void {
    const updatedTemplates = new Set(changed.filter((c) => c.type === "aws:ec2/launchTemplate:LaunchTemplate" && c.replace !== "unknown").map((c) => c.urn));
    if (updatedTemplates.size === 0) return;
    const already = new Set(changed.map((c) => c.urn));
    for (const r of head.resources) {
        if (r.type !== "aws:autoscaling/group:Group" || !base.has(r.urn)) continue;
        const deps = [...(r.propertyDependencies.launchTemplate ?? []), ...(r.propertyDependencies.mixedInstancesPolicy ?? [])];
        const template = deps.find((u) => updatedTemplates.has(u));
        const version = (r.inputs.launchTemplate as { version?: unknown } | undefined)?.version;
        if (!template || version === "$Latest" || version === "$Default") continue;
        const how = r.inputs.instanceRefresh ? "rolling instance refresh" : "new instances only (no instanceRefresh)";
        const follows = `launch template '${nameOfUrn(template)}' gets a new version: ${how}`;
        const existing = changed.find((c) => c.urn === r.urn);
        if (existing) {
            existing.follows = follows;
            if (!existing.inputs.includes("launchTemplate")) existing.inputs = [...existing.inputs, "launchTemplate"].sort();
        } else if (!already.has(r.urn)) {
            consumeUnchanged();
            changed.push({ urn: r.urn, type: r.type, inputs: ["launchTemplate"], replace: false, stateful: false, follows });
        }
    }
}

/** The URN without its name: project, stack, parent type chain and type. */
function urnPrefix(urn: string): string {
    return urn.slice(0, urn.lastIndexOf("::"));
}

/** Pairs a removed and an added resource when they are the only ones of their type under the same parent chain. */
function pairRenames(removed: DiffRemoved[], added: DiffAdded[]): void {
    const group = <T extends { urn: string }>(xs: T[]) => {
        const m = new Map<string, T[]>();
        for (const x of xs) m.set(urnPrefix(x.urn), [...(m.get(urnPrefix(x.urn)) ?? []), x]);
        return m;
    };
    const addedBy = group(added);
    for (const [prefix, gone] of group(removed)) {
        const fresh = addedBy.get(prefix);
        if (gone.length === 1 && fresh?.length === 1) gone[0].renamedTo = fresh[0].urn;
    }
}

function guard(removed: DiffRemoved[], changed: DiffChanged[], production: boolean, allow: Set<string>): GuardFinding[] {
    const findings: GuardFinding[] = [];
    const add = (urn: string, type: string, action: GuardFinding["action"], why: string) => {
        const name = nameOfUrn(urn);
        const acknowledged = allow.has(name) || allow.has(urn);
        const level = acknowledged ? "acknowledged" : production ? "mandatory" : "advisory";
        const tail = acknowledged ? "acknowledged with --allow-replace" : production ? `fails the gate in a production stack; acknowledge with --allow-replace ${name}` : "a warning outside production";
        const verb = { replace: "replacing", remove: "deleting", "may replace": "possibly replacing" }[action];
        findings.push({ urn, type, name, action, level, message: `${verb} stateful ${type} '${name}'${why} loses its data (${tail})` });
    };
    for (const r of removed) {
        if (!r.stateful) continue;
        if (r.renamedTo) add(r.urn, r.type, "replace", ` (renamed to '${nameOfUrn(r.renamedTo)}': deleted and created anew)`);
        else add(r.urn, r.type, "remove", "");
    }
    for (const c of changed) {
        if (!c.stateful) continue;
        if (c.replace === true) add(c.urn, c.type, "replace", ` (forced by ${(c.forcedBy ?? []).join(", ")})`);
        else if (c.replace === "unknown") add(c.urn, c.type, "may replace", ` (no replacement data for the type; changed: ${c.inputs.join(", ")})`);
    }
    return findings;
}

import table from "../data/replacement.json";

/**
 * Which input changes force a resource to be replaced, from the provider's own schema.
 *
 * The table (`plan/data/replacement.json`) is data, regenerated from the provider source by
 * `plan/data/build-replacement-table.ts`: for each Pulumi type token, the Terraform resource it
 * bridges and the input paths the Terraform schema marks `ForceNew` (SDKv2) or `RequiresReplace`
 * (plugin framework), in Pulumi's camelCase names. A path `a.b.c` names a nested field: walking
 * `a`, then `b` in each element or object, and so on. A type absent from the table is `unknown`.
 */

export interface ReplacementEntry {
    /** The Terraform resource the Pulumi type bridges, e.g. `aws_rds_cluster`. */
    terraform: string;
    /** The provider source file (and commit) the entry was read from. */
    source: string;
    /** Input paths whose change forces a new resource. */
    forceNew: string[];
    /**
     * Groups of mutually exclusive inputs: switching from one member to another replaces the
     * resource (the provider decides it in code, e.g. a plan modifier, not with a schema flag).
     */
    replaceOnSwitch?: string[][];
    /** Inputs that force a new resource only while a boolean input of the same resource is true (input → flag). */
    replaceWhenFlag?: Record<string, string>;
    /** How the entry departs from a plain reading of `source`, when it does. */
    note?: string;
}

export interface ReplacementTable {
    provider: { name: string; version: string; commit: string; bridgedBy: string };
    source: string;
    generatedBy: string;
    resources: Record<string, ReplacementEntry>;
}

export const REPLACEMENT_TABLE: ReplacementTable = table as ReplacementTable;

/** The values found at a dotted path, descending into arrays element by element. Pure. */
export function valuesAt(value: unknown, path: string[]): unknown[] {
    if (path.length === 0) return value === undefined ? [] : [value];
    if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
    if (value !== null && typeof value === "object") {
        return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
    }
    return [];
}

/** Deep equality of JSON values (object key order ignored, array order kept). Pure. */
export function sameValue(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
    }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The value multiset at a path, order-insensitive (Terraform sets have no order). */
function canonical(values: unknown[]): string[] {
    return values.map((v) => JSON.stringify(sortKeys(v))).sort();
}

function sortKeys(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.keys(v as object)
                .sort()
                .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        );
    }
    return v;
}

export interface ReplacementVerdict {
    /** true: the change forces a new resource; false: updated in place; "unknown": no data for the type. */
    replace: boolean | "unknown";
    /** The input paths (or `replaceOnChanges` entries) that force it. */
    forcedBy: string[];
}

/**
 * Whether changing `base` inputs into `head` inputs replaces a resource of `type`. `changed` are the
 * top-level inputs that differ; `replaceOnChanges` is the resource option of the same name (`*` = any).
 * Pure.
 */
export function predictReplacement(
    type: string,
    base: Record<string, unknown>,
    head: Record<string, unknown>,
    changed: string[],
    replaceOnChanges: string[] = [],
    entries: Record<string, ReplacementEntry> = REPLACEMENT_TABLE.resources,
): ReplacementVerdict {
    const forcedBy: string[] = [];
    for (const path of replaceOnChanges) {
        if (path === "*") {
            forcedBy.push(...changed);
            continue;
        }
        const segments = path.replace(/\[\d*\]/g, "").split(".");
        if (changed.includes(segments[0]) && !sameAt(base, head, segments)) forcedBy.push(path);
    }
    const entry = entries[type];
    if (entry) {
        for (const path of entry.forceNew) {
            const segments = path.split(".");
            if (changed.includes(segments[0]) && !sameAt(base, head, segments)) forcedBy.push(path);
        }
    }
    for (const [path, flag] of Object.entries(entry?.replaceWhenFlag ?? {})) {
        if (head[flag] === true && changed.includes(path)) forcedBy.push(`${path} (${flag})`);
    }
    for (const group of entry?.replaceOnSwitch ?? []) {
        const setIn = (inputs: Record<string, unknown>) => group.filter((k) => inputs[k] !== undefined && inputs[k] !== null);
        const was = setIn(base);
        const now = setIn(head);
        if (was.length > 0 && now.length > 0 && was.join() !== now.join()) forcedBy.push(`${was.join("+")} → ${now.join("+")}`);
    }
    const unique = [...new Set(forcedBy)];
    if (unique.length > 0) return { replace: true, forcedBy: unique };
    return { replace: entry ? false : "unknown", forcedBy: [] };
}

function sameAt(base: Record<string, unknown>, head: Record<string, unknown>, segments: string[]): boolean {
    const a = canonical(valuesAt(base, segments));
    const b = canonical(valuesAt(head, segments));
    return a.length === b.length && a.every((v, i) => v === b[i]);
}

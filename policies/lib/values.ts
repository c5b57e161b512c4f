/**
 * Reading resource properties the way a policy must: inputs only, possibly unknown during a real
 * `pulumi preview`. `@pulumi/policy` wraps props in a proxy that THROWS on unknown values (the whole
 * policy is then skipped as "can't run during preview"); rules that index a whole stack read the raw
 * object behind the proxy instead and treat unknowns as "cannot be seen", per value.
 */

/** The sentinels the engine and @pulumi/policy use for values not known until the update (proxy.js). */
const UNKNOWN_SENTINELS = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the wire form of any unknown)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The unknown-string sentinel, for fixtures. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** The plain object behind @pulumi/policy's unknown-checking proxy (or the object itself). */
export function raw(props: unknown): Props {
    if (props === null || typeof props !== "object") return {};
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return (target && typeof target === "object" ? target : props) as Props;
}

/** A known, non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknown(v) ? v : undefined;
}

/** A known number (numbers may arrive as strings from some providers), else undefined. */
export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && !isUnknown(v) && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** true / false for booleans and the provider's "true"/"false" strings; undefined if unset or unknown. */
export function bool(v: unknown): boolean | undefined {
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    return undefined;
}

/** A known array (an unknown array or a missing one is []). */
export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function obj(v: unknown): Props {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {};
}

/** Tags as a map, from either the map shape or the Auto Scaling `[{key, value}]` list shape. */
export function tagsOf(p: Props): Record<string, string> {
    const out: Record<string, string> = {};
    const t = p.tags;
    if (Array.isArray(t)) {
        for (const e of t) {
            const k = str(obj(e).key);
            const v = obj(e).value;
            if (k) out[k] = typeof v === "string" ? v : "";
        }
    } else {
        for (const [k, v] of Object.entries(obj(t))) out[k] = typeof v === "string" ? v : "";
    }
    return out;
}

/** The stack name in a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string | undefined): string | undefined {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn ?? "");
    return m ? m[1] : undefined;
}

/** The resource name at the end of a URN, for messages. */
export function nameOfUrn(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

import type { EnforcementLevel } from "@pulumi/policy";
import type { LoadedPolicyPack } from "./policy-pack";
import { PlanInputError } from "./errors";

/** The `--policy-pack-config` file: `{ "all": level, "<policy>": level | { enforcementLevel?, ...props } }`. */
export type PolicyConfigFile = Record<string, unknown>;

export interface ResolvedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Resolves each policy's config as the CLI does: schema defaults, then the pack's initial config,
 * then the config file; `all` sets the enforcement level of every policy, a policy's own entry wins.
 */
export function resolvePolicyConfig(pack: Pick<LoadedPolicyPack, "policies" | "initialConfig">, file: PolicyConfigFile = {}): Map<string, ResolvedPolicyConfig> {
    // As the CLI does: a config entry for a policy the pack does not have is an error (a typo would
    // otherwise silently leave the policy at its default level).
    const known = new Set(pack.policies.map((p) => p.name));
    const unknown = Object.keys(file).filter((k) => k !== "all" && !known.has(k));
    if (unknown.length > 0) {
        throw new PlanInputError(`the policy pack config names ${unknown.length === 1 ? "a policy" : "policies"} the pack does not have: ${unknown.join(", ")} (its policies: ${[...known].join(", ")})`);
    }
    const out = new Map<string, ResolvedPolicyConfig>();
    const split = (v: unknown): ResolvedPolicyConfig => {
        if (typeof v === "string") return { enforcementLevel: v as EnforcementLevel, properties: {} };
        if (v && typeof v === "object") {
            const { enforcementLevel, ...properties } = v as Record<string, unknown>;
            return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        }
        return { properties: {} };
    };
    const initial = (pack.initialConfig ?? {}) as Record<string, unknown>;
    const allLevel = split(file.all ?? initial.all).enforcementLevel;
    for (const p of pack.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            const d = (schema as { default?: unknown }).default;
            if (d !== undefined) defaults[k] = d;
        }
        const fromInitial = split(initial[p.name]);
        const fromFile = split(file[p.name]);
        out.set(p.name, {
            enforcementLevel: fromFile.enforcementLevel ?? fromInitial.enforcementLevel ?? allLevel,
            properties: { ...defaults, ...fromInitial.properties, ...fromFile.properties },
        });
    }
    return out;
}

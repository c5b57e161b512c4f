import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { Report, isProductionStack, productionConfigProperties, reporterFor, stackOf } from "./production";
import { Res, StackIndex } from "./stack";
import { MULTI_AZ_EXEMPT_TAG } from "./types";
import { tagsOf } from "./values";

/**
 * The Multi-AZ rules share one shape: a stack policy, mandatory in production and advisory elsewhere
 * (see production.ts for how the level is chosen), configurable per policy, and blind to resources
 * carrying the exemption tag `platform:multi-az-exempt` (value: why, e.g. `hpc-cluster-placement-group`).
 * The tag exempts from these rules ONLY; every other rule still applies.
 */
export interface MultiAzContext {
    ix: StackIndex;
    production: boolean;
    config: Record<string, unknown>;
    report: Report;
}

/** Whether a resource carries the Multi-AZ exemption marker (with a non-empty reason). */
export function isMultiAzExempt(res: Res): boolean {
    const reason = tagsOf(res.props)[MULTI_AZ_EXEMPT_TAG];
    return typeof reason === "string" && reason.trim() !== "";
}

export function multiAzPolicy(spec: {
    name: string;
    description: string;
    config?: PolicyConfigSchema["properties"];
    check: (ctx: MultiAzContext) => void;
}): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        configSchema: { properties: { ...productionConfigProperties, ...(spec.config ?? {}) } },
        validateStack: (args, reportViolation) => {
            const config = args.getConfig<Record<string, unknown>>();
            const production = isProductionStack(stackOf(args.resources), config);
            const ix = StackIndex.of(args.resources);
            spec.check({ ix, production, config, report: reporterFor(reportViolation, production, spec.description) });
        },
    };
}

/** "(assumed: ...)" suffix for messages built on opaque inputs. */
export function assumptions(list: string[]): string {
    return list.length > 0 ? ` (seen from inputs: ${list.join("; ")})` : "";
}

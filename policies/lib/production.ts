import type { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { stackOfUrn } from "./values";

/**
 * Which stacks are production, and how a rule that is mandatory only there reports.
 *
 * A stack is production when it is named `prod` or `prod-*`, unless the policy's config says
 * otherwise (CrossGuard's own mechanism: `pulumi preview --policy-pack-config file.json`, read the
 * same way by the offline plan):
 *   { "multi-az-load-balancer": { "production": true } }             this stack is production
 *   { "multi-az-load-balancer": { "productionStacks": ["live-*"] } } patterns that are
 */

export const DEFAULT_PRODUCTION_STACKS = ["prod", "prod-*"];

/** Config properties shared by every rule whose verdict depends on the stack class. */
export const productionConfigProperties: NonNullable<PolicyConfigSchema["properties"]> = {
    production: {
        type: "boolean",
        description: "Treat this stack as production (true) or not (false), whatever its name.",
    },
    productionStacks: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_PRODUCTION_STACKS,
        description: "Stack names that are production; `*` matches any characters.",
    },
};

function matches(pattern: string, stack: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return re.test(stack);
}

/** Whether `stack` is production under the policy config `cfg` (see the module comment). Pure. */
export function isProductionStack(stack: string | undefined, cfg: Record<string, unknown> = {}): boolean {
    if (typeof cfg.production === "boolean") return cfg.production;
    const patterns = Array.isArray(cfg.productionStacks) ? cfg.productionStacks.filter((p): p is string => typeof p === "string") : DEFAULT_PRODUCTION_STACKS;
    return stack !== undefined && patterns.some((p) => matches(p, stack));
}

/** The stack of a resource list (every URN carries it). */
export function stackOf(resources: { urn: string }[]): string | undefined {
    for (const r of resources) {
        const s = stackOfUrn(r.urn);
        if (s) return s;
    }
    return undefined;
}

/** The object form of a violation, honoured by @pulumi/policy's server (makeReportViolationFun) and by the offline plan. */
interface ViolationInfo {
    message: string;
    urn?: string;
    enforcementLevel: "advisory";
}

export type Report = (message: string, urn?: string) => void;

/**
 * Reports at the policy's resolved level in production (mandatory unless the pack config lowers it),
 * and as advisory elsewhere. The advisory form is the object form of `reportViolation`, whose
 * `enforcementLevel` @pulumi/policy's server uses in place of the policy's own; it can only lower
 * the level, never raise one the config lowered. The message is prefixed with the description, as
 * the string form does.
 */
export function reporterFor(report: ReportViolation, production: boolean, description: string): Report {
    if (production) return (message, urn) => report(message, urn);
    const objectForm = report as unknown as (info: ViolationInfo) => void;
    return (message, urn) => objectForm({ message: `${description}\n${message}`, urn, enforcementLevel: "advisory" });
}

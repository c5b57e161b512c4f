import { checkPlatformConfig, ConfigError, PlatformConfig } from "../config";
import type { ConfigProblem } from "../config/validation";
import { validateCatalog } from "./catalog";
import { validateHpc } from "./hpc";
import { validateBlockingNetworkAcl } from "../components/network-acl";
import { guardrailProblems } from "./first-up";

/**
 * The stack's one preflight, run before anything is registered: the stack config (shapes and
 * cross-references), the region's AZs against `azCount`, and every component's own checks — the
 * catalog's applications, services and environments and the HPC cluster — and what the policy pack
 * would reject that config alone decides, on whatever parsed, so that every problem is reported at
 * once, each with the config path to fix.
 */

export interface Preflight {
    cfg: PlatformConfig;
    /** The AZs the network spans: the region's first `azCount`, sorted. */
    availabilityZones: string[];
}

/** Every problem of the stack's config and of the components it asks for. Registers nothing. Pure. */
export function preflightProblems(
    raw: Record<string, string>,
    project: string,
    stack: string,
    zoneNames: string[],
    cwd?: string,
): { problems: ConfigProblem[]; cfg?: PlatformConfig; availabilityZones: string[] } {
    const checked = checkPlatformConfig(raw, project, stack);
    const problems = [...checked.problems];
    const p = checked.partial;
    if (p.azCount !== undefined && zoneNames.length < p.azCount) {
        problems.push({
            path: `${p.project}:azCount`,
            message: `${p.region ?? "the region"} offers ${zoneNames.length} AZs (${zoneNames.join(", ")}), fewer than the ${p.azCount} asked for`,
        });
    }
    const availabilityZones = [...zoneNames].sort().slice(0, p.azCount ?? zoneNames.length);
    for (const e of validateBlockingNetworkAcl(checked.config?.network.blockIps ?? []).problems) problems.push({ path: `${project}:network.${e.propertyPath}`, message: e.reason });
    if (p.environmentClass !== undefined) {
        const ctx = { project: p.project, stack: p.stack, environmentClass: p.environmentClass, region: p.region, secondaryRegion: p.secondaryRegion, availabilityZones };
        problems.push(...validateCatalog(p.applications, ctx, cwd));
        problems.push(...guardrailProblems(p.applications, p.project, p.environmentClass === "production"));
        if (p.hpc) {
            const settings = { project: p.project, stack: p.stack, environmentClass: p.environmentClass, isProduction: p.environmentClass === "production", tags: p.tags };
            problems.push(...validateHpc(p.hpc, settings, availabilityZones));
        }
    }
    return { problems, cfg: checked.config, availabilityZones };
}

/** {@link preflightProblems}, throwing one ConfigError listing every problem with its config path. */
export function preflight(raw: Record<string, string>, project: string, stack: string, zoneNames: string[], cwd?: string): Preflight {
    const { problems, cfg, availabilityZones } = preflightProblems(raw, project, stack, zoneNames, cwd);
    if (problems.length > 0 || !cfg) {
        throw new ConfigError(`stack '${stack}' config`, problems);
    }
    return { cfg, availabilityZones };
}

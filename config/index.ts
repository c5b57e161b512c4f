import { z } from "zod";
import { ConfigError, ConfigProblem, issuesToProblems } from "./validation";
import { EnvironmentClass, NatGatewayStrategy, environmentClasses, platformConfigSchema } from "./schema";
import { HpcConfig, hpcSchema, resolveHpcConfig } from "./hpc";
import { ApplicationConfig, applicationConfigSchema, crossCheckApplications } from "./applications";
import { awsRegion, int } from "./primitives";
import { formatIssuePath } from "./validation";

export { ConfigError } from "./validation";
export type { EnvironmentClass, NatGatewayStrategy } from "./schema";

/** The validated stack config with every default resolved from the environment class. */
export interface PlatformConfig {
    project: string;
    stack: string;
    region: string;
    environmentClass: EnvironmentClass;
    isProduction: boolean;
    azCount: number;
    secondaryRegion?: string;
    network: { cidrBlock: string; natGateways: NatGatewayStrategy; flowLogs: boolean; secondaryCidrBlock?: string; blockIps: string[] };
    tags: Record<string, string>;
    hpc: HpcConfig;
    /** `platform:applications`, validated for shape and cross-references; the catalog checks the rest. */
    applications: ApplicationConfig[];
}

/**
 * What the stack config checks found: every problem, and whatever parsed, so that later checks (the
 * components' own) can run on the valid parts and report together with the shape problems.
 */
export interface ConfigCheck {
    /** The whole config with defaults resolved; only when it has no problem. */
    config?: PlatformConfig;
    problems: ConfigProblem[];
    /** Facts the component checks need, each present when its own key parsed. */
    partial: {
        project: string;
        stack: string;
        region?: string;
        environmentClass?: EnvironmentClass;
        azCount?: number;
        secondaryRegion?: string;
        cidrBlock: string;
        tags: Record<string, string>;
        /** `applications[i]` when that entry parsed on its own (undefined where it did not). */
        applications: (ApplicationConfig | undefined)[];
        /** `hpc` with defaults resolved, when it parsed on its own. */
        hpc?: HpcConfig;
    };
}

/** Parses a raw config value the way `pulumi.Config.getObject` does: JSON for structured values, else the string. */
function parseRawValue(value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

/**
 * Reads every `<project>:` key of the stack config, validates it against the schema, checks the
 * cross-references between entries (even when some entry fails the schema) and resolves defaults.
 * `raw` is the stack's config as `pulumi.runtime.allConfig()` returns it. Registers nothing and
 * throws nothing. Pure: imports no Pulumi package.
 */
export function checkPlatformConfig(
    raw: Record<string, string>,
    project: string,
    stack: string,
): ConfigCheck {
    const prefix = `${project}:`;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(prefix)) {
            values[key.slice(prefix.length)] = parseRawValue(value);
        }
    }
    const problems: ConfigProblem[] = [];
    const region = raw["aws:region"];
    if (!region) {
        problems.push({ path: "aws:region", message: "required: the primary AWS region (pulumi config set aws:region us-east-1)" });
    }
    const parsed = platformConfigSchema.safeParse(values);
    if (!parsed.success) {
        problems.push(...issuesToProblems(prefix, parsed.error.issues));
    }
    // Cross-references on the raw values: reported even when the shapes are wrong elsewhere.
    for (const issue of crossCheckApplications(values.applications)) {
        problems.push({ path: formatIssuePath(`${prefix}applications`, issue.path), message: issue.message });
    }
    if (parsed.success && region && parsed.data.secondaryRegion === region) {
        problems.push({ path: `${prefix}secondaryRegion`, message: `must differ from the primary region ${region}` });
    }

    // Whatever parsed on its own, for the component checks.
    const environmentClass = z.enum(environmentClasses).safeParse(values.environmentClass).data;
    const isProduction = environmentClass === "production";
    const azCount = values.azCount === undefined ? (environmentClass ? (isProduction ? 3 : 2) : undefined) : int().safeParse(values.azCount).data;
    const secondaryRegion = awsRegion().safeParse(values.secondaryRegion).data;
    const network = parsed.success ? parsed.data.network : undefined;
    const tags = { "platform:stack": stack, ...(environmentClass ? { "platform:environment-class": environmentClass } : {}), ...(parsed.data?.tags ?? {}) };
    const applications = parsed.success
        ? (parsed.data.applications ?? [])
        : Array.isArray(values.applications)
          ? values.applications.map((a) => applicationConfigSchema.safeParse(a).data)
          : [];
    const hpcParsed = hpcSchema.safeParse(values.hpc);
    const hpc = hpcParsed.success ? resolveHpcConfig(hpcParsed.data, isProduction) : undefined;
    const partial = { project, stack, region, environmentClass, azCount, secondaryRegion, cidrBlock: network?.cidrBlock ?? "10.0.0.0/16", tags, applications, hpc };
    if (problems.length > 0 || !parsed.success) {
        return { problems, partial };
    }
    const cfg = parsed.data;
    return {
        problems,
        partial,
        config: {
            project,
            stack,
            region: region!,
            environmentClass: cfg.environmentClass,
            isProduction,
            azCount: cfg.azCount ?? (isProduction ? 3 : 2),
            secondaryRegion: cfg.secondaryRegion,
            network: {
                cidrBlock: cfg.network?.cidrBlock ?? "10.0.0.0/16",
                natGateways: cfg.network?.natGateways ?? (isProduction ? "perAz" : "single"),
                flowLogs: cfg.network?.flowLogs ?? true,
                secondaryCidrBlock: cfg.network?.secondaryCidrBlock,
                blockIps: cfg.network?.blockIps ?? [],
            },
            hpc: resolveHpcConfig(cfg.hpc, isProduction),
            applications: cfg.applications ?? [],
            tags: { "platform:stack": stack, "platform:environment-class": cfg.environmentClass, ...(cfg.tags ?? {}) },
        },
    };
}

/**
 * {@link checkPlatformConfig}, throwing one ConfigError that lists every problem with its config
 * path. Nothing is registered.
 */
export function loadPlatformConfig(
    raw: Record<string, string>,
    project: string,
    stack: string,
): PlatformConfig {
    const checked = checkPlatformConfig(raw, project, stack);
    if (!checked.config) {
        throw new ConfigError(`stack '${stack}' config`, checked.problems);
    }
    return checked.config;
}

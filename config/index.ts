import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigProblem, issuesToProblems } from "./validation";
import { EnvironmentClass, NatGatewayStrategy, platformConfigSchema } from "./schema";
import { HpcConfig, resolveHpcConfig } from "./hpc";
import type { ApplicationConfig } from "./applications";
import { DataConfig } from "./data";

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
    network: { cidrBlock: string; natGateways: NatGatewayStrategy; flowLogs: boolean };
    tags: Record<string, string>;
    hpc: HpcConfig;
    /** `platform:applications`, validated for shape; the catalog checks the rest. */
    applications: ApplicationConfig[];
    /** `platform:data`, as given (components resolve the defaults). */
    data?: DataConfig;
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
 * Reads every `<project>:` key of the stack config, validates it against the schema and resolves
 * defaults. Every problem is reported at once, each with its config path; nothing is registered.
 */
export function loadPlatformConfig(
    raw: Record<string, string> = pulumi.runtime.allConfig(),
    project: string = pulumi.getProject(),
    stack: string = pulumi.getStack(),
): PlatformConfig {
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
    if (parsed.success && region && parsed.data.secondaryRegion === region) {
        problems.push({ path: `${prefix}secondaryRegion`, message: `must differ from the primary region ${region}` });
    }
    if (problems.length > 0 || !parsed.success) {
        throw new ConfigError(`stack '${stack}' config`, problems);
    }
    const cfg = parsed.data;
    const isProduction = cfg.environmentClass === "production";
    return {
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
        },
        hpc: resolveHpcConfig(cfg.hpc, isProduction),
        applications: cfg.applications ?? [],
        data: cfg.data,
        tags: { "platform:stack": stack, "platform:environment-class": cfg.environmentClass, ...(cfg.tags ?? {}) },
    };
}

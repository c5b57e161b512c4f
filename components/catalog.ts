import * as pulumi from "@pulumi/pulumi";
import type { ApplicationConfig, EnvironmentConfig } from "../config/applications";
import { ConfigError, ConfigProblem } from "../config/validation";
import { Application, EnvironmentClass, validateApplicationArgs } from "./application";
import { ApplicationVersion, validateApplicationVersionArgs } from "./application-version";
import { Environment, EnvironmentArgs, settingsInput } from "./environment";
import { validateEnvironmentSettings } from "./environment-settings";
import type { NetworkRef } from "./network";

/**
 * Builds the applications a stack declares under `platform:applications`: for each, an Application
 * with its one ApplicationVersion and its Environments, all children of the Application (an
 * Environment is not a child of its version: moving it to another version must update it in place,
 * not re-create it under a new URN).
 */

export interface CatalogContext {
    project: string;
    environmentClass: EnvironmentClass;
    tags?: Record<string, string>;
}

/** What the stack exports per environment. */
export interface EnvironmentOutputs {
    tier: string;
    mode: string;
    url?: pulumi.Output<string>;
    elasticIp?: pulumi.Output<string>;
    queueUrl?: pulumi.Output<string>;
    deadLetterQueueUrl?: pulumi.Output<string>;
    instanceSecurityGroupId: pulumi.Output<string>;
    autoScalingGroupName: pulumi.Output<string>;
}

export interface Catalog {
    applications: Record<string, Application>;
    /** Keyed `<app>-<env>`. */
    environments: Record<string, Environment>;
    outputs: Record<string, { version: string; environments: Record<string, EnvironmentOutputs> }>;
}

/** Hosted zone ids look like Z0123456789ABCDEFGHIJ; anything else is a zone name. */
const ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

/** The plain Environment arguments an environment's config gives. Pure. */
export function environmentArgsFromConfig(
    env: EnvironmentConfig,
    environmentClass: EnvironmentClass,
): Omit<EnvironmentArgs, "network" | "application" | "version" | "worker"> {
    const zone = env.hostedZone;
    return {
        tier: env.tier,
        environmentClass,
        mode: env.mode,
        instanceType: env.instanceType,
        minSize: env.minSize,
        maxSize: env.maxSize,
        desiredCapacity: env.desiredCapacity,
        port: env.port,
        healthCheckPath: env.healthCheckPath,
        domain: env.domain,
        hostedZoneId: zone !== undefined && ZONE_ID.test(zone) ? zone : undefined,
        hostedZoneName: zone !== undefined && !ZONE_ID.test(zone) ? zone : undefined,
        stickiness: env.stickiness !== undefined ? { durationSeconds: env.stickiness } : undefined,
        environment: env.env,
        secrets: env.secrets,
    };
}

/** Component argument paths → the config keys a user edits. */
function configPath(base: string, propertyPath: string, project: string): string {
    const [head, ...rest] = propertyPath.split(".");
    const tail = rest.length ? `.${rest.join(".")}` : "";
    switch (head) {
        case "network":
            return `${project}:azCount`;
        case "stickiness":
            return `${base}.stickiness`;
        case "environment":
            return `${base}.env${tail}`;
        case "worker":
            return `${base}.feeds`;
        case "hostedZone":
            return `${base}.hostedZone`;
        default:
            return `${base}.${propertyPath}`;
    }
}

/**
 * Runs every component's validation over the whole catalog and returns all problems, each with the
 * config path to fix. Nothing is registered. Exported for tests.
 */
export function validateCatalog(apps: ApplicationConfig[], ctx: CatalogContext & { availabilityZones: string[] }, cwd?: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const prefix = `${ctx.project}:applications`;
    apps.forEach((app, i) => {
        const appPath = `${prefix}[${i}]`;
        for (const e of validateApplicationArgs(app.name, { versionsToKeep: app.versionsToKeep }).problems) {
            problems.push({ path: `${appPath}.${e.propertyPath}`, message: e.reason });
        }
        for (const e of validateApplicationVersionArgs({ label: app.version.label, source: app.version.source }, cwd).problems) {
            problems.push({ path: `${appPath}.version.${e.propertyPath}`, message: e.reason });
        }
        app.environments.forEach((env, j) => {
            const base = `${appPath}.environments[${j}]`;
            const input = settingsInput({
                ...environmentArgsFromConfig(env, ctx.environmentClass),
                network: { availabilityZones: ctx.availabilityZones },
                application: { environmentClass: ctx.environmentClass },
                worker: env.feeds !== undefined ? { tier: "worker" } : undefined,
            });
            for (const e of validateEnvironmentSettings(input).problems) {
                problems.push({ path: configPath(base, e.propertyPath, ctx.project), message: e.reason });
            }
        });
    });
    return problems;
}

/** Validates the whole catalog, then builds it. Throws one ConfigError listing every problem. */
export function buildApplications(apps: ApplicationConfig[], network: NetworkRef, ctx: CatalogContext): Catalog {
    const problems = validateCatalog(apps, { ...ctx, availabilityZones: network.availabilityZones });
    if (problems.length > 0) {
        throw new ConfigError("platform:applications", problems);
    }
    const catalog: Catalog = { applications: {}, environments: {}, outputs: {} };
    for (const cfg of apps) {
        const app = new Application(cfg.name, { environmentClass: ctx.environmentClass, versionsToKeep: cfg.versionsToKeep, tags: ctx.tags });
        const version = new ApplicationVersion(
            `${cfg.name}-${cfg.version.label}`,
            { application: app, label: cfg.version.label, source: cfg.version.source },
            { parent: app },
        );
        catalog.applications[cfg.name] = app;
        const envOutputs: Record<string, EnvironmentOutputs> = {};
        // Workers first: a web environment that feeds one needs its queue.
        const ordered = [...cfg.environments].sort((a, b) => (a.tier === b.tier ? 0 : a.tier === "worker" ? -1 : 1));
        const built = new Map<string, Environment>();
        for (const env of ordered) {
            const environment = new Environment(
                `${cfg.name}-${env.name}`,
                {
                    ...environmentArgsFromConfig(env, ctx.environmentClass),
                    network,
                    application: app,
                    version,
                    worker: env.feeds !== undefined ? built.get(env.feeds) : undefined,
                },
                { parent: app },
            );
            built.set(env.name, environment);
            catalog.environments[`${cfg.name}-${env.name}`] = environment;
        }
        for (const env of cfg.environments) {
            const e = built.get(env.name)!;
            envOutputs[env.name] = {
                tier: e.tier,
                mode: e.mode,
                url: e.url,
                elasticIp: e.elasticIp,
                queueUrl: e.queueUrl,
                deadLetterQueueUrl: e.deadLetterQueueUrl,
                instanceSecurityGroupId: e.instanceSecurityGroupId,
                autoScalingGroupName: e.autoScalingGroupName,
            };
        }
        catalog.outputs[cfg.name] = { version: cfg.version.label, environments: envOutputs };
    }
    return catalog;
}

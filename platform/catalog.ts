import * as pulumi from "@pulumi/pulumi";
import type { ApplicationConfig, EnvironmentConfig } from "../config/applications";
import type { PlatformConfig } from "../config";
import { ConfigError, ConfigProblem } from "../config/validation";
import { Application, EnvironmentClass, validateApplicationArgs } from "../components/application";
import { ApplicationVersion, validateApplicationVersionArgs } from "../components/application-version";
import {
    ApplicationServices,
    SecondaryRegion,
    buildSecondaryRegion,
    buildServices,
    declaredServices,
    needsSecondaryRegion,
    secondaryCidrBlock,
    validateServices,
} from "./services";
import { Environment, EnvironmentArgs, ServiceBinding, settingsInput } from "../components/environment";
import { loadBalancerNameProblem, resolveEnvironmentSettings, validateEnvironmentSettings } from "../components/environment-settings";
import type { NetworkRef } from "../components/network";
import { buildApplicationEvents, buildBucketNotifications, eventAndEdgeArgsFromConfig, environmentEventArgs, queueSenders, validateApplicationEvents } from "./events";

/**
 * The self-service catalog: builds the applications a stack declares under `platform:applications`.
 * For each, an Application with its one ApplicationVersion, its backing services (database, cache,
 * file system) and its Environments, all children of the Application (an Environment is not a child
 * of its version: moving it to another version must update it in place, not re-create it under a new
 * URN). Each environment uses the services listed in its `uses` (default: all the application
 * declares): its instance group is chained to each service's group, it gets their endpoints as
 * variables and read on their secrets, and file systems are mounted at boot.
 *
 * Everything is validated first ({@link preflight}): the config shapes, the cross-references and
 * every component's own checks, all problems in one error, before any resource is registered.
 * Per-application work is constant: no lookup scans the catalog.
 */

export interface CatalogContext {
    project: string;
    environmentClass: EnvironmentClass;
    /** Defaults to the running stack (only used to name Aurora global clusters). */
    stack?: string;
    /** The primary region. Defaults to the provider's. */
    region?: string;
    /** `platform:secondaryRegion`, for aurora-global databases. Defaults to none. */
    secondaryRegion?: string;
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

/** What the stack exports per application (no secret, no secret ARN). */
export interface ApplicationOutputs {
    version: string;
    /** The URL of the application's first web environment. */
    url?: pulumi.Output<string>;
    environments: Record<string, EnvironmentOutputs>;
    /** Endpoints of the database, cache and file system the application declares. */
    database?: unknown;
    cache?: unknown;
    fileSystem?: unknown;
}

export interface Catalog {
    applications: Record<string, Application>;
    /** Keyed `<app>-<env>`. */
    environments: Record<string, Environment>;
    /** Keyed by application name. */
    services: Record<string, ApplicationServices>;
    /** The Aurora Global secondary region, when some application needs it. */
    secondaryRegion?: SecondaryRegion;
    outputs: Record<string, ApplicationOutputs>;
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
        ...eventAndEdgeArgsFromConfig(env),
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
        case "queue":
            return `${base}.maxReceiveCount`;
        default:
            return `${base}.${propertyPath}`;
    }
}

/**
 * Runs every component's validation over the whole catalog and returns all problems, each with the
 * config path to fix. Entries given as undefined (they failed the schema) are skipped, so the
 * others are still checked. Nothing is registered. Exported for tests.
 */
export function validateCatalog(
    apps: ReadonlyArray<ApplicationConfig | undefined>,
    ctx: CatalogContext & { availabilityZones: string[] },
    cwd?: string,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const prefix = `${ctx.project}:applications`;
    const serviceCtx = { ...ctx, stack: ctx.stack ?? "stack" };
    apps.forEach((app, i) => {
        if (app === undefined) return;
        const appPath = `${prefix}[${i}]`;
        for (const e of validateApplicationArgs(app.name, { versionsToKeep: app.versionsToKeep }).problems) {
            problems.push({ path: `${appPath}.${e.propertyPath}`, message: e.reason });
        }
        for (const e of validateApplicationVersionArgs({ label: app.version.label, source: app.version.source }, cwd).problems) {
            problems.push({ path: `${appPath}.version.${e.propertyPath}`, message: e.reason });
        }
        problems.push(...validateServices(app, appPath, serviceCtx, ctx.availabilityZones));
        problems.push(...validateApplicationEvents(app, appPath, serviceCtx));
        app.environments.forEach((env, j) => {
            const base = `${appPath}.environments[${j}]`;
            const input = settingsInput({
                ...environmentArgsFromConfig(env, ctx.environmentClass),
                network: { availabilityZones: ctx.availabilityZones },
                application: { environmentClass: ctx.environmentClass },
                worker: env.feeds !== undefined ? { tier: "worker" } : undefined,
            });
            const found = validateEnvironmentSettings(input);
            for (const e of found.problems) {
                problems.push({ path: configPath(base, e.propertyPath, ctx.project), message: e.reason });
            }
            if (found.problems.length === 0) {
                const s = resolveEnvironmentSettings(input);
                const long = loadBalancerNameProblem(`${app.name}-${env.name}`, s.tier, s.mode);
                if (long) problems.push({ path: `${base}.name`, message: long });
            }
        });
    });
    return problems;
}

/** The services an environment uses: those it lists in `uses`, else every one its application declares. Pure. */
export function servicesUsed(app: ApplicationConfig, env: EnvironmentConfig): ReturnType<typeof declaredServices> {
    return env.uses ? [...new Set(env.uses)] : declaredServices(app);
}

/**
 * Builds the stack's catalog from validated config (see {@link preflight}): the shared Aurora
 * Global secondary region first when some application needs it, then every application.
 */
export async function buildCatalog(cfg: PlatformConfig, network: NetworkRef): Promise<Catalog> {
    const secondary =
        cfg.secondaryRegion && needsSecondaryRegion(cfg.applications, cfg.environmentClass)
            ? await buildSecondaryRegion({
                  project: cfg.project,
                  region: cfg.secondaryRegion,
                  azCount: cfg.azCount,
                  cidrBlock: cfg.network.secondaryCidrBlock ?? secondaryCidrBlock(cfg.network.cidrBlock),
                  flowLogs: cfg.network.flowLogs,
                  production: cfg.isProduction,
                  tags: cfg.tags,
              })
            : undefined;
    return buildApplications(
        cfg.applications,
        network,
        { project: cfg.project, stack: cfg.stack, environmentClass: cfg.environmentClass, region: cfg.region, secondaryRegion: cfg.secondaryRegion, tags: cfg.tags },
        secondary,
    );
}

/** Validates the whole catalog, then builds it. Throws one ConfigError listing every problem. */
export function buildApplications(apps: ApplicationConfig[], network: NetworkRef, ctx: CatalogContext, secondary?: SecondaryRegion): Catalog {
    const problems = validateCatalog(apps, { ...ctx, availabilityZones: network.availabilityZones });
    if (problems.length > 0) {
        throw new ConfigError("platform:applications", problems);
    }
    const serviceCtx = { ...ctx, stack: ctx.stack ?? pulumi.getStack() };
    const catalog: Catalog = { applications: {}, environments: {}, services: {}, secondaryRegion: secondary, outputs: {} };
    for (const cfg of apps) {
        const app = new Application(cfg.name, { environmentClass: ctx.environmentClass, versionsToKeep: cfg.versionsToKeep, tags: ctx.tags, queueSenders: queueSenders(cfg) });
        const events = buildApplicationEvents(cfg, app, serviceCtx.stack, ctx.environmentClass === "production");
        const version = new ApplicationVersion(
            `${cfg.name}-${cfg.version.label}`,
            { application: app, label: cfg.version.label, source: cfg.version.source },
            { parent: app },
        );
        catalog.applications[cfg.name] = app;
        const services = buildServices(cfg, network, serviceCtx, app, secondary);
        catalog.services[cfg.name] = services;
        const envOutputs: Record<string, EnvironmentOutputs> = {};
        // Workers first: a web environment that feeds one needs its queue.
        const ordered = [...cfg.environments].sort((a, b) => (a.tier === b.tier ? 0 : a.tier === "worker" ? -1 : 1));
        const built = new Map<string, Environment>();
        for (const env of ordered) {
            const environment = new Environment(
                `${cfg.name}-${env.name}`,
                {
                    ...environmentArgsFromConfig(env, ctx.environmentClass),
                    ...environmentEventArgs(env, events),
                    network,
                    application: app,
                    version,
                    worker: env.feeds !== undefined ? built.get(env.feeds) : undefined,
                    services: servicesUsed(cfg, env)
                        .map((k) => services.bindings[k])
                        .filter((b): b is ServiceBinding => b !== undefined),
                    // The application used to own one instance role and profile for all its environments: the
                    // first environment adopts them (updated in place); the others get new ones.
                    instanceRoleAliases: env === cfg.environments[0] ? [{ name: `${cfg.name}-instance`, parent: app }] : undefined,
                },
                { parent: app },
            );
            built.set(env.name, environment);
            catalog.environments[`${cfg.name}-${env.name}`] = environment;
        }
        buildBucketNotifications(cfg, app, events, built);
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
        const firstWeb = cfg.environments.find((e) => e.tier === "web");
        catalog.outputs[cfg.name] = {
            version: cfg.version.label,
            ...(firstWeb ? { url: built.get(firstWeb.name)?.url } : {}),
            environments: envOutputs,
            ...services.outputs,
        };
    }
    return catalog;
}

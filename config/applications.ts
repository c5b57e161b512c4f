import { z } from "zod";
import { cacheConfigSchema, databaseConfigSchema, fileSystemConfigSchema, serviceKinds } from "./data";
import { int, resourceName } from "./primitives";
import { applicationEventKeys, environmentEventKeys } from "./events";
import { environmentEdgeKeys } from "./edge";

/**
 * `platform:applications`: the applications a stack runs, each with one version and its
 * environments (Elastic Beanstalk's application → version → environment model). Deeper checks (AWS
 * limits, impossible combinations) are the Environment component's own, run for every environment
 * before anything is registered and reported with these config paths.
 *
 * An application may declare backing services (`database`, `cache`, `fileSystem`, see
 * config/data.ts); each environment uses all of them unless it lists the ones it needs in `uses`.
 * The guide is docs/add-your-application.md.
 *
 * Example (Pulumi.prod.yaml):
 *   platform:applications:
 *     - name: shop
 *       version: { label: v1, source: { path: apps/shop } }
 *       environments:
 *         - { name: web, tier: web, feeds: jobs }
 *         - { name: jobs, tier: worker, uses: [database] }
 *       database: { kind: rds, engine: postgres }
 *       cache: {}
 */

export const versionSourceSchema = z.union([
    /** A local folder or .zip, relative to the project directory, uploaded to the application's bucket. */
    z.strictObject({ path: z.string().min(1) }),
    /** An object already in S3. */
    z.strictObject({ s3: z.strictObject({ bucket: z.string().min(3), key: z.string().min(1), versionId: z.string().optional() }) }),
    /** A golden AMI. */
    z.strictObject({ ami: z.string().regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "expected an AMI id such as ami-0123456789abcdef0") }),
]);

export const environmentConfigSchema = z.strictObject({
    /** Environment name inside the application; resources are named `<app>-<name>`. */
    name: resourceName(20),
    tier: z.enum(["web", "worker"]),
    /** Defaults to single in development, ha in production. */
    mode: z.enum(["single", "ha"]).optional(),
    /** Defaults to t3.small. */
    instanceType: z.string().optional(),
    minSize: int().optional(),
    maxSize: int().optional(),
    desiredCapacity: int().optional(),
    /** The app's port (web). Defaults to 8080. */
    port: int().optional(),
    /** Load balancer health check path (web, ha). Defaults to "/". */
    healthCheckPath: z.string().optional(),
    /** DNS name (web); needs hostedZone. */
    domain: z.string().optional(),
    /** Public hosted zone of `domain`: its id (Z…) or its name. */
    hostedZone: z.string().min(1).optional(),
    /** Duration-cookie stickiness in seconds (web, ha). Defaults to off. */
    stickiness: int().optional(),
    /** Name of a worker environment of the same application that this web environment sends messages to. */
    feeds: z.string().optional(),
    /** Extra environment variables (plain values; secrets go in `secrets`). */
    env: z.record(z.string(), z.string()).optional(),
    /** Variable name → Secrets Manager or SSM parameter ARN, read at boot. */
    secrets: z.record(z.string(), z.string()).optional(),
    /** The application's services this environment reaches (security-group chain, endpoint variables, secret read). Defaults to every service the application declares. */
    uses: z.array(z.enum(serviceKinds)).optional(),
    /** Event sources and producers (config/events.ts). */
    ...environmentEventKeys,
    /** WAF and CloudFront (config/edge.ts). */
    ...environmentEdgeKeys,
});

export const applicationConfigSchema = z.strictObject({
    name: resourceName(20),
    /** Object versions kept per bundle key (1–100). Defaults to 10. */
    versionsToKeep: int().optional(),
    version: z.strictObject({ label: z.string().min(1), source: versionSourceSchema }),
    environments: z.array(environmentConfigSchema).min(1, "an application needs at least one environment"),
    /** The application's relational database. Defaults to none. */
    database: databaseConfigSchema.optional(),
    /** The application's session cache (Valkey/Redis). Defaults to none. */
    cache: cacheConfigSchema.optional(),
    /** The application's shared EFS file system, mounted on every instance of the environments using it. Defaults to none. */
    fileSystem: fileSystemConfigSchema.optional(),
    /** SNS topics and event buckets (config/events.ts). */
    ...applicationEventKeys,
});

/**
 * Shapes only; the cross-references (unique names, `feeds`, `uses`) are checked by
 * {@link crossCheckApplications} on the raw values, so they are reported together with shape errors.
 */
export const applicationsSchema = z.array(applicationConfigSchema);

type Path = (string | number)[];
export interface CrossReferenceIssue {
    /** Path below `applications`. */
    path: Path;
    message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Cross-references between entries: duplicate application and environment names, `feeds` naming a
 * worker environment of the same application, `uses` naming services the application declares.
 * Runs on the raw config values, whatever their shape, so every problem is reported in one run even
 * when some entry fails the schema. Linear in the size of the catalog. Pure.
 */
export function crossCheckApplications(raw: unknown): CrossReferenceIssue[] {
    const issues: CrossReferenceIssue[] = [];
    if (!Array.isArray(raw)) return issues;
    const appNames = new Set<string>();
    raw.forEach((app, i) => {
        if (!isRecord(app)) return;
        const appName = str(app.name);
        if (appName !== undefined) {
            if (appNames.has(appName)) issues.push({ path: [i, "name"], message: `duplicate application name '${appName}'` });
            appNames.add(appName);
        }
        const label = appName ?? `#${i}`;
        const envs = Array.isArray(app.environments) ? app.environments : [];
        const tiers = new Map<string, unknown>();
        envs.forEach((env, j) => {
            if (!isRecord(env)) return;
            const envName = str(env.name);
            if (envName === undefined) return;
            if (tiers.has(envName)) {
                issues.push({ path: [i, "environments", j, "name"], message: `duplicate environment name '${envName}' in application '${label}'` });
            } else {
                tiers.set(envName, env.tier);
            }
        });
        envs.forEach((env, j) => {
            if (!isRecord(env)) return;
            const feeds = str(env.feeds);
            if (feeds !== undefined) {
                const tier = tiers.get(feeds);
                if (!tiers.has(feeds)) {
                    issues.push({ path: [i, "environments", j, "feeds"], message: `no environment '${feeds}' in application '${label}'` });
                } else if (tier !== "worker") {
                    issues.push({ path: [i, "environments", j, "feeds"], message: `'${feeds}' is a ${String(tier)} environment; feeds must name a worker` });
                }
            }
            if (Array.isArray(env.uses)) {
                env.uses.forEach((service, k) => {
                    if (typeof service === "string" && (serviceKinds as readonly string[]).includes(service) && app[service] === undefined) {
                        issues.push({
                            path: [i, "environments", j, "uses", k],
                            message: `application '${label}' declares no ${service}; add applications[${i}].${service} or remove it from uses`,
                        });
                    }
                });
            }
        });
    });
    return issues;
}

export type ApplicationConfig = z.output<typeof applicationConfigSchema>;
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;

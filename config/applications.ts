import { z } from "zod";

/**
 * `platform:applications`: the applications a stack runs, each with one version and its
 * environments (Elastic Beanstalk's application → version → environment model). Deeper checks (AWS
 * limits, impossible combinations) are the Environment component's own, run for every environment
 * before anything is registered and reported with these config paths.
 *
 * Example (Pulumi.prod.yaml):
 *   platform:applications:
 *     - name: shop
 *       version: { label: v1, source: { path: apps/hello } }
 *       environments:
 *         - { name: web, tier: web, feeds: jobs }
 *         - { name: jobs, tier: worker }
 */

// A local copy of schema.ts's `int` (that module imports this one, so importing back would be circular).
const int = () => z.union([z.number(), z.string().regex(/^-?\d+$/, "expected a whole number").transform(Number)]).pipe(z.number().int());

/** Lowercase letters, digits and hyphens: names become part of resource names and log groups. */
const resourceName = (max: number) =>
    z.string().regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`), `expected 1-${max} lowercase letters, digits or hyphens, starting with a letter`);

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
});

export const applicationConfigSchema = z.strictObject({
    name: resourceName(20),
    /** Object versions kept per bundle key (1–100). Defaults to 10. */
    versionsToKeep: int().optional(),
    version: z.strictObject({ label: z.string().min(1), source: versionSourceSchema }),
    environments: z.array(environmentConfigSchema).min(1, "an application needs at least one environment"),
});

/** Cross-references: unique names, and `feeds` naming a worker environment of the same application. */
export const applicationsSchema = z.array(applicationConfigSchema).superRefine((apps, ctx) => {
    const appNames = new Set<string>();
    apps.forEach((app, i) => {
        if (appNames.has(app.name)) {
            ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate application name '${app.name}'` });
        }
        appNames.add(app.name);
        const envs = new Map<string, string>();
        app.environments.forEach((env, j) => {
            if (envs.has(env.name)) {
                ctx.addIssue({ code: "custom", path: [i, "environments", j, "name"], message: `duplicate environment name '${env.name}' in application '${app.name}'` });
            }
            envs.set(env.name, env.tier);
        });
        app.environments.forEach((env, j) => {
            if (env.feeds === undefined) return;
            const tier = envs.get(env.feeds);
            if (tier !== "worker") {
                ctx.addIssue({
                    code: "custom",
                    path: [i, "environments", j, "feeds"],
                    message: tier === undefined ? `no environment '${env.feeds}' in application '${app.name}'` : `'${env.feeds}' is a ${tier} environment; feeds must name a worker`,
                });
            }
        });
    });
});

export type ApplicationConfig = z.output<typeof applicationConfigSchema>;
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;

import { z } from "zod";
import { hpcSchema } from "./hpc";
import { applicationsSchema } from "./applications";
import { awsRegion, bool, int } from "./primitives";

export { awsRegion, bool, int } from "./primitives";

/**
 * The stack config schema, namespaced under the project name (`platform:` in Pulumi.<stack>.yaml).
 * Values set with `pulumi config set` arrive as strings; structured values (`--path`) as JSON.
 * Every key is documented here; unknown keys are rejected as likely typos.
 */

export const environmentClasses = ["development", "production"] as const;
export type EnvironmentClass = (typeof environmentClasses)[number];

export const natGatewayStrategies = ["single", "perAz", "none"] as const;
export type NatGatewayStrategy = (typeof natGatewayStrategies)[number];

export const networkSchema = z.strictObject({
    /** VPC CIDR block. Defaults to 10.0.0.0/16. */
    cidrBlock: z
        .string()
        .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-8])$/, "expected an IPv4 CIDR block from /16 to /28")
        .optional(),
    /** NAT gateways: one for the VPC ("single"), one per AZ ("perAz") or none. Defaults to single in development, perAz in production. */
    natGateways: z.enum(natGatewayStrategies).optional(),
    /** CIDR block of the Aurora Global secondary region's VPC (shared by the stack's aurora-global databases). Defaults to the primary's with the second octet plus one (10.0.0.0/16 → 10.1.0.0/16). */
    secondaryCidrBlock: z
        .string()
        .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, "expected an IPv4 CIDR block from /16 to /24")
        .optional(),
    /** VPC flow logs to CloudWatch Logs. Defaults to true. */
    flowLogs: bool().optional(),
    /** IPv4 CIDR blocks denied by a network ACL on the public subnets, before any load balancer or instance (at most 18). Defaults to none. */
    blockIps: z.array(z.string()).optional(),
});

export const platformConfigSchema = z.strictObject({
    /** development (cheap, advisory policies, easy teardown) or production (HA, mandatory policies, protected). */
    environmentClass: z.enum(environmentClasses),
    /** How many AZs of the region the platform spans. Defaults to 2 in development, 3 in production. */
    azCount: int().pipe(z.number().min(1).max(6)).optional(),
    /** The region of the Aurora Global secondary cluster. Required when an application has an aurora-global database (the production default). */
    secondaryRegion: awsRegion().optional(),
    network: networkSchema.optional(),
    /** The HPC cluster (EFA, cluster placement group, Lustre, Batch); see config/hpc.ts. Defaults to disabled. */
    hpc: hpcSchema.optional(),
    /** The self-service catalog: applications, their version, environments and backing services (see config/applications.ts). Defaults to none. */
    applications: applicationsSchema.optional(),
    /** Tags added to every taggable resource of the platform. */
    tags: z.record(z.string(), z.string()).optional(),
});

export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type PlatformConfigParsed = z.output<typeof platformConfigSchema>;

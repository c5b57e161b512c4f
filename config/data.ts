import { z } from "zod";
// The AWS value lists both the schema and the components use live in the limits/ leaf.
import { DatabaseKind, databaseKinds, lifecycleTransitions } from "../limits";

import { bool, int, number } from "./primitives";

/**
 * The backing services an application declares next to its environments
 * (`applications[i].database`, `.cache`, `.fileSystem`). Each present key builds one component owned
 * by the application; an absent key builds nothing. Shapes are checked here; AWS limits and
 * production rules are checked by the components and reported against these config paths (see
 * `platform/catalog.ts`, `platform/services.ts`).
 *
 *   database: { kind: aurora-global, engine: aurora-mysql, readers: 1 }
 *   cache: { engine: valkey, nodes: 2 }
 *   fileSystem: { mountPoint: /var/www/uploads }
 */

export const databaseConfigSchema = z.strictObject({
    /** aurora (one regional cluster), aurora-global (two regions) or rds (Multi-AZ instance + replicas). Defaults to aurora-global in production and aurora in development. */
    kind: z.enum(databaseKinds as readonly [DatabaseKind, ...DatabaseKind[]]).optional(),
    /** aurora-mysql | aurora-postgresql for Aurora; mysql | mariadb | postgres | oracle-* | sqlserver-* | db2-* for rds. Defaults to aurora-mysql / mysql. */
    engine: z.string().optional(),
    /** Defaults to a recent release of the engine. */
    engineVersion: z.string().optional(),
    /** Defaults to db.t4g.medium in development, db.r6g.large in production and for aurora-global. */
    instanceClass: z.string().optional(),
    /** Aurora readers in the primary cluster. Defaults to 1 in production (and for aurora-global), 0 in development. */
    readers: int().optional(),
    /** Aurora reader auto scaling; false turns it off. Defaults to on in production. */
    readerScaling: z
        .union([
            z.literal(false),
            z.literal("false").transform((): false => false),
            z.strictObject({
                min: int().optional(),
                max: int().optional(),
                metric: z.enum(["cpu", "connections"]).optional(),
                target: number().optional(),
            }),
        ])
        .optional(),
    /** aurora-global: instances in the secondary cluster (0 = headless). Defaults to 2 in production, 1 in development. */
    secondaryReaders: int().optional(),
    /** rds: read replicas. Defaults to 1 in production, 0 in development. */
    replicas: int().optional(),
    /** rds: Multi-AZ standby. Defaults to true in production. */
    multiAz: bool().optional(),
    /** rds: initial storage (GiB). Defaults to 100 in production, 20 in development. */
    allocatedStorage: int().optional(),
    /** rds: storage autoscaling ceiling (GiB). Defaults to 5 × allocatedStorage. */
    maxAllocatedStorage: int().optional(),
    /** Defaults to 7 days in production, 1 in development. */
    backupRetentionDays: int().optional(),
    /** Restore from this snapshot (name or ARN). Defaults to none. */
    snapshotIdentifier: z.string().min(1).optional(),
    /** Initial database name. Defaults to none. */
    databaseName: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "letters, digits and underscores, starting with a letter, at most 63 characters")
        .optional(),
});

export const cacheConfigSchema = z.strictObject({
    /** valkey or redis. Defaults to valkey. */
    engine: z.enum(["valkey", "redis"]).optional(),
    /** Defaults to 8.0 (valkey) / 7.1 (redis). */
    engineVersion: z.string().optional(),
    /** Defaults to cache.t4g.micro in development, cache.r7g.large in production. */
    nodeType: z.string().optional(),
    /** Primary plus replicas, 1–6. Defaults to 1 in development, 2 in production. */
    nodes: int().optional(),
    /** Defaults to 7 in production, 0 in development. */
    snapshotRetentionDays: int().optional(),
});

export const fileSystemConfigSchema = z.strictObject({
    /** Where every instance of the environments using it mounts it (over TLS, through the access point). Defaults to /mnt/shared. */
    mountPoint: z
        .string()
        .regex(/^\/[A-Za-z0-9._\-/]+$/, "expected an absolute path of letters, digits, '.', '_', '-' and '/'")
        .refine((v) => !v.includes(".."), "must not contain '..'")
        .optional(),
    /** One Zone storage (development only). Defaults to false. */
    oneZone: bool().optional(),
    /** generalPurpose or maxIO. Defaults to generalPurpose. */
    performanceMode: z.enum(["generalPurpose", "maxIO"]).optional(),
    /** bursting, elastic or provisioned. Defaults to elastic. */
    throughputMode: z.enum(["bursting", "elastic", "provisioned"]).optional(),
    /** MiB/s with provisioned throughput (1–3414). */
    provisionedThroughputMibps: number().optional(),
    /** Defaults to AFTER_30_DAYS. */
    transitionToIa: z.enum(lifecycleTransitions).optional(),
    /** Defaults to none. */
    transitionToArchive: z.enum(lifecycleTransitions).optional(),
    /** AWS Backup. Defaults to true in production. */
    backups: bool().optional(),
    /** The application's access point. Defaults to uid/gid 1000, path /app, permissions 0750. */
    accessPoint: z
        .strictObject({ uid: int().optional(), gid: int().optional(), path: z.string().optional(), permissions: z.string().optional() })
        .optional(),
});

/** The services an environment can use, by their key in the application entry. */
export const serviceKinds = ["database", "cache", "fileSystem"] as const;
export type ServiceKind = (typeof serviceKinds)[number];

export type DatabaseConfig = z.output<typeof databaseConfigSchema>;
export type CacheConfig = z.output<typeof cacheConfigSchema>;
export type FileSystemConfig = z.output<typeof fileSystemConfigSchema>;

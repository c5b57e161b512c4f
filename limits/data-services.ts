/**
 * AWS value lists of the data services, pure (no Pulumi import): the config schema and the
 * components both use them.
 */

/** `aurora`: one regional Aurora cluster. `aurora-global`: an Aurora Global Database over two regions. `rds`: a Multi-AZ RDS instance with read replicas. */
export type DatabaseKind = "aurora" | "aurora-global" | "rds";
export const databaseKinds: readonly DatabaseKind[] = ["aurora", "aurora-global", "rds"];

/** EFS facts (botocore efs CreateFileSystem / PutLifecycleConfiguration / CreateMountTarget, 2026). */
export const performanceModes = ["generalPurpose", "maxIO"] as const;
export type PerformanceMode = (typeof performanceModes)[number];
export const throughputModes = ["bursting", "elastic", "provisioned"] as const;
export type ThroughputMode = (typeof throughputModes)[number];
/** TransitionToIA / TransitionToArchive values, in order. */
export const lifecycleTransitions = [
    "AFTER_1_DAY",
    "AFTER_7_DAYS",
    "AFTER_14_DAYS",
    "AFTER_30_DAYS",
    "AFTER_60_DAYS",
    "AFTER_90_DAYS",
    "AFTER_180_DAYS",
    "AFTER_270_DAYS",
    "AFTER_365_DAYS",
] as const;
export type LifecycleTransition = (typeof lifecycleTransitions)[number];
/** ProvisionedThroughputInMibps: 1–3414 (the upper bound is Region-dependent). */
export const MIN_PROVISIONED_MIBPS = 1;
export const MAX_PROVISIONED_MIBPS = 3414;

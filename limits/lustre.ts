/* Pure (no Pulumi import): the config schema and the Lustre component both use these. */

/**
 * FSx for Lustre rules, from the FSx API reference (botocore `fsx` service model, 2025-12-02) as
 * summarised in the project's AWS facts notes, section 2:
 *
 * | deployment type | storage capacity (SSD, GiB)      | per-unit throughput (MB/s/TiB) | customer KMS key | S3 link                               |
 * |-----------------|----------------------------------|--------------------------------|------------------|---------------------------------------|
 * | SCRATCH_2       | 1200, 2400, then +2400           | not accepted                   | no (FSx key)     | import/export paths, or DRA (2.12/2.15)|
 * | PERSISTENT_1    | 1200, 2400, then +2400           | 50, 100, 200 (required)        | yes              | import/export paths, or DRA (2.12/2.15)|
 * | PERSISTENT_2    | 1200, 2400, then +2400           | 125, 250, 500, 1000 (required) | yes              | DRA only                               |
 *
 * - "KmsKeyId: Amazon FSx for Lustre PERSISTENT_1 and PERSISTENT_2 deployment types only. SCRATCH_1
 *   and SCRATCH_2 types are encrypted using the Amazon FSx service KMS key."
 * - ImportPath/ExportPath/AutoImportPolicy "not supported for file systems with a data repository
 *   association"; DRAs are "supported on all FSx for Lustre 2.12 and 2.15 file systems, excluding
 *   scratch_1"; at most 8 DRAs per file system.
 * - All Lustre deployment types take exactly one subnet: one AZ by design.
 * - Clients reach the file system on TCP 988 and 1018-1023 (FSx Lustre guide, "cannot create file
 *   system" troubleshooting page; the 2023 guide's 1021-1023 is superseded).
 * Only SSD storage is offered here (HDD and Intelligent-Tiering are out of scope).
 */

export const lustreDeploymentTypes = ["SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2"] as const;
export type LustreDeploymentType = (typeof lustreDeploymentTypes)[number];

/** Allowed per-unit storage throughput (MB/s/TiB) per deployment type; empty = not accepted. */
export const LUSTRE_THROUGHPUT: Readonly<Record<LustreDeploymentType, readonly number[]>> = {
    SCRATCH_2: [],
    PERSISTENT_1: [50, 100, 200],
    PERSISTENT_2: [125, 250, 500, 1000],
};

/** Problems of a storage capacity for a deployment type (all three are SSD: 1200, 2400, then +2400). */
export function lustreCapacityProblem(capacityGiB: number): string | undefined {
    const ok = Number.isInteger(capacityGiB) && (capacityGiB === 1200 || (capacityGiB >= 2400 && capacityGiB % 2400 === 0));
    return ok ? undefined : `SSD storage capacity must be 1200, 2400 or a multiple of 2400 GiB, got ${capacityGiB}`;
}

/** Problems of a per-unit storage throughput for a deployment type. */
export function lustreThroughputProblem(deploymentType: LustreDeploymentType, throughput: number | undefined): string | undefined {
    const allowed = LUSTRE_THROUGHPUT[deploymentType];
    if (allowed.length === 0) {
        return throughput === undefined ? undefined : `${deploymentType} does not take a per-unit storage throughput (got ${throughput})`;
    }
    if (throughput === undefined) {
        return `required for ${deploymentType}: one of ${allowed.join(", ")} MB/s/TiB`;
    }
    return allowed.includes(throughput) ? undefined : `${deploymentType} accepts ${allowed.join(", ")} MB/s/TiB, got ${throughput}`;
}

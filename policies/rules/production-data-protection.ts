import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isProductionStack, productionConfigProperties } from "../lib/production";
import { T } from "../lib/types";
import { bool, isUnknown, num, Props, raw, stackOfUrn } from "../lib/values";

/** Seven days of automated backups at least, in production. */
export const MINIMUM_BACKUP_RETENTION_DAYS = 7;

/** What a production database lacks to survive a mistake. Pure; exported for tests. */
export function unprotected(type: string, p: Props, protect: boolean, minimumDays = MINIMUM_BACKUP_RETENTION_DAYS): string[] {
    const out: string[] = [];
    const isCluster = type === T.rdsCluster;
    const isInstance = type === T.rdsInstance;
    if (!isCluster && !isInstance && type !== T.rdsGlobalCluster) return out;
    if (isInstance && p.replicateSourceDb !== undefined) return out; // replicas are protected through their source
    if (!isUnknown(p.deletionProtection) && bool(p.deletionProtection) !== true) out.push("deletionProtection is not true");
    if (type === T.rdsGlobalCluster) return out;
    if (isInstance && p.dbClusterIdentifier !== undefined) return out;
    const days = num(p.backupRetentionPeriod);
    if (!isUnknown(p.backupRetentionPeriod) && (days ?? 1) < minimumDays) out.push(`backupRetentionPeriod is ${days ?? "unset (1 day)"}, under ${minimumDays} days`);
    if (bool(p.skipFinalSnapshot) === true) out.push("skipFinalSnapshot is true");
    else if (p.finalSnapshotIdentifier === undefined) out.push("finalSnapshotIdentifier is unset (deletion would fail or lose the data)");
    if (!protect) out.push("the resource is not protected in the Pulumi state (protect: true)");
    return out;
}

export const productionDataProtection: ResourceValidationPolicy = {
    name: "production-data-protection",
    description: "In production, Aurora/RDS databases have deletion protection, backups kept at least 7 days, a final snapshot, and protect: true.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...productionConfigProperties,
            minimumBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: MINIMUM_BACKUP_RETENTION_DAYS },
        },
    },
    validateResource: (args, reportViolation) => {
        const cfg = args.getConfig<Record<string, unknown>>();
        if (!isProductionStack(stackOfUrn(args.urn), cfg)) return;
        const days = num(cfg.minimumBackupRetentionDays) ?? MINIMUM_BACKUP_RETENTION_DAYS;
        for (const problem of unprotected(args.type, raw(args.props), args.opts.protect === true, days)) {
            reportViolation(`${args.type.split(":").pop()} '${args.name}' in a production stack: ${problem}. Fix: deletionProtection: true, backupRetentionPeriod >= ${days}, skipFinalSnapshot: false with a finalSnapshotIdentifier, and { protect: true }.`, args.urn);
        }
    },
};

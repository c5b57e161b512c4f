import type { StackValidationPolicy } from "@pulumi/policy";
import { isProductionStack, productionConfigProperties } from "../lib/production";
import { Res, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { bool, isUnknown, num, Props, stackOfUrn } from "../lib/values";

/** Seven days of automated backups at least, in production. */
export const MINIMUM_BACKUP_RETENTION_DAYS = 7;

/**
 * What a production database lacks to survive a mistake. Pure; exported for tests.
 * `snapshotByPeer`: the cluster is a member of an Aurora Global database another member of which
 * takes the final snapshot (a secondary is detached, then deleted; the data's snapshot is the primary's).
 */
export function unprotected(type: string, p: Props, protect: boolean, minimumDays = MINIMUM_BACKUP_RETENTION_DAYS, snapshotByPeer = false): string[] {
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
    if (!snapshotByPeer) {
        if (bool(p.skipFinalSnapshot) === true) out.push("skipFinalSnapshot is true");
        else if (p.finalSnapshotIdentifier === undefined) out.push("finalSnapshotIdentifier is unset (deletion would fail or lose the data)");
    }
    if (!protect) out.push("the resource is not protected in the Pulumi state (protect: true)");
    return out;
}

/** A cluster takes its own final snapshot. */
const takesFinalSnapshot = (p: Props) => bool(p.skipFinalSnapshot) !== true && p.finalSnapshotIdentifier !== undefined;

/**
 * The Aurora Global database a cluster belongs to: the GlobalCluster resource it references (by
 * known id, or through `propertyDependencies` when the id is unknown in a preview), else the raw
 * identifier of a global cluster the program does not create.
 */
function globalKey(ix: StackIndex, cluster: Res): string | undefined {
    const v = cluster.props.globalClusterIdentifier;
    if (v === undefined) return undefined;
    const { found } = ix.resolve(cluster, "globalClusterIdentifier", [v], (r) => r.type === T.rdsGlobalCluster);
    return found[0]?.urn ?? (isUnknown(v) ? undefined : String(v));
}

export const productionDataProtection: StackValidationPolicy = {
    name: "production-data-protection",
    description: "In production, Aurora/RDS databases have deletion protection, backups kept at least 7 days, a final snapshot, and protect: true.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...productionConfigProperties,
            minimumBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: MINIMUM_BACKUP_RETENTION_DAYS },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = args.getConfig<Record<string, unknown>>();
        const first = args.resources[0];
        if (!first || !isProductionStack(stackOfUrn(first.urn), cfg)) return;
        const days = num(cfg.minimumBackupRetentionDays) ?? MINIMUM_BACKUP_RETENTION_DAYS;
        const ix = StackIndex.of(args.resources);
        const databases = ix.ofType(T.rdsCluster, T.rdsInstance, T.rdsGlobalCluster);
        // Global databases whose data some member snapshots on deletion.
        const snapshotted = new Set<string>();
        const keys = new Map<string, string | undefined>();
        for (const c of ix.ofType(T.rdsCluster)) {
            const key = globalKey(ix, c);
            keys.set(c.urn, key);
            if (key !== undefined && takesFinalSnapshot(c.props)) snapshotted.add(key);
        }
        for (const db of databases) {
            const key = keys.get(db.urn);
            const byPeer = key !== undefined && snapshotted.has(key) && !takesFinalSnapshot(db.props);
            for (const problem of unprotected(db.type, db.props, db.protect, days, byPeer)) {
                reportViolation(
                    `${db.type.split(":").pop()} '${db.name}' in a production stack: ${problem}. Fix: deletionProtection: true, backupRetentionPeriod >= ${days}, skipFinalSnapshot: false with a finalSnapshotIdentifier, and { protect: true }.`,
                    db.urn,
                );
            }
        }
    },
};

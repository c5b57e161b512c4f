import type { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "../lib/types";
import { arr, bool, isUnknown, obj, Props, raw, str } from "../lib/values";

/**
 * What is not encrypted at rest, per resource type; [] when compliant or when it cannot be seen
 * (unknown during preview). Pure; exported for tests.
 */
export function unencrypted(type: string, p: Props): string[] {
    const off = (v: unknown) => !isUnknown(v) && bool(v) !== true;
    switch (type) {
        case T.rdsCluster:
            // A cluster restored from a snapshot or replicating another inherits its encryption.
            if (p.snapshotIdentifier !== undefined || p.replicationSourceIdentifier !== undefined) return [];
            return off(p.storageEncrypted) ? ["storageEncrypted is not true"] : [];
        case T.rdsInstance:
            if (p.replicateSourceDb !== undefined || p.snapshotIdentifier !== undefined || (str(p.engine) ?? "").startsWith("aurora")) return [];
            return off(p.storageEncrypted) ? ["storageEncrypted is not true"] : [];
        case T.rdsGlobalCluster:
            // botocore rds CreateGlobalCluster: StorageEncrypted cannot be set with SourceDBClusterIdentifier (inherited).
            if (p.sourceDbClusterIdentifier !== undefined) return [];
            return off(p.storageEncrypted) ? ["storageEncrypted is not true"] : [];
        case T.efsFileSystem:
            return off(p.encrypted) ? ["encrypted is not true"] : [];
        case T.lustre: {
            // Scratch file systems always use the FSx service key (botocore fsx KmsKeyId); persistent ones can use a customer key.
            const deployment = str(p.deploymentType) ?? "SCRATCH_1";
            return deployment.startsWith("PERSISTENT") && p.kmsKeyId === undefined ? [`a ${deployment} file system without kmsKeyId uses the FSx service key, not a customer key`] : [];
        }
        case T.cacheReplicationGroup: {
            // aws-facts: at-rest encryption defaults to true for Valkey, false for Redis OSS.
            if (p.atRestEncryptionEnabled === undefined) return str(p.engine) === "valkey" ? [] : ["atRestEncryptionEnabled is not true"];
            return off(p.atRestEncryptionEnabled) ? ["atRestEncryptionEnabled is not true"] : [];
        }
        case T.sqsQueue:
            return bool(p.sqsManagedSseEnabled) === true || p.kmsMasterKeyId !== undefined || isUnknown(p.sqsManagedSseEnabled)
                ? []
                : ["neither kmsMasterKeyId nor sqsManagedSseEnabled is set"];
        case T.ebsVolume:
            return off(p.encrypted) ? ["encrypted is not true"] : [];
        case T.launchTemplate:
            return arr(p.blockDeviceMappings)
                .map((m, i) => ({ i, ebs: obj(obj(m).ebs), has: obj(m).ebs !== undefined }))
                .filter(({ ebs, has }) => has && off(ebs.encrypted) && ebs.snapshotId === undefined)
                .map(({ i }) => `blockDeviceMappings[${i}].ebs.encrypted is not "true"`);
        case T.instance: {
            const out: string[] = [];
            if (p.rootBlockDevice !== undefined && off(obj(p.rootBlockDevice).encrypted)) out.push("rootBlockDevice.encrypted is not true");
            arr(p.ebsBlockDevices).forEach((d, i) => {
                if (off(obj(d).encrypted) && obj(d).snapshotId === undefined) out.push(`ebsBlockDevices[${i}].encrypted is not true`);
            });
            return out;
        }
        default:
            return [];
    }
}

export const encryptionAtRest: ResourceValidationPolicy = {
    name: "encryption-at-rest",
    description: "Data at rest is encrypted (KMS): Aurora/RDS, EFS, FSx, EBS in launch templates and instances, SQS and ElastiCache.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const problem of unencrypted(args.type, raw(args.props))) {
            reportViolation(`${args.type.split(":").pop()} '${args.name}': ${problem}. Fix: enable encryption at rest with a customer-managed KMS key (kmsKeyId).`, args.urn);
        }
    },
};

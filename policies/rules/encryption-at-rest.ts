import type { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "../lib/types";
import { arr, bool, isUnknown, obj, Props, raw, str } from "../lib/values";

/** Device names AMIs use for their root volume (Amazon Linux /dev/xvda, Ubuntu and Windows /dev/sda1, Nitro NVMe). */
const ROOT_DEVICES = new Set(["/dev/xvda", "/dev/sda1", "/dev/sda", "xvda", "sda1", "/dev/nvme0n1"]);

const NO_ROOT =
    "the root volume comes from the AMI's snapshot, unencrypted unless that snapshot is (account-level EBS encryption by default is a setting of the account, not of this program, and cannot be assumed)";

/**
 * What is not encrypted at rest, per resource type; [] when compliant or when it cannot be seen
 * (unknown during preview). Pure; exported for tests.
 */
export function unencrypted(type: string, p: Props): string[] {
    const seen = unencryptedKnown(type, p);
    // A switch not known until the update (built from another resource's outputs) cannot be verified in a preview: say so.
    for (const key of ["storageEncrypted", "encrypted", "atRestEncryptionEnabled", "sqsManagedSseEnabled"]) {
        if (isUnknown(p[key]) && ENCRYPTION_SWITCH_TYPES.has(type)) seen.push(`${key} is not known until the update, so encryption cannot be verified before deployment`);
    }
    return seen;
}

const ENCRYPTION_SWITCH_TYPES = new Set<string>([T.rdsCluster, T.rdsInstance, T.rdsGlobalCluster, T.efsFileSystem, T.cacheReplicationGroup, T.ebsVolume, "aws:docdb/cluster:Cluster", "aws:neptune/cluster:Cluster"]);

function unencryptedKnown(type: string, p: Props): string[] {
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
            // New queues are encrypted with SSE-SQS unless it is turned off (AWS, 2022-10: "SSE-SQS by default for
            // newly created queues"; botocore sqs SqsManagedSseEnabled): only an explicit false without a KMS key fails.
            return bool(p.sqsManagedSseEnabled) === false && p.kmsMasterKeyId === undefined ? ["sqsManagedSseEnabled is false and no kmsMasterKeyId is set"] : [];
        case "aws:docdb/cluster:Cluster":
        case "aws:neptune/cluster:Cluster":
            // botocore docdb/neptune CreateDBCluster StorageEncrypted: not encrypted unless asked (or restored from an encrypted snapshot).
            if (p.snapshotIdentifier !== undefined || p.replicationSourceIdentifier !== undefined) return [];
            return off(p.storageEncrypted) ? ["storageEncrypted is not true"] : [];
        case "aws:opensearch/domain:Domain":
        case "aws:elasticsearch/domain:Domain":
            return off(obj(p.encryptAtRest).enabled) ? ["encryptAtRest.enabled is not true"] : [];
        case "aws:redshift/cluster:Cluster":
            return bool(p.encrypted) === false ? ["encrypted is false"] : [];
        case T.ebsVolume:
            return off(p.encrypted) ? ["encrypted is not true"] : [];
        case T.launchTemplate: {
            if (isUnknown(p.blockDeviceMappings)) return [];
            const maps = arr(p.blockDeviceMappings).map(obj);
            const out = maps
                .map((m, i) => ({ i, ebs: obj(m.ebs), has: m.ebs !== undefined }))
                .filter(({ ebs, has }) => has && off(ebs.encrypted) && ebs.snapshotId === undefined)
                .map(({ i }) => `blockDeviceMappings[${i}].ebs.encrypted is not "true"`);
            const root = maps.some((m) => m.ebs !== undefined && (isUnknown(m.deviceName) || ROOT_DEVICES.has(str(m.deviceName) ?? "")));
            if (!root) out.push(`no blockDeviceMappings entry for the root device (${[...ROOT_DEVICES].slice(0, 2).join(" or ")}): ${NO_ROOT}`);
            return out;
        }
        case T.instance:
        case T.spotInstanceRequest:
        case T.launchConfiguration: {
            const out: string[] = [];
            // An instance launched from a launch template takes its volumes from it (judged there) unless it overrides them.
            const fromTemplate = p.launchTemplate !== undefined;
            if (p.rootBlockDevice === undefined) {
                if (!fromTemplate) out.push(`no rootBlockDevice: ${NO_ROOT}`);
            } else if (off(obj(p.rootBlockDevice).encrypted)) out.push("rootBlockDevice.encrypted is not true");
            arr(p.ebsBlockDevices).forEach((d, i) => {
                if (off(obj(d).encrypted) && obj(d).snapshotId === undefined) out.push(`ebsBlockDevices[${i}].encrypted is not true`);
            });
            return out;
        }
        case T.spotFleetRequest: {
            const out: string[] = [];
            arr(p.launchSpecifications).forEach((s, i) => {
                const spec = obj(s);
                const roots = arr(spec.rootBlockDevices).map(obj);
                if (roots.length === 0) out.push(`launchSpecifications[${i}] has no rootBlockDevices: ${NO_ROOT}`);
                roots.forEach((r) => off(r.encrypted) && out.push(`launchSpecifications[${i}].rootBlockDevices encrypted is not true`));
                arr(spec.ebsBlockDevices).forEach((d, j) => off(obj(d).encrypted) && obj(d).snapshotId === undefined && out.push(`launchSpecifications[${i}].ebsBlockDevices[${j}].encrypted is not true`));
            });
            return out;
        }
        default:
            return [];
    }
}

export const encryptionAtRest: ResourceValidationPolicy = {
    name: "encryption-at-rest",
    description: "Data at rest is encrypted (KMS): Aurora/RDS, DocumentDB, Neptune, OpenSearch, Redshift, EFS, FSx, EBS (root volumes included) in launch templates, instances, launch configurations and spot requests, SQS and ElastiCache.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const problem of unencrypted(args.type, raw(args.props))) {
            reportViolation(`${args.type.split(":").pop()} '${args.name}': ${problem}. Fix: enable encryption at rest with a customer-managed KMS key (kmsKeyId).`, args.urn);
        }
    },
};

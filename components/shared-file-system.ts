import * as pulumi from "@pulumi/pulumi";
import type { ServiceBinding } from "./binding";
import * as aws from "@pulumi/aws";
import { newDataKey } from "./kms";
import { NetworkRef } from "./network";
import { Peer, allowDefaultPortFrom, newSecurityGroup, tcp } from "./security-groups";
import { ProblemCollector } from "./validation";

export { MAX_PROVISIONED_MIBPS, MIN_PROVISIONED_MIBPS, lifecycleTransitions, performanceModes, throughputModes } from "../limits/data-services";
export type { LifecycleTransition, PerformanceMode, ThroughputMode } from "../limits/data-services";
import { MAX_PROVISIONED_MIBPS, MIN_PROVISIONED_MIBPS, LifecycleTransition, PerformanceMode, ThroughputMode, lifecycleTransitions, performanceModes, throughputModes } from "../limits/data-services";
/** EFS speaks NFS v4.1 on this port. */
export const NFS_PORT = 2049;

export interface AccessPointArgs {
    /** POSIX user id every request through the access point runs as. Defaults to 1000. */
    uid?: number;
    /** POSIX group id. Defaults to 1000. */
    gid?: number;
    /** The directory the application sees as `/`, created on first use. Defaults to "/app". */
    path?: string;
    /** Octal permissions of that directory when created. Defaults to "0750". */
    permissions?: string;
}

export interface SharedFileSystemArgs {
    /** The VPC and its private subnets (one per AZ). */
    network: NetworkRef;
    /** The peers that may mount it, each admitted on NFS (2049) by rules named after it; nothing else is. Defaults to none. */
    clients?: Peer[];
    /** Production: regional (Multi-AZ) storage only, backups on, `protect`. Defaults to false. */
    production?: boolean;
    /** One Zone storage in the network's first AZ (cheaper, one mount target). Development only. Defaults to false. */
    oneZone?: boolean;
    /** Defaults to "generalPurpose". maxIO is immutable and needs regional storage and non-elastic throughput. */
    performanceMode?: PerformanceMode;
    /** Defaults to "elastic" (pay per use, no burst credits to run out). */
    throughputMode?: ThroughputMode;
    /** MiB/s, with throughputMode "provisioned" only (1–3414). Defaults to none. */
    provisionedThroughputMibps?: number;
    /** When files move to Infrequent Access. Defaults to "AFTER_30_DAYS". */
    transitionToIa?: LifecycleTransition;
    /** When files move to Archive (elastic throughput and generalPurpose only; later than transitionToIa). Defaults to none. */
    transitionToArchive?: LifecycleTransition;
    /** AWS Backup of the file system. Defaults to production. */
    backups?: boolean;
    /** The application's access point. Defaults as in {@link AccessPointArgs}. */
    accessPoint?: AccessPointArgs;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

export interface ResolvedSharedFileSystemArgs {
    production: boolean;
    oneZone: boolean;
    performanceMode: PerformanceMode;
    throughputMode: ThroughputMode;
    provisionedThroughputMibps: number | undefined;
    transitionToIa: LifecycleTransition;
    transitionToArchive: LifecycleTransition | undefined;
    backups: boolean;
    accessPoint: Required<AccessPointArgs>;
    availabilityZones: string[];
}

export function resolveSharedFileSystemArgs(args: SharedFileSystemArgs): ResolvedSharedFileSystemArgs {
    const production = args.production ?? false;
    return {
        production,
        oneZone: args.oneZone ?? false,
        performanceMode: args.performanceMode ?? "generalPurpose",
        throughputMode: args.throughputMode ?? "elastic",
        provisionedThroughputMibps: args.provisionedThroughputMibps,
        transitionToIa: args.transitionToIa ?? "AFTER_30_DAYS",
        transitionToArchive: args.transitionToArchive,
        backups: args.backups ?? production,
        accessPoint: {
            uid: args.accessPoint?.uid ?? 1000,
            gid: args.accessPoint?.gid ?? 1000,
            path: args.accessPoint?.path ?? "/app",
            permissions: args.accessPoint?.permissions ?? "0750",
        },
        availabilityZones: [...args.network.availabilityZones],
    };
}

const posixId = (n: number) => Number.isInteger(n) && n >= 0 && n <= 4294967295;

export function validateSharedFileSystemArgs(r: ResolvedSharedFileSystemArgs): ProblemCollector {
    const p = new ProblemCollector();
    p.check(r.availabilityZones.length === 0, "network.availabilityZones", "the network has no AZs");
    p.check(r.oneZone && r.production, "oneZone", "One Zone file systems live in a single AZ: development only; production uses regional storage");
    p.check(r.production && !r.backups, "backups", "production file systems are backed up");
    p.check(!performanceModes.includes(r.performanceMode), "performanceMode", `expected ${performanceModes.join(" or ")}, got ${r.performanceMode}`);
    p.check(!throughputModes.includes(r.throughputMode), "throughputMode", `expected one of ${throughputModes.join(", ")}, got ${r.throughputMode}`);
    // "MaxIO mode is not supported for One Zone file systems or file systems that use Elastic throughput" (botocore efs CreateFileSystem).
    p.check(r.performanceMode === "maxIO" && r.oneZone, "performanceMode", "maxIO is not supported on One Zone file systems");
    p.check(r.performanceMode === "maxIO" && r.throughputMode === "elastic", "performanceMode", "maxIO is not supported with elastic throughput");
    if (r.throughputMode === "provisioned") {
        const t = r.provisionedThroughputMibps;
        p.check(
            t === undefined || !Number.isFinite(t) || t < MIN_PROVISIONED_MIBPS || t > MAX_PROVISIONED_MIBPS,
            "provisionedThroughputMibps",
            `provisioned throughput needs ${MIN_PROVISIONED_MIBPS}–${MAX_PROVISIONED_MIBPS} MiB/s, got ${t ?? "none"}`,
        );
    } else {
        p.check(r.provisionedThroughputMibps !== undefined, "provisionedThroughputMibps", `applies to throughputMode "provisioned" only (throughputMode is ${r.throughputMode})`);
    }
    p.check(!lifecycleTransitions.includes(r.transitionToIa), "transitionToIa", `expected one of ${lifecycleTransitions.join(", ")}, got ${r.transitionToIa}`);
    if (r.transitionToArchive !== undefined) {
        p.check(!lifecycleTransitions.includes(r.transitionToArchive), "transitionToArchive", `expected one of ${lifecycleTransitions.join(", ")}, got ${r.transitionToArchive}`);
        p.check(
            lifecycleTransitions.indexOf(r.transitionToArchive) <= lifecycleTransitions.indexOf(r.transitionToIa),
            "transitionToArchive",
            `must be later than transitionToIa (${r.transitionToIa})`,
        );
        p.check(
            r.throughputMode !== "elastic" || r.performanceMode !== "generalPurpose",
            "transitionToArchive",
            "Archive needs elastic throughput and generalPurpose performance",
        );
    }
    const ap = r.accessPoint;
    p.check(!posixId(ap.uid), "accessPoint.uid", `expected a POSIX id 0–4294967295, got ${ap.uid}`);
    p.check(!posixId(ap.gid), "accessPoint.gid", `expected a POSIX id 0–4294967295, got ${ap.gid}`);
    p.check(ap.uid === 0, "accessPoint.uid", "the application must not run as root on the shared file system");
    p.check(!/^\/[A-Za-z0-9._\-/]{0,99}$/.test(ap.path) || ap.path.includes(".."), "accessPoint.path", `expected an absolute path of up to 100 characters, got ${ap.path}`);
    p.check(!/^0?[0-7]{3}$/.test(ap.permissions), "accessPoint.permissions", `expected octal permissions such as 0750, got ${ap.permissions}`);
    return p;
}

/**
 * The file-system policy: clients may mount and write only through a mount target, and every
 * request without TLS (`aws:SecureTransport` false) is denied. Replaces the EFS default policy, whose
 * allow statement it keeps (without root access: the access point fixes the POSIX user).
 */
export function fileSystemPolicy(fileSystemArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "MountThroughMountTargets",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: fileSystemArn,
                Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "*",
                Resource: fileSystemArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Throws unless `mountPoint` is an absolute path safe to put in a shell line. */
export function checkMountPoint(mountPoint: string): void {
    if (!/^\/[A-Za-z0-9._\-/]+$/.test(mountPoint) || mountPoint.includes("..")) {
        throw new Error(`mount point must be an absolute path of letters, digits, '.', '_', '-' and '/', got ${mountPoint}`);
    }
}

/**
 * User-data lines (bash, as root, Amazon Linux 2023) that mount the file system at boot over TLS
 * through the access point with amazon-efs-utils, now and after every reboot (an idempotent
 * /etc/fstab entry). Pure; exported for the environments' launch templates.
 */
export function efsMountCommands(fileSystemId: string, accessPointId: string, mountPoint: string): string[] {
    if (!/^fs-[0-9a-f]{8,40}$/.test(fileSystemId)) throw new Error(`not an EFS file system id: ${fileSystemId}`);
    if (!/^fsap-[0-9a-f]{8,40}$/.test(accessPointId)) throw new Error(`not an EFS access point id: ${accessPointId}`);
    checkMountPoint(mountPoint);
    const options = `tls,accesspoint=${accessPointId}`;
    const fstab = `${fileSystemId}:/ ${mountPoint} efs _netdev,noresvport,${options} 0 0`;
    return [
        "dnf install -y amazon-efs-utils",
        `mkdir -p ${mountPoint}`,
        `grep -qs ' ${mountPoint} efs ' /etc/fstab || echo '${fstab}' >> /etc/fstab`,
        `mountpoint -q ${mountPoint} || mount -t efs -o ${options} ${fileSystemId}:/ ${mountPoint}`,
    ];
}

/**
 * An EFS file system shared by every instance of an application: encrypted with a customer KMS
 * key, a mount target in every private subnet's AZ (One Zone: its single AZ), an access point with a
 * fixed POSIX user and root directory, a policy denying non-TLS access, lifecycle to Infrequent
 * Access, backups in production. Only the given client groups reach NFS (2049).
 */
export class SharedFileSystem extends pulumi.ComponentResource {
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    readonly accessPointId: pulumi.Output<string>;
    readonly accessPointArn: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly mountTargetIds: pulumi.Output<string>[];
    /** One mount target per AZ: clients boot only once they exist (a mount at boot fails otherwise). */
    readonly mountTargets: aws.efs.MountTarget[];
    readonly settings: ResolvedSharedFileSystemArgs;

    constructor(name: string, args: SharedFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:SharedFileSystem", name, {}, opts);
        const r = resolveSharedFileSystemArgs(args);
        validateSharedFileSystemArgs(r).throwIfAny(`SharedFileSystem '${name}'`);
        this.settings = r;
        const tags = { ...args.tags };

        const key = newDataKey(`${name}-key`, { description: `${name} EFS file system`, production: r.production, tags }, { parent: this });
        const group = newSecurityGroup(name, { vpcId: args.network.vpcId, description: `${name} EFS mount targets`, tags: { ...tags, Name: name } }, { parent: this });
        for (const peer of args.clients ?? []) {
            allowDefaultPortFrom(name, { securityGroupId: group.id, defaultPort: tcp(NFS_PORT) }, peer, `${peer.name} mounts ${name} (NFS)`, { parent: this }, tags);
        }

        const lifecyclePolicies: aws.types.input.efs.FileSystemLifecyclePolicy[] = [
            { transitionToIa: r.transitionToIa },
            { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
        ];
        if (r.transitionToArchive) {
            lifecyclePolicies.push({ transitionToArchive: r.transitionToArchive });
        }
        const fs = new aws.efs.FileSystem(
            name,
            {
                encrypted: true,
                kmsKeyId: key.arn,
                performanceMode: r.performanceMode,
                throughputMode: r.throughputMode,
                provisionedThroughputInMibps: r.provisionedThroughputMibps,
                availabilityZoneName: r.oneZone ? r.availabilityZones[0] : undefined,
                lifecyclePolicies,
                tags: { ...tags, Name: name },
            },
            { parent: this, protect: r.production },
        );
        new aws.efs.BackupPolicy(name, { fileSystemId: fs.id, backupPolicy: { status: r.backups ? "ENABLED" : "DISABLED" } }, { parent: this });
        new aws.efs.FileSystemPolicy(name, { fileSystemId: fs.id, policy: fs.arn.apply((arn) => JSON.stringify(fileSystemPolicy(arn))) }, { parent: this });

        // One mount target per AZ, in that AZ's private subnet (One Zone: exactly one, in its AZ).
        const zones = r.oneZone ? 1 : r.availabilityZones.length;
        const subnetIds = pulumi.output(args.network.privateSubnetIds);
        const mountTargets = Array.from(
            { length: zones },
            (_v, i) =>
                new aws.efs.MountTarget(`${name}-${i}`, { fileSystemId: fs.id, subnetId: subnetIds.apply((ids) => ids[i]), securityGroups: [group.id] }, { parent: this }),
        );

        const ap = r.accessPoint;
        const accessPoint = new aws.efs.AccessPoint(
            name,
            {
                fileSystemId: fs.id,
                posixUser: { uid: ap.uid, gid: ap.gid },
                rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: ap.permissions } },
                tags: { ...tags, Name: name },
            },
            { parent: this },
        );

        this.fileSystemId = fs.id;
        this.fileSystemArn = fs.arn;
        this.accessPointId = accessPoint.id;
        this.accessPointArn = accessPoint.arn;
        this.dnsName = fs.dnsName;
        this.securityGroupId = group.id;
        this.mountTargets = mountTargets;
        this.mountTargetIds = mountTargets.map((m) => m.id);
        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            fileSystemArn: this.fileSystemArn,
            accessPointId: this.accessPointId,
            dnsName: this.dnsName,
            securityGroupId: this.securityGroupId,
        });
    }

    /** User-data lines mounting this file system at `mountPoint` over TLS through its access point (see {@link efsMountCommands}). */
    mountScript(mountPoint: string): pulumi.Output<string> {
        checkMountPoint(mountPoint);
        return pulumi.all([this.fileSystemId, this.accessPointId]).apply(([fsId, apId]) => efsMountCommands(fsId, apId, mountPoint).join("\n"));
    }

    /** What a client of this file system receives (see ServiceBinding): the chain on NFS, its id and mount point as variables, and the mount through the access point at `mountPoint`. */
    binding(mountPoint: string): ServiceBinding {
        return {
            name: "files",
            securityGroupId: this.securityGroupId,
            port: NFS_PORT,
            environment: { FILE_SYSTEM_ID: this.fileSystemId, FILE_SYSTEM_PATH: mountPoint },
            fileSystem: { fileSystemId: this.fileSystemId, accessPointId: this.accessPointId, mountPoint },
            readyAfter: this.mountTargets,
        };
    }
}

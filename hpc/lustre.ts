import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Peer, allowFrom, allowSelf, newSecurityGroup, tcp } from "../components/security-groups";
import { ProblemCollector } from "../components/validation";
import { newDataKey } from "../components/kms";
import { MULTI_AZ_EXEMPT_TAG, PLACEMENT_GROUP_EXEMPTION } from "./tags";

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

export { LUSTRE_THROUGHPUT, lustreCapacityProblem, lustreDeploymentTypes, lustreThroughputProblem } from "../limits/lustre";
export type { LustreDeploymentType } from "../limits/lustre";
import { LustreDeploymentType, lustreCapacityProblem, lustreDeploymentTypes, lustreThroughputProblem } from "../limits/lustre";

/** The Lustre version the platform runs: DRAs need 2.12 or 2.15, and 2.15 is the current one. */
export const LUSTRE_VERSION = "2.15";

/** Lustre network ports, from the FSx for Lustre guide (see above). */
export const LUSTRE_PORTS = [tcp(988), tcp(1018, 1023)] as const;

/** How the file system is linked to S3. */
export type LustreLinkMode = "association" | "importExport";

export interface LustreDataRepositoryArgs {
    /** The S3 bucket (name) the file system lazy-loads from and exports to. */
    bucketName: pulumi.Input<string>;
    /**
     * `association`: an `aws.fsx.DataRepositoryAssociation` with automatic import and export of new,
     * changed and deleted objects (every type on Lustre 2.15). `importExport`: the legacy
     * ImportPath/ExportPath of the file system (SCRATCH_2 and PERSISTENT_1 only; auto-import only,
     * exports run as data repository tasks). Defaults to "association".
     */
    mode?: LustreLinkMode;
    /** Key prefix in the bucket that is imported (and, for associations, exported to). Defaults to "" (the whole bucket). */
    importPrefix?: string;
    /** Key prefix exports go to, for `importExport` only. Defaults to the import prefix. */
    exportPrefix?: string;
    /** Where the bucket appears in the file system, for associations. Defaults to "/". */
    fileSystemPath?: string;
}

/** A Lustre client: a named peer; `formerIndex` is its position in the list the rules were once named after (kept as an alias). */
export interface LustreClient extends Peer {
    formerIndex?: number;
}

export interface LustreFileSystemArgs {
    /** SCRATCH_2 (no replication, cheapest), PERSISTENT_1 or PERSISTENT_2 (replicated within the AZ). */
    deploymentType: LustreDeploymentType;
    /** Storage capacity in GiB: 1200, 2400, then multiples of 2400. */
    storageCapacityGiB: number;
    /** MB/s per TiB of storage; required for persistent types (see LUSTRE_THROUGHPUT), not accepted for SCRATCH_2. */
    perUnitStorageThroughput?: number;
    vpcId: pulumi.Input<string>;
    /** The one subnet the file servers live in (the cluster's subnet). */
    subnetId: pulumi.Input<string>;
    /** The clients admitted on 988 and 1018-1023 (each gets the matching egress), rules named after each. Defaults to none. */
    clients?: LustreClient[];
    /** Customer KMS key for persistent types. Defaults to a key created for the file system; must be unset for SCRATCH_2. */
    kmsKeyArn?: pulumi.Input<string>;
    /** The S3 link. Defaults to none. */
    dataRepository?: LustreDataRepositoryArgs;
    /** Days of automatic backups, persistent types only (0-90). Defaults to 7 when `protect`, else 0. */
    automaticBackupRetentionDays?: number;
    /** Production: `protect: true` in the Pulumi state and a final backup on deletion (persistent types). Defaults to false. */
    protect?: boolean;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

const isPersistent = (t: LustreDeploymentType) => t !== "SCRATCH_2";

const prefixPattern = /^([A-Za-z0-9!_.*'()\-]+\/)*$/;

/**
 * Validates the arguments, collecting every problem; `path` prefixes property paths (e.g. "lustre.").
 * Pure; exported for tests and for config validation.
 */
export function validateLustreArgs(
    args: Pick<LustreFileSystemArgs, "deploymentType" | "storageCapacityGiB" | "perUnitStorageThroughput" | "kmsKeyArn" | "dataRepository" | "automaticBackupRetentionDays">,
    problems: ProblemCollector = new ProblemCollector(),
    path = "",
): ProblemCollector {
    if (!(lustreDeploymentTypes as readonly string[]).includes(args.deploymentType)) {
        problems.add(`${path}deploymentType`, `expected one of ${lustreDeploymentTypes.join(", ")}, got ${args.deploymentType}`);
        return problems;
    }
    const capacity = lustreCapacityProblem(args.storageCapacityGiB);
    if (capacity) problems.add(`${path}storageCapacityGiB`, capacity);
    const throughput = lustreThroughputProblem(args.deploymentType, args.perUnitStorageThroughput);
    if (throughput) problems.add(`${path}perUnitStorageThroughput`, throughput);
    problems.check(
        !isPersistent(args.deploymentType) && args.kmsKeyArn !== undefined,
        `${path}kmsKeyArn`,
        "SCRATCH_2 is always encrypted with the FSx service key; a customer key is accepted for PERSISTENT_1 and PERSISTENT_2 only",
    );
    const days = args.automaticBackupRetentionDays;
    if (days !== undefined) {
        problems.check(!Number.isInteger(days) || days < 0 || days > 90, `${path}automaticBackupRetentionDays`, `expected 0-90 days, got ${days}`);
        problems.check(!isPersistent(args.deploymentType) && days > 0, `${path}automaticBackupRetentionDays`, "SCRATCH_2 file systems have no automatic backups");
    }
    const repo = args.dataRepository;
    if (repo) {
        const mode = repo.mode ?? "association";
        problems.check(
            mode === "importExport" && args.deploymentType === "PERSISTENT_2",
            `${path}dataRepository.mode`,
            "PERSISTENT_2 links to S3 through a data repository association only (no ImportPath/ExportPath)",
        );
        for (const key of ["importPrefix", "exportPrefix"] as const) {
            const prefix = repo[key];
            problems.check(prefix !== undefined && !prefixPattern.test(prefix), `${path}dataRepository.${key}`, `expected "" or a key prefix ending in "/" such as "input/", got "${prefix}"`);
        }
        problems.check(mode === "association" && repo.exportPrefix !== undefined, `${path}dataRepository.exportPrefix`, "an association exports to its own import prefix; exportPrefix applies to importExport only");
        problems.check(
            repo.fileSystemPath !== undefined && (mode !== "association" || !/^\/([^/]+\/?)*$/.test(repo.fileSystemPath)),
            `${path}dataRepository.fileSystemPath`,
            mode === "association" ? `expected an absolute path such as "/" or "/data", got "${repo.fileSystemPath}"` : "fileSystemPath applies to associations only",
        );
    }
    return problems;
}

/** The arguments of the legacy S3 link, or of the association. Pure; exported for tests. */
export function s3Paths(bucket: string, repo: LustreDataRepositoryArgs): { importPath: string; exportPath: string } {
    const importPrefix = repo.importPrefix ?? "";
    const exportPrefix = repo.exportPrefix ?? importPrefix;
    return { importPath: `s3://${bucket}/${importPrefix}`, exportPath: `s3://${bucket}/${exportPrefix}` };
}

/** File events an association imports and exports automatically. */
export const AUTO_EVENTS = ["NEW", "CHANGED", "DELETED"];

/**
 * An FSx for Lustre file system in one subnet, encrypted (customer key for persistent types),
 * Lustre 2.15, linked to S3, behind its own security group that admits TCP 988 and 1018-1023 from
 * itself and from the given client groups only. Single-AZ by design: tagged with the Multi-AZ
 * exemption marker.
 */
export class LustreFileSystem extends pulumi.ComponentResource {
    readonly fileSystem: aws.fsx.LustreFileSystem;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly association?: aws.fsx.DataRepositoryAssociation;
    readonly fileSystemId: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    readonly mountName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: LustreFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:hpc:LustreFileSystem", name, {}, opts);
        validateLustreArgs(args).throwIfAny(`LustreFileSystem '${name}'`);

        const persistent = isPersistent(args.deploymentType);
        const protect = args.protect ?? false;
        const tags = { ...args.tags };

        this.securityGroup = newSecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `FSx for Lustre ${name}: 988 and 1018-1023 from itself and its clients`, tags: { ...tags, Name: `${name}-sg` } },
            { parent: this },
        );
        const [lustrePort, lnetPorts] = LUSTRE_PORTS;
        allowSelf(`${name}-self-988`, { group: this.securityGroup.id, port: lustrePort, description: "Lustre servers among themselves" }, { parent: this });
        allowSelf(`${name}-self-1018`, { group: this.securityGroup.id, port: lnetPorts, description: "Lustre servers among themselves (LNet)" }, { parent: this });
        for (const client of args.clients ?? []) {
            const rule = `${name}-from-${client.name}`;
            const former = client.formerIndex === undefined ? undefined : `${name}-client-${client.formerIndex}`;
            const target = this.securityGroup.id;
            allowFrom(`${rule}-988`, { target, source: client.securityGroupId, port: lustrePort, description: "Lustre clients to the file system" }, { parent: this }, former && `${former}-988`);
            allowFrom(`${rule}-1018`, { target, source: client.securityGroupId, port: lnetPorts, description: "Lustre clients to the file system (LNet)" }, { parent: this }, former && `${former}-1018`);
            // The FSx guide asks for both directions: the servers also open connections to their clients on the same ports.
            allowFrom(`${name}-to-${client.name}-988`, { target: client.securityGroupId, source: target, port: lustrePort, description: "Lustre file system to its clients" }, { parent: this });
            allowFrom(`${name}-to-${client.name}-1018`, { target: client.securityGroupId, source: target, port: lnetPorts, description: "Lustre file system to its clients (LNet)" }, { parent: this });
        }

        const kmsKeyArn = persistent ? (args.kmsKeyArn ?? newDataKey(`${name}-key`, { description: `FSx for Lustre ${name}`, tags, production: protect }, { parent: this }).arn) : undefined;

        const repo = args.dataRepository;
        const mode = repo?.mode ?? "association";
        const legacy = repo !== undefined && mode === "importExport" ? pulumi.output(repo.bucketName).apply((b) => s3Paths(b, repo)) : undefined;
        const backupDays = persistent ? (args.automaticBackupRetentionDays ?? (protect ? 7 : 0)) : undefined;

        this.fileSystem = new aws.fsx.LustreFileSystem(
            `${name}-fs`,
            {
                deploymentType: args.deploymentType,
                storageType: "SSD",
                storageCapacity: args.storageCapacityGiB,
                perUnitStorageThroughput: args.perUnitStorageThroughput,
                fileSystemTypeVersion: LUSTRE_VERSION,
                subnetIds: args.subnetId,
                securityGroupIds: [this.securityGroup.id],
                kmsKeyId: kmsKeyArn,
                dataCompressionType: "LZ4",
                importPath: legacy?.importPath,
                exportPath: legacy?.exportPath,
                autoImportPolicy: legacy ? "NEW_CHANGED_DELETED" : undefined,
                automaticBackupRetentionDays: backupDays,
                copyTagsToBackups: persistent ? true : undefined,
                skipFinalBackup: !(persistent && protect),
                logConfiguration: { level: "WARN_ERROR" },
                tags: { ...tags, Name: name, [MULTI_AZ_EXEMPT_TAG]: PLACEMENT_GROUP_EXEMPTION },
            },
            { parent: this, protect },
        );

        if (repo !== undefined && mode === "association") {
            this.association = new aws.fsx.DataRepositoryAssociation(
                `${name}-s3`,
                {
                    fileSystemId: this.fileSystem.id,
                    fileSystemPath: repo.fileSystemPath ?? "/",
                    dataRepositoryPath: pulumi.output(repo.bucketName).apply((b) => s3Paths(b, repo).importPath),
                    batchImportMetaDataOnCreate: true,
                    deleteDataInFilesystem: false,
                    s3: { autoImportPolicy: { events: AUTO_EVENTS }, autoExportPolicy: { events: AUTO_EVENTS } },
                    tags,
                },
                { parent: this },
            );
        }

        this.fileSystemId = this.fileSystem.id;
        this.dnsName = this.fileSystem.dnsName;
        this.mountName = this.fileSystem.mountName;
        this.securityGroupId = this.securityGroup.id;
        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            dnsName: this.dnsName,
            mountName: this.mountName,
            securityGroupId: this.securityGroupId,
        });
    }
}

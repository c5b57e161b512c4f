import * as aws from "@pulumi/aws";
import { NetworkRef } from "./network";
import { ProblemCollector } from "./validation";
import { dbInstanceClassProblem } from "./instance-types";
import type { Peer } from "./security-groups";

/**
 * The arguments, defaults, AWS limits and validation of {@link Database} (in `database.ts`). Pure
 * functions only, so tests can call them directly.
 */

export { databaseKinds } from "../limits/data-services";
export type { DatabaseKind } from "../limits/data-services";
import { DatabaseKind, databaseKinds } from "../limits/data-services";
import { DEFAULT_ENGINE_VERSIONS, engineVersionProblem } from "../limits/engine-versions";

export const auroraEngines = ["aurora-mysql", "aurora-postgresql"] as const;
export type AuroraEngine = (typeof auroraEngines)[number];

/**
 * Read replicas allowed per source DB instance, per RDS engine. Source: botocore rds
 * `CreateDBInstanceReadReplicaMessage.SourceDBInstanceIdentifier` (2026): "up to 15 read replicas,
 * except ... Db2 - up to three; Oracle - up to five; SQL Server - up to five". The 2023 notes said
 * "up to 5" for every engine; that limit is out of date for MySQL, MariaDB and PostgreSQL.
 */
export const rdsReplicaLimits: Record<string, number> = {
    mysql: 15,
    mariadb: 15,
    postgres: 15,
    "oracle-ee": 5,
    "oracle-se2": 5,
    "sqlserver-ee": 5,
    "sqlserver-se": 5,
    "sqlserver-ex": 5,
    "sqlserver-web": 5,
    "db2-se": 3,
    "db2-ae": 3,
};
export const rdsEngines = Object.keys(rdsReplicaLimits);

/** Aurora readers per cluster: "up to 15 read replicas" (Aurora user guide; aurora-global-database configuration requirements, 2026). */
export const MAX_AURORA_READERS = 15;
/** A secondary cluster of a global database holds "up to 16 read-only instances, 0 writers" (same page). Zero is a headless secondary. */
export const MAX_SECONDARY_READERS = 16;
/** BackupRetentionPeriod: 1–35 days for Aurora, 0–35 for RDS (botocore rds `CreateDBClusterMessage`/`CreateDBInstanceMessage.BackupRetentionPeriod`). */
export const MAX_BACKUP_RETENTION_DAYS = 35;
/** Allocated storage for gp3 (GiB): MySQL/MariaDB/PostgreSQL/Oracle 20–65536, SQL Server 20–16384 (botocore rds). */
export const RDS_MIN_STORAGE = 20;
export function rdsMaxStorage(engine: string): number {
    return engine.startsWith("sqlserver") ? 16384 : 65536;
}
/** IAM database authentication exists for MySQL, MariaDB and PostgreSQL (and both Aurora engines) only. */
export function supportsIamAuth(engine: string): boolean {
    return ["mysql", "mariadb", "postgres", "aurora-mysql", "aurora-postgresql"].includes(engine);
}

/** The engine's default port. */
export function defaultPort(engine: string): number {
    if (engine.includes("postgres")) return 5432;
    if (engine.startsWith("oracle")) return 1521;
    if (engine.startsWith("sqlserver")) return 1433;
    if (engine.startsWith("db2")) return 50000;
    return 3306;
}

/** Engine versions used when none is given: major versions for RDS, a full version for Aurora (see limits/engine-versions.ts, with sources and dates). */
export const defaultEngineVersions: Readonly<Record<string, string>> = DEFAULT_ENGINE_VERSIONS;

/**
 * Whether an Aurora engine version can be part of a global database, or why not; `undefined` when
 * the version string is not recognised. Minimums from the Aurora Global Database feature/region
 * table (Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase, 2026): Aurora MySQL v3 from
 * 3.01.0, v2 from 2.07.0, 8.4 all versions; Aurora PostgreSQL (2023 table) 11.9 and 11.13+, 12.8+,
 * 13.4+, 14.3+. Minimums for PostgreSQL 15 and later are not published in a form we could confirm,
 * so every 15+ version is accepted; 10 and older cannot be global.
 */
export function globalVersionProblem(engine: string, version: string): string | null | undefined {
    if (engine === "aurora-mysql") {
        if (/^8\.4\./.test(version)) return null;
        const m = /^(5\.7|8\.0)\.mysql_aurora\.(\d+)\.(\d+)\.(\d+)$/.exec(version);
        if (!m) return undefined;
        const [major, minor] = [Number(m[2]), Number(m[3])];
        if (major === 3) return minor >= 1 ? null : `Aurora MySQL ${version} cannot be global: version 3 needs 3.01.0 or later`;
        if (major === 2) return minor >= 7 ? null : `Aurora MySQL ${version} cannot be global: version 2 needs 2.07.0 or later`;
        return `Aurora MySQL ${version} cannot be global`;
    }
    if (engine === "aurora-postgresql") {
        const m = /^(\d+)\.(\d+)$/.exec(version);
        if (!m) return undefined;
        const [major, minor] = [Number(m[1]), Number(m[2])];
        const minimum: Record<number, number> = { 12: 8, 13: 4, 14: 3 };
        if (major >= 15) return null;
        if (major === 11) return minor === 9 || minor >= 13 ? null : `Aurora PostgreSQL ${version} cannot be global: 11.9 or 11.13+ is needed`;
        if (minimum[major] !== undefined) {
            return minor >= minimum[major] ? null : `Aurora PostgreSQL ${version} cannot be global: ${major}.${minimum[major]} or later is needed`;
        }
        return `Aurora PostgreSQL ${version} cannot be global: 11.9+ is needed`;
    }
    return `${engine} cannot be global: Aurora Global Database supports aurora-mysql and aurora-postgresql only`;
}

export interface ReaderScalingArgs {
    /** Fewest readers Application Auto Scaling keeps. Defaults to the number of provisioned readers (at least 1 in production). */
    min?: number;
    /** Most readers it adds (at most 15). Defaults to max(min + 2, 3). */
    max?: number;
    /** The target-tracking metric: average reader CPU or average reader connections. Defaults to "cpu". */
    metric?: "cpu" | "connections";
    /** Target value (percent CPU or connections). Defaults to 60 for cpu, 500 for connections. */
    target?: number;
}

export interface DatabaseArgs {
    /** Which shape to build; a decision made at construction. */
    kind: DatabaseKind;
    /** Engine. Defaults to "aurora-mysql" for the Aurora kinds and "mysql" for rds. */
    engine?: string;
    /** Engine version. Defaults to a recent release per engine (see `defaultEngineVersions`); required for engines without one. */
    engineVersion?: string;
    /** DB instance class. Defaults to db.t4g.medium in development and db.r6g.large in production (db.r6g.large for aurora-global everywhere, which rejects burstable classes). */
    instanceClass?: string;
    /** The VPC and its private subnets (one per AZ). */
    network: NetworkRef;
    /** The peers that may connect, each admitted on the engine port by rules named after it; nothing else is. Defaults to none. */
    clients?: Peer[];
    /** Production: deletion protection, final snapshots, `protect`, Performance Insights, longer backups. Defaults to false. */
    production?: boolean;
    /** The primary region. Defaults to the `aws:region` config. */
    region?: string;
    /** aurora / aurora-global: readers in the primary cluster, each in its own AZ where possible. Defaults to 1 in production and 0 in development (at least 1 for aurora-global). */
    readers?: number;
    /** aurora / aurora-global: reader auto scaling on rds:cluster:ReadReplicaCount. Defaults to on in production (see {@link ReaderScalingArgs}), off in development; `false` turns it off. */
    readerScaling?: ReaderScalingArgs | false;
    /** aurora-global: the secondary region; must differ from the primary. Required for aurora-global. */
    secondaryRegion?: string;
    /** aurora-global: the VPC of the secondary region. Required for aurora-global. */
    secondaryNetwork?: NetworkRef;
    /** aurora-global: the provider of the secondary region. Defaults to a provider the component creates for `secondaryRegion`. */
    secondaryProvider?: aws.Provider;
    /** aurora-global: peers in the secondary VPC that may connect there. Defaults to none. */
    secondaryClients?: Peer[];
    /** aurora-global: read-only instances in the secondary cluster (0 = headless). Defaults to 2 in production (a promoted region fails over like the primary) and 1 in development. */
    secondaryReaders?: number;
    /** aurora-global: the global cluster identifier. Defaults to `<name>-<stack>`. */
    globalClusterIdentifier?: string;
    /** rds: read replicas of the primary instance. Defaults to 1 in production and 0 in development. */
    replicas?: number;
    /** rds: a synchronous standby in another AZ. Defaults to true in production and false in development. */
    multiAz?: boolean;
    /** rds: initial storage in GiB. Defaults to 20 in development and 100 in production. */
    allocatedStorage?: number;
    /** rds: storage autoscaling ceiling in GiB, above `allocatedStorage`. Defaults to 5 × allocatedStorage (capped at the engine's maximum). */
    maxAllocatedStorage?: number;
    /** Days of automated backups. Defaults to 7 in production and 1 in development. */
    backupRetentionDays?: number;
    /** Restore from this DB (cluster) snapshot name or ARN instead of creating an empty database. Defaults to none. */
    snapshotIdentifier?: string;
    /** The initial database name. Defaults to none. */
    databaseName?: string;
    /** The master user name. Defaults to "dbadmin". */
    masterUsername?: string;
    /** aurora-global: bump to generate and set a new master password. Defaults to 1. */
    masterPasswordVersion?: number;
    /** Port. Defaults to the engine's port. */
    port?: number;
    /** Performance Insights. Defaults to production. */
    performanceInsights?: boolean;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

/** The arguments with every default resolved. */
export interface ResolvedDatabaseArgs {
    kind: DatabaseKind;
    engine: string;
    engineVersion: string | undefined;
    instanceClass: string;
    production: boolean;
    region: string | undefined;
    availabilityZones: string[];
    readers: number;
    readerScaling: { min: number; max: number; metric: "cpu" | "connections"; target: number } | undefined;
    secondaryRegion: string | undefined;
    secondaryAvailabilityZones: string[] | undefined;
    secondaryReaders: number;
    replicas: number;
    multiAz: boolean;
    allocatedStorage: number;
    maxAllocatedStorage: number;
    backupRetentionDays: number;
    snapshotIdentifier: string | undefined;
    databaseName: string | undefined;
    masterUsername: string;
    masterPasswordVersion: number;
    port: number;
    performanceInsights: boolean;
    iamAuth: boolean;
}

export function resolveDatabaseArgs(args: DatabaseArgs, defaultRegion?: string): ResolvedDatabaseArgs {
    const production = args.production ?? false;
    const aurora = args.kind !== "rds";
    const engine = args.engine ?? (aurora ? "aurora-mysql" : "mysql");
    const readers = args.readers ?? (production || args.kind === "aurora-global" ? 1 : 0);
    let readerScaling: ResolvedDatabaseArgs["readerScaling"];
    if (aurora && args.readerScaling !== false && (args.readerScaling !== undefined || production)) {
        const given = args.readerScaling ?? {};
        const min = given.min ?? Math.max(readers, production ? 1 : 0);
        const metric = given.metric ?? "cpu";
        readerScaling = { min, max: given.max ?? Math.max(min + 2, 3), metric, target: given.target ?? (metric === "cpu" ? 60 : 500) };
    }
    const allocatedStorage = args.allocatedStorage ?? (production ? 100 : 20);
    return {
        kind: args.kind,
        engine,
        engineVersion: args.engineVersion ?? defaultEngineVersions[engine],
        instanceClass: args.instanceClass ?? (production || args.kind === "aurora-global" ? "db.r6g.large" : "db.t4g.medium"),
        production,
        region: args.region ?? defaultRegion,
        availabilityZones: [...args.network.availabilityZones],
        readers: aurora ? readers : 0,
        readerScaling,
        secondaryRegion: args.secondaryRegion,
        secondaryAvailabilityZones: args.secondaryNetwork ? [...args.secondaryNetwork.availabilityZones] : undefined,
        secondaryReaders: args.secondaryReaders ?? (production ? 2 : 1),
        replicas: aurora ? 0 : args.replicas ?? (production ? 1 : 0),
        multiAz: args.multiAz ?? production,
        allocatedStorage,
        maxAllocatedStorage: args.maxAllocatedStorage ?? Math.min(allocatedStorage * 5, rdsMaxStorage(engine)),
        backupRetentionDays: args.backupRetentionDays ?? (production ? 7 : 1),
        snapshotIdentifier: args.snapshotIdentifier,
        databaseName: args.databaseName,
        masterUsername: args.masterUsername ?? "dbadmin",
        masterPasswordVersion: args.masterPasswordVersion ?? 1,
        port: args.port ?? defaultPort(engine),
        performanceInsights: args.performanceInsights ?? production,
        iamAuth: supportsIamAuth(engine),
    };
}

const isCount = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;

/**
 * Validates resolved arguments against the AWS limits above and the platform's production rules,
 * collecting every problem (property paths are the argument names).
 */
export function validateDatabaseArgs(
    r: ResolvedDatabaseArgs,
    raw: Pick<DatabaseArgs, "secondaryNetwork" | "readers" | "replicas">,
    today: string = new Date().toISOString().slice(0, 10),
): ProblemCollector {
    const p = new ProblemCollector();
    const aurora = r.kind !== "rds";
    p.check(!databaseKinds.includes(r.kind), "kind", `expected one of ${databaseKinds.join(", ")}, got ${r.kind}`);
    if (aurora) {
        p.check(!(auroraEngines as readonly string[]).includes(r.engine), "engine", `${r.kind} needs aurora-mysql or aurora-postgresql, got ${r.engine}`);
    } else {
        p.check(!rdsEngines.includes(r.engine), "engine", `rds needs one of ${rdsEngines.join(", ")}, got ${r.engine}`);
    }
    if (!/^db\.[a-z0-9-]+\.[a-z0-9-]+$/.test(r.instanceClass)) {
        p.add("instanceClass", `expected a DB instance class such as db.r6g.large, got ${r.instanceClass}`);
    } else {
        const unknown = dbInstanceClassProblem(r.instanceClass);
        if (unknown) p.add("instanceClass", unknown);
    }
    p.check(r.availabilityZones.length === 0, "network.availabilityZones", "the network has no AZs");
    p.check(
        r.production && r.availabilityZones.length < 2,
        "network.availabilityZones",
        `production needs at least 2 AZs so the writer and its standby or reader sit apart, got ${r.availabilityZones.length}`,
    );
    p.check(!isCount(r.backupRetentionDays, MAX_BACKUP_RETENTION_DAYS) || r.backupRetentionDays < 1, "backupRetentionDays", `must be 1–${MAX_BACKUP_RETENTION_DAYS} days, got ${r.backupRetentionDays}`);
    p.check(r.production && r.backupRetentionDays < 7, "backupRetentionDays", `production keeps backups at least 7 days, got ${r.backupRetentionDays}`);
    // RDS and Aurora accept ports 1150–65535 (RDS CreateDBInstance/CreateDBCluster `Port`).
    p.check(!Number.isInteger(r.port) || r.port < 1150 || r.port > 65535, "port", `must be 1150–65535, got ${r.port}`);
    p.check(!/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(r.masterUsername), "masterUsername", "1–16 letters, digits or underscores, starting with a letter");
    p.check(!Number.isInteger(r.masterPasswordVersion) || r.masterPasswordVersion < 1, "masterPasswordVersion", "must be a positive whole number");

    if (aurora) {
        p.check(!isCount(r.readers, MAX_AURORA_READERS), "readers", `an Aurora cluster has 0–${MAX_AURORA_READERS} readers, got ${r.readers}`);
        p.check(r.production && r.readers < 1, "readers", "production needs at least one reader in another AZ than the writer");
        if (r.readerScaling) {
            const s = r.readerScaling;
            p.check(!isCount(s.min, MAX_AURORA_READERS), "readerScaling.min", `must be 0–${MAX_AURORA_READERS}, got ${s.min}`);
            p.check(!isCount(s.max, MAX_AURORA_READERS) || s.max < 1, "readerScaling.max", `must be 1–${MAX_AURORA_READERS} (an Aurora cluster has at most ${MAX_AURORA_READERS} readers), got ${s.max}`);
            p.check(s.min > s.max, "readerScaling.min", `must not exceed readerScaling.max (${s.min} > ${s.max})`);
            p.check(r.production && s.min < 1, "readerScaling.min", "production keeps at least one reader");
            p.check(s.max < r.readers, "readerScaling.max", `must be at least the ${r.readers} provisioned readers`);
            const targetMax = s.metric === "cpu" ? 90 : 16000;
            p.check(!(s.target > 0 && s.target <= targetMax), "readerScaling.target", `must be above 0 and at most ${targetMax} for ${s.metric}, got ${s.target}`);
        }
    } else {
        p.check(raw.readers !== undefined, "readers", "readers apply to Aurora; use replicas for rds");
    }

    if (r.kind === "aurora-global") {
        if (/^db\.t/.test(r.instanceClass)) {
            // "The requested instance class is not supported by global databases: db.t4g.medium" (API error, hashicorp/terraform-provider-aws#27736);
            // AWS asks for memory-optimised classes, db.r5 or higher (aurora-global-database configuration requirements).
            p.add("instanceClass", `Aurora Global Database does not support burstable classes (${r.instanceClass}); use a memory-optimised class such as db.r6g.large`);
        }
        p.check(r.instanceClass === "db.serverless", "instanceClass", "db.serverless (Serverless v2) is not supported by this component");
        if (r.engineVersion === undefined) {
            p.add("engineVersion", `required for ${r.engine} in a global database`);
        } else if ((auroraEngines as readonly string[]).includes(r.engine)) {
            const problem = globalVersionProblem(r.engine, r.engineVersion);
            if (problem === undefined) {
                p.add("engineVersion", `unrecognised ${r.engine} version ${r.engineVersion} (expected e.g. ${defaultEngineVersions[r.engine]})`);
            } else if (problem !== null) {
                p.add("engineVersion", problem);
            }
        }
        if (r.secondaryRegion === undefined) {
            p.add("secondaryRegion", "aurora-global needs a secondary region");
        } else {
            p.check(!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(r.secondaryRegion), "secondaryRegion", `expected an AWS region, got ${r.secondaryRegion}`);
            p.check(r.secondaryRegion === r.region, "secondaryRegion", `must differ from the primary region ${r.region}`);
        }
        p.check(raw.secondaryNetwork === undefined, "secondaryNetwork", "aurora-global needs the VPC of the secondary region");
        p.check(r.secondaryAvailabilityZones !== undefined && r.secondaryAvailabilityZones.length === 0, "secondaryNetwork.availabilityZones", "the secondary network has no AZs");
        p.check(!isCount(r.secondaryReaders, MAX_SECONDARY_READERS), "secondaryReaders", `a secondary cluster has 0–${MAX_SECONDARY_READERS} read-only instances, got ${r.secondaryReaders}`);
    } else {
        p.check(r.secondaryRegion !== undefined, "secondaryRegion", `only aurora-global has a secondary region (kind is ${r.kind})`);
        p.check(raw.secondaryNetwork !== undefined, "secondaryNetwork", `only aurora-global has a secondary network (kind is ${r.kind})`);
    }

    if (r.kind === "rds") {
        const limit = rdsReplicaLimits[r.engine];
        if (limit !== undefined) {
            p.check(
                !isCount(r.replicas, limit),
                "replicas",
                `${r.engine} allows 0–${limit} read replicas per source (botocore rds CreateDBInstanceReadReplica), got ${r.replicas}`,
            );
        }
        p.check(r.production && !r.multiAz, "multiAz", "production RDS instances keep a Multi-AZ standby");
        const maxStorage = rdsMaxStorage(r.engine);
        p.check(
            !Number.isInteger(r.allocatedStorage) || r.allocatedStorage < RDS_MIN_STORAGE || r.allocatedStorage > maxStorage,
            "allocatedStorage",
            `must be ${RDS_MIN_STORAGE}–${maxStorage} GiB for ${r.engine} on gp3, got ${r.allocatedStorage}`,
        );
        p.check(
            !Number.isInteger(r.maxAllocatedStorage) || r.maxAllocatedStorage <= r.allocatedStorage || r.maxAllocatedStorage > maxStorage,
            "maxAllocatedStorage",
            `storage autoscaling needs a ceiling above allocatedStorage (${r.allocatedStorage}) and at most ${maxStorage} GiB, got ${r.maxAllocatedStorage}`,
        );
    } else {
        p.check(raw.replicas !== undefined, "replicas", "replicas apply to rds; Aurora uses readers");
    }
    // A version AWS does not offer, or one past standard support, fails at creation or costs Extended Support.
    if (r.engineVersion !== undefined && !p.problems.some((x) => x.propertyPath === "engineVersion")) {
        const problem = engineVersionProblem(r.engine, r.engineVersion, today);
        if (problem) p.add("engineVersion", problem);
    }
    return p;
}

/** The AZ of each of `count` instances: round robin over the zones, so the first min(count, zones) are distinct. */
export function spreadAcrossZones(zones: string[], count: number): string[] {
    return Array.from({ length: count }, (_v, i) => zones[i % zones.length]);
}

/** A snapshot identifier from a resource name (callers add the stack: identifiers are unique per account and region): letters, digits and single hyphens, starting with a letter, at most 255 characters. */
export function finalSnapshotName(name: string): string {
    const cleaned = `${name}-final`.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^[^a-z]+/, "");
    return (cleaned || "db-final").slice(0, 255).replace(/-$/, "");
}

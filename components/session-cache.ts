import * as pulumi from "@pulumi/pulumi";
import type { ServiceBinding } from "./binding";
import * as aws from "@pulumi/aws";
import { finalSnapshotName, spreadAcrossZones } from "./database-spec";
import { newDataKey } from "./kms";
import { NetworkRef } from "./network";
import { Peer, allowDefaultPortFrom, newSecurityGroup, tcp } from "./security-groups";
import { ProblemCollector } from "./validation";
import { cacheNodeTypeProblem } from "./instance-types";
import { cacheEngineVersionProblem } from "../limits/engine-versions";

export type CacheEngine = "valkey" | "redis";

export interface SessionCacheArgs {
    /** The VPC and its private subnets (one per AZ). */
    network: NetworkRef;
    /** The peers that may connect, each admitted on the cache port by rules named after it; nothing else is. Defaults to none. */
    clients?: Peer[];
    /** Production: at least two nodes in distinct AZs, automatic failover, Multi-AZ, snapshots kept, `protect`. Defaults to false. */
    production?: boolean;
    /** Engine. Defaults to "valkey" (open-source successor of Redis OSS, same protocol). */
    engine?: CacheEngine;
    /** Engine version. Defaults to "8.0" for valkey and "7.1" for redis. */
    engineVersion?: string;
    /** Node type. Defaults to cache.t4g.micro in development and cache.r7g.large in production. */
    nodeType?: string;
    /** Nodes (one primary plus replicas), spread over the AZs. Defaults to 1 in development and 2 in production. */
    nodes?: number;
    /** Days automatic snapshots are kept (0 = none). Defaults to 7 in production and 0 in development. */
    snapshotRetentionDays?: number;
    /** Bump to generate and set a new auth token. Defaults to 1. */
    authTokenVersion?: number;
    /** Port. Defaults to 6379. */
    port?: number;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

export interface ResolvedSessionCacheArgs {
    production: boolean;
    engine: CacheEngine;
    engineVersion: string;
    nodeType: string;
    nodes: number;
    snapshotRetentionDays: number;
    authTokenVersion: number;
    port: number;
    availabilityZones: string[];
    /** Automatic failover and Multi-AZ: on with a replica to fail over to. */
    multiAz: boolean;
}

/** NumCacheClusters is 1–6 (one primary and up to five replicas) (botocore elasticache CreateReplicationGroupMessage). */
export const MAX_CACHE_NODES = 6;
/** ElastiCache keeps automatic snapshots for at most 35 days (ElastiCache user guide, "Scheduling automatic backups"). */
export const MAX_CACHE_SNAPSHOT_DAYS = 35;

export function resolveSessionCacheArgs(args: SessionCacheArgs): ResolvedSessionCacheArgs {
    const production = args.production ?? false;
    const engine = args.engine ?? "valkey";
    const nodes = args.nodes ?? (production ? 2 : 1);
    return {
        production,
        engine,
        engineVersion: args.engineVersion ?? (engine === "valkey" ? "8.0" : "7.1"),
        nodeType: args.nodeType ?? (production ? "cache.r7g.large" : "cache.t4g.micro"),
        nodes,
        snapshotRetentionDays: args.snapshotRetentionDays ?? (production ? 7 : 0),
        authTokenVersion: args.authTokenVersion ?? 1,
        port: args.port ?? 6379,
        availabilityZones: [...args.network.availabilityZones],
        multiAz: nodes >= 2,
    };
}

/**
 * Whether the engine version runs on node-based clusters: Valkey 7.2+, Redis OSS 4.0.10+
 * (ElastiCache "Supported engine versions" for node-based clusters).
 */
export function cacheVersionProblem(engine: CacheEngine, version: string): string | null {
    const m = /^(\d+)\.(\d+|x)(?:\.(\d+))?$/.exec(version);
    if (!m) return `expected a version such as ${engine === "valkey" ? "8.0" : "7.1"}, got ${version}`;
    const major = Number(m[1]);
    const minor = m[2] === "x" ? 99 : Number(m[2]);
    const patch = Number(m[3] ?? 99);
    if (engine === "valkey") {
        return major > 7 || (major === 7 && minor >= 2) ? null : `Valkey ${version} is not offered: 7.2 or later is needed`;
    }
    const ok = major > 4 || (major === 4 && (minor > 0 || patch >= 10));
    return ok ? null : `Redis OSS ${version} is not offered on node-based clusters: 4.0.10 or later is needed`;
}

export function validateSessionCacheArgs(r: ResolvedSessionCacheArgs, today: string = new Date().toISOString().slice(0, 10)): ProblemCollector {
    const p = new ProblemCollector();
    p.check(r.engine !== "valkey" && r.engine !== "redis", "engine", `expected valkey or redis, got ${r.engine}`);
    const versionProblem = cacheVersionProblem(r.engine, r.engineVersion) ?? cacheEngineVersionProblem(r.engine, r.engineVersion, today);
    if (versionProblem) p.add("engineVersion", versionProblem);
    if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(r.nodeType)) {
        p.add("nodeType", `expected a node type such as cache.r7g.large, got ${r.nodeType}`);
    } else {
        const unknown = cacheNodeTypeProblem(r.nodeType);
        if (unknown) p.add("nodeType", unknown);
    }
    p.check(!Number.isInteger(r.nodes) || r.nodes < 1 || r.nodes > MAX_CACHE_NODES, "nodes", `a replication group has 1–${MAX_CACHE_NODES} nodes (one primary, up to five replicas), got ${r.nodes}`);
    p.check(r.production && r.nodes < 2, "nodes", `production needs at least 2 nodes in distinct AZs for automatic failover and Multi-AZ, got ${r.nodes}`);
    p.check(r.production && r.availabilityZones.length < 2, "network.availabilityZones", "production needs at least 2 AZs so primary and replica sit apart");
    // Multi-AZ is not offered on T1 nodes (ElastiCache AutoFailover, 2023).
    p.check(r.multiAz && r.nodeType.startsWith("cache.t1."), "nodeType", `${r.nodeType} cannot run Multi-AZ with automatic failover`);
    p.check(
        !Number.isInteger(r.snapshotRetentionDays) || r.snapshotRetentionDays < 0 || r.snapshotRetentionDays > MAX_CACHE_SNAPSHOT_DAYS,
        "snapshotRetentionDays",
        `must be 0–${MAX_CACHE_SNAPSHOT_DAYS} days, got ${r.snapshotRetentionDays}`,
    );
    p.check(r.production && r.snapshotRetentionDays < 1, "snapshotRetentionDays", "production keeps snapshots for at least a day");
    p.check(!Number.isInteger(r.port) || r.port < 1024 || r.port > 65535, "port", `must be 1024–65535, got ${r.port}`);
    p.check(!Number.isInteger(r.authTokenVersion) || r.authTokenVersion < 1, "authTokenVersion", "must be a positive whole number");
    return p;
}

/**
 * A Valkey/Redis OSS replication group (cluster mode disabled) for sessions and cache-aside reads,
 * in the private subnets: encryption at rest with a customer key and in transit (TLS required), an
 * auth token generated by Secrets Manager and kept in a secret (handed to ElastiCache through a
 * write-only argument, so the provider never reads it back into outputs; the program's inputs still
 * hold it, encrypted, in the Pulumi state, as for any secret), nodes spread over the AZs with
 * automatic failover and Multi-AZ when there is a replica. Only the given client peers reach the port.
 */
export class SessionCache extends pulumi.ComponentResource {
    /** Where writes go (the primary endpoint). */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Spreads reads over the replicas. */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** The Secrets Manager secret holding `{ "authToken": ... }`. */
    readonly authTokenSecretArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The customer key of the data and of the auth-token secret: readers of the secret need kms:Decrypt on it. */
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly settings: ResolvedSessionCacheArgs;

    constructor(name: string, args: SessionCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:SessionCache", name, {}, opts);
        const r = resolveSessionCacheArgs(args);
        validateSessionCacheArgs(r).throwIfAny(`SessionCache '${name}'`);
        this.settings = r;
        const tags = { ...args.tags };

        const key = newDataKey(`${name}-key`, { description: `${name} ${r.engine} data and auth token`, production: r.production, tags }, { parent: this });
        const group = newSecurityGroup(name, { vpcId: args.network.vpcId, description: `${name} ${r.engine} session cache`, tags: { ...tags, Name: name } }, { parent: this });
        for (const peer of args.clients ?? []) {
            allowDefaultPortFrom(name, { securityGroupId: group.id, defaultPort: tcp(r.port) }, peer, `${peer.name} to ${name} (${r.engine})`, { parent: this }, tags);
        }
        const subnets = new aws.elasticache.SubnetGroup(
            name,
            { subnetIds: args.network.privateSubnetIds, description: `${name}: private subnets of every AZ`, tags: { ...tags, Name: name } },
            { parent: this },
        );

        // 16–128 printable characters; only ! & # $ ^ < > - as specials (botocore elasticache AuthToken): alphanumerics only.
        const token = aws.secretsmanager.getRandomPasswordOutput({ passwordLength: 64, excludePunctuation: true }, { parent: this }).randomPassword;
        const secret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            { description: `Auth token of the ${name} ${r.engine} replication group`, kmsKeyId: key.arn, recoveryWindowInDays: r.production ? 30 : 0, tags },
            { parent: this, protect: r.production },
        );

        const cache = new aws.elasticache.ReplicationGroup(
            name,
            {
                description: `${name} sessions and cache-aside reads`,
                engine: r.engine,
                engineVersion: r.engineVersion,
                nodeType: r.nodeType,
                port: r.port,
                numCacheClusters: r.nodes,
                preferredCacheClusterAzs: spreadAcrossZones(r.availabilityZones, r.nodes),
                // Multi-AZ needs at least one replica (ElastiCache AutoFailover); both follow the node count.
                automaticFailoverEnabled: r.multiAz,
                multiAzEnabled: r.multiAz,
                subnetGroupName: subnets.name,
                securityGroupIds: [group.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: key.arn,
                // TLS only: a new group with transit encryption admits encrypted connections alone; the
                // "preferred" mode exists to migrate an existing group and is left unset.
                transitEncryptionEnabled: true,
                authTokenWo: pulumi.secret(token),
                authTokenWoVersion: r.authTokenVersion,
                snapshotRetentionLimit: r.snapshotRetentionDays,
                snapshotWindow: r.snapshotRetentionDays > 0 ? "03:00-04:00" : undefined,
                finalSnapshotIdentifier: r.production ? finalSnapshotName(`${name}-${pulumi.getStack()}`) : undefined,
                maintenanceWindow: "sun:05:00-sun:06:00",
                autoMinorVersionUpgrade: true,
                applyImmediately: !r.production,
                tags: { ...tags, Name: name },
            },
            { parent: this, protect: r.production },
        );
        // The token is generated anew on every run and reaches AWS only when its version changes; a replaced
        // group gets this run's token, so the stored secret is rewritten with it.
        new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            { secretId: secret.id, secretStringWo: pulumi.secret(token.apply((t) => JSON.stringify({ authToken: t }))), secretStringWoVersion: r.authTokenVersion },
            { parent: this, replaceWith: [cache] },
        );

        this.primaryEndpoint = cache.primaryEndpointAddress;
        this.readerEndpoint = cache.readerEndpointAddress;
        this.port = cache.port.apply((p) => p ?? r.port);
        this.authTokenSecretArn = secret.arn;
        this.securityGroupId = group.id;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            authTokenSecretArn: this.authTokenSecretArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /** What a client of this cache receives (see ServiceBinding): the chain on its port, its endpoints (TLS) and the auth token secret's ARN, read on that secret. */
    binding(): ServiceBinding {
        return {
            name: "cache",
            securityGroupId: this.securityGroupId,
            port: this.settings.port,
            environment: {
                CACHE_HOST: this.primaryEndpoint,
                CACHE_READER_HOST: this.readerEndpoint,
                CACHE_PORT: String(this.settings.port),
                CACHE_TLS: "true",
                CACHE_AUTH_SECRET_ARN: this.authTokenSecretArn,
            },
            secretArns: [this.authTokenSecretArn],
            secretKmsKeyArns: [this.kmsKeyArn],
        };
    }
}

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ConfigError, PlatformConfig } from "../config";
import { ConfigProblem } from "../config/validation";
import { Database, DatabaseArgs, resolveDatabaseArgs, validateDatabaseArgs } from "./database";
import { Network, NetworkRef } from "./network";
import { newSecurityGroup } from "./security-groups";
import { SessionCache, SessionCacheArgs, resolveSessionCacheArgs, validateSessionCacheArgs } from "./session-cache";
import { SharedFileSystem, SharedFileSystemArgs, resolveSharedFileSystemArgs, validateSharedFileSystemArgs } from "./shared-file-system";
import { ProblemCollector } from "./validation";

/**
 * The stack's data tier from `platform:data`: a Database, a SessionCache and a SharedFileSystem,
 * each admitting only the given client security groups. Until the application environments are
 * wired in, the clients are one "data clients" group created here in the VPC: put the instances in
 * it (or chain their groups to the components' `securityGroupId`s) to reach the data.
 */

type DatabaseSettings = Omit<DatabaseArgs, "network" | "clients" | "secondaryNetwork" | "secondaryProvider">;
type CacheSettings = Omit<SessionCacheArgs, "network" | "clients">;
type FileSystemSettings = Omit<SharedFileSystemArgs, "network" | "clients">;

/** The Database arguments the stack config asks for; the kind defaults to aurora-global in production and aurora in development. */
export function databaseSettings(cfg: PlatformConfig): DatabaseSettings | undefined {
    const d = cfg.data?.database;
    if (!d) return undefined;
    const kind = d.kind ?? (cfg.isProduction ? "aurora-global" : "aurora");
    return {
        kind,
        engine: d.engine,
        engineVersion: d.engineVersion,
        instanceClass: d.instanceClass,
        production: cfg.isProduction,
        region: cfg.region,
        readers: d.readers,
        readerScaling: d.readerScaling,
        secondaryRegion: kind === "aurora-global" ? cfg.secondaryRegion : undefined,
        secondaryReaders: d.secondaryReaders,
        replicas: d.replicas,
        multiAz: d.multiAz,
        allocatedStorage: d.allocatedStorage,
        maxAllocatedStorage: d.maxAllocatedStorage,
        backupRetentionDays: d.backupRetentionDays,
        snapshotIdentifier: d.snapshotIdentifier,
        databaseName: d.databaseName,
        globalClusterIdentifier: `${cfg.project}-${cfg.stack}`,
        tags: cfg.tags,
    };
}

export function cacheSettings(cfg: PlatformConfig): CacheSettings | undefined {
    const c = cfg.data?.cache;
    return c ? { ...c, production: cfg.isProduction, tags: cfg.tags } : undefined;
}

export function fileSystemSettings(cfg: PlatformConfig): FileSystemSettings | undefined {
    const f = cfg.data?.fileSystem;
    return f ? { ...f, production: cfg.isProduction, tags: cfg.tags } : undefined;
}

/** The secondary VPC's CIDR: the primary's with the second octet plus one (10.0.0.0/16 → 10.1.0.0/16), so the two can be peered. */
export function secondaryCidrBlock(primary: string): string {
    const [a, b, ...rest] = primary.split(".");
    return [a, String((Number(b) + 1) % 256), ...rest].join(".");
}

/** A component's argument path as the stack config path that sets it. */
function configPath(project: string, component: "database" | "cache" | "fileSystem", propertyPath: string): string {
    if (propertyPath.startsWith("network.")) return `${project}:azCount`;
    if (propertyPath === "secondaryRegion" || propertyPath.startsWith("secondaryNetwork")) return `${project}:secondaryRegion`;
    if (propertyPath === "production") return `${project}:environmentClass`;
    return `${project}:data.${component}.${propertyPath}`;
}

/**
 * Every problem of the data-tier config, with the config path that causes it, found by the
 * components' own validators before anything is registered. Pure; exported for tests.
 */
export function validateDataTier(cfg: PlatformConfig, availabilityZones: string[]): ConfigProblem[] {
    const network: NetworkRef = { vpcId: "", publicSubnetIds: [], privateSubnetIds: [], availabilityZones, cidrBlock: cfg.network.cidrBlock };
    const problems: ConfigProblem[] = [];
    const collect = (component: "database" | "cache" | "fileSystem", found: ProblemCollector) =>
        problems.push(...found.problems.map((p) => ({ path: configPath(cfg.project, component, p.propertyPath), message: p.reason })));
    const db = databaseSettings(cfg);
    if (db) {
        const args: DatabaseArgs = { ...db, network, secondaryNetwork: db.kind === "aurora-global" ? network : undefined };
        collect("database", validateDatabaseArgs(resolveDatabaseArgs(args), args));
    }
    const cache = cacheSettings(cfg);
    if (cache) collect("cache", validateSessionCacheArgs(resolveSessionCacheArgs({ ...cache, network })));
    const fs = fileSystemSettings(cfg);
    if (fs) collect("fileSystem", validateSharedFileSystemArgs(resolveSharedFileSystemArgs({ ...fs, network })));
    return problems;
}

export interface DataTier {
    /** The client security groups every data component admits (each chained with `allowFrom`). */
    clients: pulumi.Input<string>[];
    /** Only when no client was given: a group whose members may reach every data component. */
    clientSecurityGroupId?: pulumi.Output<string>;
    database?: Database;
    cache?: SessionCache;
    fileSystem?: SharedFileSystem;
    /** aurora-global: the VPC in the secondary region. */
    secondaryNetwork?: Network;
    /** Stack outputs. */
    outputs: Record<string, unknown>;
}

/**
 * Builds the data tier the stack config declares, or nothing without `platform:data`. Config
 * problems are reported all at once, with their config paths, before any resource is registered.
 */
export async function buildDataTier(cfg: PlatformConfig, network: NetworkRef, clientGroups: pulumi.Input<string>[] = []): Promise<DataTier | undefined> {
    if (!cfg.data) {
        return undefined;
    }
    const problems = validateDataTier(cfg, network.availabilityZones);
    if (problems.length > 0) {
        throw new ConfigError(`stack '${cfg.stack}' config`, problems);
    }
    const prefix = cfg.project;
    let tier: DataTier;
    if (clientGroups.length > 0) {
        tier = { clients: clientGroups, outputs: {} };
    } else {
        const clientGroup = newSecurityGroup(
            `${prefix}-data-clients`,
            { vpcId: network.vpcId, description: "Instances allowed to reach the data tier", tags: { ...cfg.tags, Name: `${prefix}-data-clients` } },
            {},
        );
        tier = { clients: [clientGroup.id], clientSecurityGroupId: clientGroup.id, outputs: { clientSecurityGroupId: clientGroup.id } };
    }
    const clients = tier.clients;

    const db = databaseSettings(cfg);
    if (db) {
        let secondary: { network: Network; provider: aws.Provider } | undefined;
        if (db.kind === "aurora-global") {
            const region = db.secondaryRegion!;
            const provider = new aws.Provider(`${prefix}-${region}`, { region, defaultTags: { tags: cfg.tags } });
            const zones = await aws.getAvailabilityZones(
                { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
                { provider },
            );
            const secondaryNetwork = new Network(
                `${prefix}-secondary`,
                {
                    availabilityZones: [...zones.names].sort().slice(0, Math.min(cfg.azCount, zones.names.length)),
                    cidrBlock: cfg.data.database?.secondaryCidrBlock ?? secondaryCidrBlock(cfg.network.cidrBlock),
                    // The secondary cluster itself needs no internet, but a promoted region must survive the loss
                    // of an AZ like the primary: a gateway per AZ in production, one in development.
                    natGateways: cfg.isProduction ? "perAz" : "single",
                    flowLogs: cfg.network.flowLogs,
                    flowLogRetentionDays: cfg.isProduction ? 365 : 30,
                    tags: cfg.tags,
                },
                { providers: { aws: provider } },
            );
            secondary = { network: secondaryNetwork, provider };
            tier.secondaryNetwork = secondaryNetwork;
        }
        const database = new Database(`${prefix}-db`, { ...db, network, clients, secondaryNetwork: secondary?.network, secondaryProvider: secondary?.provider });
        tier.database = database;
        tier.outputs.database = {
            kind: database.kind,
            writerEndpoint: database.writerEndpoint,
            readerEndpoint: database.readerEndpoint,
            port: database.port,
            secretArn: database.secretArn,
            securityGroupId: database.securityGroupId,
            ...(database.globalClusterId
                ? {
                      globalClusterId: database.globalClusterId,
                      secondaryRegion: db.secondaryRegion,
                      secondaryReaderEndpoint: database.secondaryReaderEndpoint,
                      secondaryVpcId: secondary?.network.vpcId,
                  }
                : {}),
            ...(database.readerEndpoints ? { readerEndpoints: database.readerEndpoints } : {}),
        };
    }
    const cache = cacheSettings(cfg);
    if (cache) {
        const sessions = new SessionCache(`${prefix}-sessions`, { ...cache, network, clients });
        tier.cache = sessions;
        tier.outputs.cache = {
            primaryEndpoint: sessions.primaryEndpoint,
            readerEndpoint: sessions.readerEndpoint,
            port: sessions.port,
            authTokenSecretArn: sessions.authTokenSecretArn,
            securityGroupId: sessions.securityGroupId,
        };
    }
    const fs = fileSystemSettings(cfg);
    if (fs) {
        const files = new SharedFileSystem(`${prefix}-files`, { ...fs, network, clients });
        tier.fileSystem = files;
        tier.outputs.fileSystem = {
            fileSystemId: files.fileSystemId,
            accessPointId: files.accessPointId,
            dnsName: files.dnsName,
            securityGroupId: files.securityGroupId,
        };
    }
    return tier;
}

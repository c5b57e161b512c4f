import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ApplicationConfig } from "../config/applications";
import type { ServiceKind } from "../config/data";
import type { ConfigProblem } from "../config/validation";
import { Database, DatabaseArgs, resolveDatabaseArgs, validateDatabaseArgs } from "../components/database";
import type { EnvironmentClass } from "../components/application";
import type { ServiceBinding } from "../components/binding";
import { Network, NetworkRef } from "../components/network";
import { SessionCache, SessionCacheArgs, resolveSessionCacheArgs, validateSessionCacheArgs } from "../components/session-cache";
import { SharedFileSystem, SharedFileSystemArgs, resolveSharedFileSystemArgs, validateSharedFileSystemArgs } from "../components/shared-file-system";
import { ProblemCollector } from "../components/validation";

/**
 * An application's backing services (`applications[i].database`, `.cache`, `.fileSystem`): the
 * component arguments their config asks for, with the stack class's defaults; their validation,
 * reported against the config paths; and their construction as children of the application. The
 * services admit no one by themselves: each environment using one chains its instance group to the
 * service's group with the binding the service offers (see components/binding.ts).
 *
 * The Aurora Global secondary region (its provider and VPC) is shared by every application of the
 * stack: built once, and only when some application has an aurora-global database.
 */

/** What the services need to know about the stack. */
export interface ServiceContext {
    project: string;
    stack: string;
    environmentClass: EnvironmentClass;
    /** The primary region. */
    region?: string;
    /** `platform:secondaryRegion`. */
    secondaryRegion?: string;
    tags?: Record<string, string>;
}

type DatabaseSettings = Omit<DatabaseArgs, "network" | "clients" | "secondaryNetwork" | "secondaryProvider">;
type CacheSettings = Omit<SessionCacheArgs, "network" | "clients">;
type FileSystemSettings = Omit<SharedFileSystemArgs, "network" | "clients">;

/** Where a file system is mounted when its entry names no mountPoint. */
export const DEFAULT_MOUNT_POINT = "/mnt/shared";

/** The database kind an entry gets: as given, else aurora-global in production and aurora in development. Pure. */
export function databaseKind(app: ApplicationConfig, environmentClass: EnvironmentClass): DatabaseArgs["kind"] | undefined {
    if (!app.database) return undefined;
    return app.database.kind ?? (environmentClass === "production" ? "aurora-global" : "aurora");
}

/** The Database arguments an application's entry asks for. Pure. */
export function databaseSettings(app: ApplicationConfig, ctx: ServiceContext): DatabaseSettings | undefined {
    const d = app.database;
    const kind = databaseKind(app, ctx.environmentClass);
    if (!d || !kind) return undefined;
    return {
        kind,
        engine: d.engine,
        engineVersion: d.engineVersion,
        instanceClass: d.instanceClass,
        production: ctx.environmentClass === "production",
        region: ctx.region,
        readers: d.readers,
        readerScaling: d.readerScaling,
        secondaryRegion: kind === "aurora-global" ? ctx.secondaryRegion : undefined,
        secondaryReaders: d.secondaryReaders,
        replicas: d.replicas,
        multiAz: d.multiAz,
        allocatedStorage: d.allocatedStorage,
        maxAllocatedStorage: d.maxAllocatedStorage,
        backupRetentionDays: d.backupRetentionDays,
        snapshotIdentifier: d.snapshotIdentifier,
        databaseName: d.databaseName,
        globalClusterIdentifier: `${ctx.project}-${ctx.stack}-${app.name}`,
        tags: serviceTags(app, ctx, "database"),
    };
}

export function cacheSettings(app: ApplicationConfig, ctx: ServiceContext): CacheSettings | undefined {
    const c = app.cache;
    return c ? { ...c, production: ctx.environmentClass === "production", tags: serviceTags(app, ctx, "cache") } : undefined;
}

export function fileSystemSettings(app: ApplicationConfig, ctx: ServiceContext): FileSystemSettings | undefined {
    const f = app.fileSystem;
    if (!f) return undefined;
    const { mountPoint: _mountPoint, ...settings } = f;
    return { ...settings, production: ctx.environmentClass === "production", tags: serviceTags(app, ctx, "fileSystem") };
}

/** The tags of a service's resources: the stack's, its application and which service it is (cost allocation, violation tracing). Pure. */
export function serviceTags(app: ApplicationConfig, ctx: ServiceContext, service: ServiceKind): Record<string, string> {
    return { ...ctx.tags, "platform:application": app.name, "platform:service": service };
}

/** The services an application declares, in a fixed order. Pure. */
export function declaredServices(app: ApplicationConfig): ServiceKind[] {
    return (["database", "cache", "fileSystem"] as const).filter((k) => app[k] !== undefined);
}

/** Whether any application needs the shared secondary region. Pure, linear. */
export function needsSecondaryRegion(apps: ReadonlyArray<ApplicationConfig | undefined>, environmentClass: EnvironmentClass): boolean {
    return apps.some((a) => a !== undefined && databaseKind(a, environmentClass) === "aurora-global");
}

/** The secondary VPC's CIDR: the primary's with the second octet plus one (10.0.0.0/16 → 10.1.0.0/16), so the two can be peered. */
export function secondaryCidrBlock(primary: string): string {
    const [a, b, ...rest] = primary.split(".");
    return [a, String((Number(b) + 1) % 256), ...rest].join(".");
}

/** A component's argument path as the stack config path that sets it. */
function configPath(project: string, appPath: string, service: ServiceKind, propertyPath: string): string {
    if (propertyPath.startsWith("network.")) return `${project}:azCount`;
    if (propertyPath === "production") return `${project}:environmentClass`;
    // The secondary region is the stack's, but the entry asking for aurora-global is what to fix or complete.
    if (propertyPath === "secondaryRegion" || propertyPath.startsWith("secondaryNetwork")) return `${appPath}.database.kind`;
    return `${appPath}.${service}.${propertyPath}`;
}

/**
 * Every problem of an application's services, with the config path that causes it, found by the
 * components' own validators. Registers nothing. Pure; exported for tests.
 */
export function validateServices(app: ApplicationConfig, appPath: string, ctx: ServiceContext, availabilityZones: string[]): ConfigProblem[] {
    const network: NetworkRef = { vpcId: "", publicSubnetIds: [], privateSubnetIds: [], availabilityZones, cidrBlock: "10.0.0.0/16" };
    const problems: ConfigProblem[] = [];
    const collect = (service: ServiceKind, found: ProblemCollector, hint = "") =>
        problems.push(...found.problems.map((p) => ({ path: configPath(ctx.project, appPath, service, p.propertyPath), message: p.reason + (p.propertyPath === "secondaryRegion" ? hint : "") })));
    const db = databaseSettings(app, ctx);
    if (db) {
        const args: DatabaseArgs = { ...db, network, secondaryNetwork: db.kind === "aurora-global" ? network : undefined };
        collect("database", validateDatabaseArgs(resolveDatabaseArgs(args), args), ` (aurora-global needs ${ctx.project}:secondaryRegion; or choose kind aurora or rds)`);
    }
    const cache = cacheSettings(app, ctx);
    if (cache) collect("cache", validateSessionCacheArgs(resolveSessionCacheArgs({ ...cache, network })));
    const fs = fileSystemSettings(app, ctx);
    if (fs) collect("fileSystem", validateSharedFileSystemArgs(resolveSharedFileSystemArgs({ ...fs, network })));
    return problems;
}

/** The Aurora Global secondary region shared by the stack's applications. */
export interface SecondaryRegion {
    region: string;
    provider: aws.Provider;
    network: Network;
}

/** Builds the secondary region's provider and VPC (call once per stack). */
export async function buildSecondaryRegion(
    args: { project: string; region: string; azCount: number; cidrBlock: string; flowLogs: boolean; production: boolean; tags: Record<string, string> },
): Promise<SecondaryRegion> {
    const provider = new aws.Provider(`${args.project}-${args.region}`, { region: args.region, defaultTags: { tags: args.tags } });
    const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }, { provider });
    const network = new Network(
        `${args.project}-secondary`,
        {
            availabilityZones: [...zones.names].sort().slice(0, Math.min(args.azCount, zones.names.length)),
            cidrBlock: args.cidrBlock,
            // The secondary clusters need no internet, but a promoted region must survive the loss of
            // an AZ like the primary: a gateway per AZ in production, one in development.
            natGateways: args.production ? "perAz" : "single",
            flowLogs: args.flowLogs,
            flowLogRetentionDays: args.production ? 365 : 30,
            tags: args.tags,
        },
        { providers: { aws: provider } },
    );
    return { region: args.region, provider, network };
}

/** An application's built services, how environments bind to them, and what the stack exports. */
export interface ApplicationServices {
    database?: Database;
    cache?: SessionCache;
    fileSystem?: SharedFileSystem;
    /** Per declared service, what an environment using it receives. */
    bindings: Partial<Record<ServiceKind, ServiceBinding>>;
    /** Stack outputs (endpoints and ids; no secret). */
    outputs: Record<string, unknown>;
}

/**
 * Builds an application's services as children of `parent`. Validated beforehand by
 * {@link validateServices}; the components validate again and throw on a bypassed check.
 */
export function buildServices(
    app: ApplicationConfig,
    network: NetworkRef,
    ctx: ServiceContext,
    parent: pulumi.Resource,
    secondary?: SecondaryRegion,
): ApplicationServices {
    const opts = { parent };
    const out: ApplicationServices = { bindings: {}, outputs: {} };
    const db = databaseSettings(app, ctx);
    if (db) {
        const global = db.kind === "aurora-global";
        if (global && !secondary) throw new Error(`application '${app.name}': aurora-global needs the stack's secondary region`);
        const database = new Database(
            `${app.name}-db`,
            { ...db, network, secondaryNetwork: global ? secondary?.network : undefined, secondaryProvider: global ? secondary?.provider : undefined },
            opts,
        );
        const r = database.settings;
        out.database = database;
        out.bindings.database = database.binding();
        out.outputs.database = {
            kind: database.kind,
            engine: r.engine,
            writerEndpoint: database.writerEndpoint,
            readerEndpoint: database.readerEndpoint,
            port: database.port,
            ...(database.readerEndpoints ? { readerEndpoints: database.readerEndpoints } : {}),
            ...(database.globalClusterId
                ? { globalClusterId: database.globalClusterId, secondaryRegion: r.secondaryRegion, secondaryReaderEndpoint: database.secondaryReaderEndpoint }
                : {}),
        };
    }
    const cache = cacheSettings(app, ctx);
    if (cache) {
        const sessions = new SessionCache(`${app.name}-sessions`, { ...cache, network }, opts);
        out.cache = sessions;
        out.bindings.cache = sessions.binding();
        out.outputs.cache = { engine: sessions.settings.engine, primaryEndpoint: sessions.primaryEndpoint, readerEndpoint: sessions.readerEndpoint, port: sessions.port };
    }
    const fsSettings = fileSystemSettings(app, ctx);
    if (fsSettings) {
        const mountPoint = app.fileSystem?.mountPoint ?? DEFAULT_MOUNT_POINT;
        const files = new SharedFileSystem(`${app.name}-files`, { ...fsSettings, network }, opts);
        out.fileSystem = files;
        out.bindings.fileSystem = files.binding(mountPoint);
        out.outputs.fileSystem = { fileSystemId: files.fileSystemId, accessPointId: files.accessPointId, mountPoint };
    }
    return out;
}

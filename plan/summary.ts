import { tagsOf } from "./ownership";

/**
 * What each application gets, read from the planned AWS resources and their `owner` (see source.ts):
 * per environment its tier, mode, instance type and group sizes; per application its database, cache
 * and file system. Reads AWS resource types and inputs only, never the program's config or code, so
 * it describes any program whose resources carry ownership tags.
 */

export interface PlanResourceLike {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    parent?: string | null;
    owner?: { application?: string; environment?: string; service?: string };
}

export interface EnvironmentSummary {
    name: string;
    tier: string;
    mode: string;
    instanceType: string;
    sizes: string;
    endpoint: string;
}

export interface ApplicationSummary {
    name: string;
    environments: EnvironmentSummary[];
    database: string;
    cache: string;
    fileSystem: string;
    resources: number;
}

const NONE = "—";
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];

/** The value of a tag ending in `:<suffix>` (`platform:tier`) on any of the resources. */
function tagValue(resources: PlanResourceLike[], suffix: string): string | undefined {
    const values = uniq(resources.flatMap((r) => [...tagsOf(r.inputs)].filter(([k]) => k.endsWith(`:${suffix}`)).map(([, v]) => v)));
    return values.length > 0 ? values.join(", ") : undefined;
}

function environmentSummary(application: string, name: string, rs: PlanResourceLike[]): EnvironmentSummary {
    const of = (type: string) => rs.filter((r) => r.type === type);
    const lbs = [...of("aws:lb/loadBalancer:LoadBalancer"), ...of("aws:alb/loadBalancer:LoadBalancer")];
    const groups = of("aws:autoscaling/group:Group");
    const types = uniq([
        ...of("aws:ec2/launchTemplate:LaunchTemplate").map((r) => str(r.inputs.instanceType)),
        ...of("aws:ec2/instance:Instance").map((r) => str(r.inputs.instanceType)),
    ]);
    const sizes = groups.map((g) => {
        const min = num(g.inputs.minSize);
        const max = num(g.inputs.maxSize);
        const desired = num(g.inputs.desiredCapacity);
        return `${min ?? "?"}–${max ?? "?"}${desired !== undefined ? ` (desired ${desired})` : ""}`;
    });
    const queues = of("aws:sqs/queue:Queue");
    const tier = tagValue(rs, "tier") ?? (lbs.length > 0 || of("aws:ec2/eip:Eip").length > 0 ? "web" : queues.length > 0 ? "worker" : NONE);
    const mode = tagValue(rs, "mode") ?? (lbs.length > 0 ? "ha" : groups.length > 0 ? "single" : NONE);
    const endpoint = lbs.length > 0
        ? lbs.map((lb) => `${lb.inputs.internal === true ? "internal" : "internet-facing"} ${str(lb.inputs.loadBalancerType) ?? "application"} LB`).join(", ")
        : of("aws:ec2/eip:Eip").length > 0
          ? "Elastic IP"
          : queues.length > 0
            ? `${queues.length} SQS queue${queues.length > 1 ? "s" : ""}`
            : NONE;
    const shortName = name.startsWith(`${application}-`) ? name.slice(application.length + 1) : name;
    return { name: shortName, tier, mode, instanceType: types.join(", ") || NONE, sizes: sizes.join(", ") || NONE, endpoint };
}

function databaseSummary(rs: PlanResourceLike[]): string {
    const parts: string[] = [];
    const global = rs.some((r) => r.type === "aws:rds/globalCluster:GlobalCluster");
    const instances = rs.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance");
    for (const c of rs.filter((r) => r.type === "aws:rds/cluster:Cluster")) {
        const n = instances.filter((i) => str(i.inputs.clusterIdentifier) === c.name || i.name.startsWith(`${c.name}-`)).length;
        const classes = uniq(instances.map((i) => str(i.inputs.instanceClass)));
        parts.push(`${str(c.inputs.engine) ?? "aurora"} ${str(c.inputs.engineVersion) ?? ""}`.trim() + `${global ? " (global)" : ""}: ${n} instance${n === 1 ? "" : "s"}${classes.length ? ` ${classes.join("/")}` : ""}`);
    }
    const dbs = rs.filter((r) => r.type === "aws:rds/instance:Instance");
    const primaries = dbs.filter((d) => d.inputs.replicateSourceDb === undefined);
    for (const d of primaries) {
        const replicas = dbs.length - primaries.length;
        parts.push(
            `${str(d.inputs.engine) ?? "rds"} ${str(d.inputs.engineVersion) ?? ""}`.trim() +
                ` ${str(d.inputs.instanceClass) ?? ""}, ${d.inputs.multiAz === true ? "Multi-AZ" : "single-AZ"}${replicas > 0 ? `, ${replicas} read replica${replicas > 1 ? "s" : ""}` : ""}`,
        );
    }
    return parts.join("; ") || NONE;
}

function cacheSummary(rs: PlanResourceLike[]): string {
    const parts = rs
        .filter((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup" || r.type === "aws:elasticache/cluster:Cluster")
        .map((r) => {
            const nodes = num(r.inputs.numCacheClusters) ?? num(r.inputs.numCacheNodes) ?? 1;
            return `${str(r.inputs.engine) ?? "cache"} ${str(r.inputs.engineVersion) ?? ""}`.trim() + ` ${str(r.inputs.nodeType) ?? ""} ×${nodes}${r.inputs.multiAzEnabled === true ? ", Multi-AZ" : ""}`;
        });
    return parts.join("; ") || NONE;
}

function fileSystemSummary(rs: PlanResourceLike[]): string {
    const parts: string[] = [];
    const mounts = rs.filter((r) => r.type === "aws:efs/mountTarget:MountTarget").length;
    for (const f of rs.filter((r) => r.type === "aws:efs/fileSystem:FileSystem")) {
        parts.push(`EFS ${str(f.inputs.throughputMode) ?? ""}${str(f.inputs.availabilityZoneName) ? ` One Zone` : ""}, ${mounts} mount target${mounts === 1 ? "" : "s"}`.replace(" ,", ","));
    }
    for (const f of rs.filter((r) => r.type === "aws:fsx/lustreFileSystem:LustreFileSystem")) {
        parts.push(`FSx for Lustre ${str(f.inputs.deploymentType) ?? ""} ${str(f.inputs.storageCapacity) ?? "?"} GiB`);
    }
    return parts.join("; ") || NONE;
}

/** One summary per application, in the order their first resource was planned. */
export function summarizeApplications(resources: PlanResourceLike[]): ApplicationSummary[] {
    const byApp = new Map<string, PlanResourceLike[]>();
    for (const r of resources) {
        const app = r.owner?.application;
        if (app) byApp.get(app)?.push(r) ?? byApp.set(app, [r]);
    }
    return [...byApp].map(([name, rs]) => {
        const envs = new Map<string, PlanResourceLike[]>();
        for (const r of rs) {
            const env = r.owner?.environment;
            if (env) envs.get(env)?.push(r) ?? envs.set(env, [r]);
        }
        const shared = rs.filter((r) => !r.owner?.environment);
        return {
            name,
            environments: [...envs].map(([env, ers]) => environmentSummary(name, env, ers)),
            database: databaseSummary(shared),
            cache: cacheSummary(shared),
            fileSystem: fileSystemSummary(shared),
            resources: rs.length,
        };
    });
}

/** Top-level parts of the program that belong to no application (network, HPC, …) with their sizes. */
export function outsideApplications(resources: PlanResourceLike[]): { type: string; name: string; resources: number }[] {
    const root = resources.find((r) => !r.parent);
    const top = new Map<string, { type: string; name: string; resources: number }>();
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const r of resources) {
        if (r.owner?.application || r === root || r.type.startsWith("pulumi:providers:")) continue;
        let t = r;
        while (t.parent && t.parent !== root?.urn && byUrn.has(t.parent)) t = byUrn.get(t.parent)!;
        if (t.owner?.application) continue;
        const entry = top.get(t.urn) ?? { type: t.type, name: t.name, resources: 0 };
        entry.resources++;
        top.set(t.urn, entry);
    }
    return [...top.values()];
}

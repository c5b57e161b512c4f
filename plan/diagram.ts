import { ownersOf } from "./ownership";
import { PlanIndex, PlanResourceLike, arr, bool, listOf, num, obj, str } from "./references";

/**
 * A Mermaid flowchart of a plan: one subgraph per application (its environments nested, resources of
 * another region in a region subgraph), shared infrastructure grouped by its top-level component, and
 * arrows for what reaches what — security-group chaining with ports (a rule whose source is another
 * group), the internet where a rule admits it, queues feeding workers, Aurora Global replication,
 * placement groups. Repeated children (cluster instances, read replicas, mount targets) are folded
 * into their parent's label. Generic: it knows AWS resource types, never a component by name. Pure
 * and linear in the plan's size.
 */

interface Node {
    id: string;
    res: PlanResourceLike;
    label: string;
    shape: "box" | "db" | "stadium";
    group: string;
}

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    instance: "aws:ec2/instance:Instance",
    queue: "aws:sqs/queue:Queue",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    global: "aws:rds/globalCluster:GlobalCluster",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    efs: "aws:efs/fileSystem:FileSystem",
    batch: "aws:batch/computeEnvironment:ComputeEnvironment",
    placement: "aws:ec2/placementGroup:PlacementGroup",
};

const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "awsx:lb:ApplicationLoadBalancer", "awsx:lb:NetworkLoadBalancer"];
const VPC_TYPES = ["awsx:ec2:Vpc", "aws:ec2/vpc:Vpc"];
const CACHE_TYPES = ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster", "aws:memorydb/cluster:Cluster"];
const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";

/** Mermaid label text: one line, entities for the characters the syntax reserves. */
export function escapeLabel(s: string): string {
    return s
        .replace(/[\r\n]+/g, " ")
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;");
}

const lastSegment = (s: string) => s.split("-").pop() ?? s;

/** Whether a reference input is set: a value, or an unknown value the SDK still recorded a dependency for. */
const refers = (r: PlanResourceLike, prop: string) => r.inputs[prop] !== undefined || (r.propertyDependencies[prop]?.length ?? 0) > 0;

function ports(protocol: string | undefined, from: number | undefined, to: number | undefined): string {
    const p = (protocol ?? "-1").toLowerCase();
    if (p === "-1" || p === "all") return "all traffic";
    if (from === undefined) return p;
    const end = to ?? from;
    if (from === 0 && (end === 0 || end === 65535)) return `${p}/all`;
    return from === end ? `${p}/${from}` : `${p}/${from}-${end}`;
}

export function renderMermaid(plan: { region?: string | null; stack?: string; resources: PlanResourceLike[] }): string {
    const region = plan.region ?? plan.resources.find((r) => r.provider?.region)?.provider?.region ?? null;
    const resources = plan.resources.filter((r) => r.operation !== "read");
    const ix = new PlanIndex(resources, region);
    const owners = ownersOf(resources);
    const byUrn = new Map<string, Node>();
    const nodes: Node[] = [];

    // Folded children.
    const instancesOf = new Map<string, PlanResourceLike[]>();
    for (const ci of ix.ofType(T.clusterInstance)) {
        const [cluster] = ix.resolve(ci, "clusterIdentifier", [ci.inputs.clusterIdentifier], (r) => r.type === T.cluster);
        if (cluster) instancesOf.set(cluster.urn, [...(instancesOf.get(cluster.urn) ?? []), ci]);
    }
    const replicasOf = new Map<string, PlanResourceLike[]>();
    const sourceOf = new Map<string, string>();
    for (const db of ix.ofType(T.rdsInstance)) {
        if (!refers(db, "replicateSourceDb")) continue;
        const [src] = ix.resolve(db, "replicateSourceDb", [db.inputs.replicateSourceDb], (r) => r.type === T.rdsInstance);
        if (src && src.urn !== db.urn) {
            replicasOf.set(src.urn, [...(replicasOf.get(src.urn) ?? []), db]);
            sourceOf.set(db.urn, src.urn);
        }
    }
    const folded = new Set([...[...replicasOf.values()].flat()].map((r) => r.urn));
    const mountTargetsOf = new Map<string, number>();
    for (const mt of ix.ofType(T.mountTarget)) {
        const [fs] = ix.resolve(mt, "fileSystemId", [mt.inputs.fileSystemId], (r) => r.type === T.efs);
        if (fs) mountTargetsOf.set(fs.urn, (mountTargetsOf.get(fs.urn) ?? 0) + 1);
    }
    const ltType = new Map<string, string>();
    const asgOfLt = new Map<string, PlanResourceLike[]>();
    for (const asg of ix.ofType(T.asg)) {
        const spec = asg.inputs.launchTemplate !== undefined ? obj(asg.inputs.launchTemplate) : obj(obj(obj(asg.inputs.mixedInstancesPolicy).launchTemplate).launchTemplateSpecification);
        const prop = asg.inputs.launchTemplate !== undefined ? "launchTemplate" : "mixedInstancesPolicy";
        const refs = [spec.id, spec.launchTemplateId, spec.name, spec.launchTemplateName].filter((v) => v !== undefined);
        for (const lt of ix.resolve(asg, prop, refs, (r) => r.type === T.lt)) {
            asgOfLt.set(lt.urn, [...(asgOfLt.get(lt.urn) ?? []), asg]);
            ltType.set(asg.urn, str(lt.inputs.instanceType) ?? "");
        }
    }

    const describe = (r: PlanResourceLike): Pick<Node, "label" | "shape"> | undefined => {
        const p = r.inputs;
        if (LB_TYPES.includes(r.type)) {
            const kind = r.type.includes("Network") || p.loadBalancerType === "network" ? "NLB" : p.loadBalancerType === "gateway" ? "GWLB" : "ALB";
            return { label: `${kind} ${r.name}${bool(p.internal) === true ? " (internal)" : ""}`, shape: "box" };
        }
        if (r.type === T.asg) {
            const n = num(p.desiredCapacity) ?? num(p.minSize) ?? 0;
            const max = num(p.maxSize);
            const type = ltType.get(r.urn);
            return { label: `Auto Scaling ${r.name} · ${n}${max !== undefined && max !== n ? `–${max}` : ""} × ${type || "?"}`, shape: "box" };
        }
        if (r.type === T.instance) return { label: `EC2 ${r.name} · ${str(p.instanceType) ?? "?"}`, shape: "box" };
        if (r.type === T.queue) return { label: `SQS ${r.name}${str(p.fifoQueue) === "true" || p.fifoQueue === true ? " (FIFO)" : ""}`, shape: "stadium" };
        if (r.type === T.cluster) {
            const members = instancesOf.get(r.urn) ?? [];
            const classes = [...new Set(members.map((m) => str(m.inputs.instanceClass) ?? "?"))].join("/");
            return { label: `${str(p.engine) ?? "Aurora"} cluster ${r.name}${members.length ? ` · ${members.length} × ${classes}` : ""}`, shape: "db" };
        }
        if (r.type === T.global) return { label: `Aurora Global ${r.name}`, shape: "db" };
        if (r.type === T.rdsInstance && !folded.has(r.urn)) {
            const replicas = replicasOf.get(r.urn)?.length ?? 0;
            const multi = bool(p.multiAz) === true ? " Multi-AZ" : "";
            return { label: `RDS ${str(p.engine) ?? ""} ${r.name} · ${str(p.instanceClass) ?? "?"}${multi}${replicas ? ` + ${replicas} read replica${replicas === 1 ? "" : "s"}` : ""}`.replace(/ {2,}/g, " "), shape: "db" };
        }
        if (CACHE_TYPES.includes(r.type)) {
            const n = num(p.numCacheClusters) ?? num(p.numCacheNodes) ?? (num(p.numNodeGroups) ?? 1) * (1 + (num(p.replicasPerNodeGroup) ?? 0));
            return { label: `${str(p.engine) ?? "cache"} ${r.name} · ${n} × ${str(p.nodeType) ?? "?"}`, shape: "db" };
        }
        if (r.type === T.efs) return { label: `EFS ${r.name}${mountTargetsOf.get(r.urn) ? ` · ${mountTargetsOf.get(r.urn)} mount targets` : ""}`, shape: "db" };
        if (r.type === LUSTRE) return { label: `FSx Lustre ${r.name} · ${num(p.storageCapacity) ?? "?"} GiB ${str(p.deploymentType) ?? ""}`.trim(), shape: "db" };
        if (r.type === T.placement) return { label: `placement group ${r.name} (${str(p.strategy) ?? "?"})`, shape: "stadium" };
        if (r.type === T.batch) {
            const cr = obj(p.computeResources);
            return { label: `Batch ${r.name} · ${arr(cr.instanceTypes).map(String).join(", ") || "?"} · ${num(cr.minVcpus) ?? 0}–${num(cr.maxVcpus) ?? "?"} vCPUs`, shape: "box" };
        }
        if (VPC_TYPES.includes(r.type)) {
            const zones = arr(p.availabilityZoneNames).map(String);
            const azs = zones.length ? `${zones.length} AZs: ${zones.map(lastSegment).join(", ")}` : `${num(p.numberOfAvailabilityZones) ?? 3} AZs`;
            const nat = str(obj(p.natGateways).strategy);
            return { label: `VPC ${r.name} · ${str(p.cidrBlock) ?? ""} · ${azs}${nat ? ` · NAT ${nat}` : ""}`.replace(/ · {2}/g, " · "), shape: "box" };
        }
        return undefined;
    };

    // Groups: application → environment / other region; shared resources by top-level component.
    interface Group {
        id: string;
        label: string;
        parent?: string;
        nodes: Node[];
        children: string[];
    }
    const groups = new Map<string, Group>();
    const groupFor = (key: string, label: string, parent?: string): string => {
        if (!groups.has(key)) {
            groups.set(key, { id: `g${groups.size + 1}`, label, parent, nodes: [], children: [] });
            if (parent) groups.get(parent)!.children.push(key);
        }
        return key;
    };
    for (const app of [...new Set([...owners.values()].map((o) => o.application!))].sort()) groupFor(`app|${app}`, `application ${app}`);
    for (const r of resources) {
        const d = describe(r);
        if (!d) continue;
        const app = owners.get(r.urn)?.application;
        const resRegion = ix.regionOf(r);
        let key: string;
        if (app) {
            key = `app|${app}`;
            const env = owners.get(r.urn)?.environment;
            if (env) key = groupFor(`${key}|env|${env}`, `environment ${env}`, key);
        } else {
            const top = ix.topAncestor(r);
            key = groupFor(`top|${top.urn}`, top === r ? "stack" : `${top.name} (${top.type})`);
        }
        if (resRegion && region && resRegion !== region) key = groupFor(`${key}|region|${resRegion}`, `region ${resRegion}`, key);
        const node: Node = { id: `n${nodes.length + 1}`, res: r, group: key, ...d };
        nodes.push(node);
        byUrn.set(r.urn, node);
        groups.get(key)!.nodes.push(node);
    }

    // Edges, merged per (from, to, style).
    const edges = new Map<string, { from: string; to: string; dotted: boolean; labels: Set<string> }>();
    const edge = (from: string, to: string, label: string, dotted = false) => {
        if (from === to) return;
        const k = `${from}|${to}|${dotted}`;
        const e = edges.get(k) ?? { from, to, dotted, labels: new Set<string>() };
        if (label) e.labels.add(label);
        edges.set(k, e);
    };
    let internet = false;

    // Security-group users, mapped to nodes (launch templates to their groups, mount targets to their file system).
    const isSg = (r: PlanResourceLike) => r.type === T.sg;
    const usersOf = new Map<string, Set<string>>();
    const use = (sg: PlanResourceLike, node: Node | undefined) => {
        if (!node) return;
        const set = usersOf.get(sg.urn) ?? new Set<string>();
        set.add(node.id);
        usersOf.set(sg.urn, set);
    };
    const SG_PROPS: [string, (p: Record<string, unknown>) => unknown[]][] = [
        ["securityGroups", (p) => listOf(p.securityGroups)],
        ["vpcSecurityGroupIds", (p) => listOf(p.vpcSecurityGroupIds)],
        ["securityGroupIds", (p) => listOf(p.securityGroupIds)],
        ["networkInterfaces", (p) => arr(p.networkInterfaces).flatMap((n) => listOf(obj(n).securityGroups))],
        ["computeResources", (p) => listOf(obj(p.computeResources).securityGroupIds)],
    ];
    for (const r of resources) {
        if (r.type === T.sg) continue;
        const targets: (Node | undefined)[] =
            r.type === T.lt
                ? (asgOfLt.get(r.urn) ?? []).map((a) => byUrn.get(a.urn))
                : r.type === T.mountTarget
                  ? ix.resolve(r, "fileSystemId", [r.inputs.fileSystemId], (x) => x.type === T.efs).map((f) => byUrn.get(f.urn))
                  : r.type === T.clusterInstance
                    ? []
                    : [byUrn.get(sourceOf.get(r.urn) ?? r.urn)];
        if (targets.every((t) => !t)) continue;
        for (const [prop, values] of SG_PROPS) {
            const v = values(r.inputs);
            if (v.length === 0) continue;
            for (const sg of ix.resolve(r, prop, v, isSg)) for (const t of targets) use(sg, t);
        }
    }
    const WORLD = new Set(["0.0.0.0/0", "::/0"]);
    const admit = (target: PlanResourceLike[], sources: PlanResourceLike[], cidrs: string[], label: string) => {
        for (const g of target) {
            const into = usersOf.get(g.urn);
            if (!into) continue;
            for (const s of sources) {
                if (s.urn === g.urn) continue;
                for (const from of usersOf.get(s.urn) ?? []) for (const to of into) edge(from, to, label);
            }
            if (cidrs.some((c) => WORLD.has(c))) {
                internet = true;
                for (const to of into) edge("internet", to, label);
            }
        }
    };
    for (const g of ix.ofType(T.sg)) {
        for (const e of arr(g.inputs.ingress).map(obj)) {
            const sources = ix.resolve(g, "ingress", listOf(e.securityGroups), isSg);
            admit([g], listOf(e.securityGroups).length ? sources : [], listOf(e.cidrBlocks).concat(listOf(e.ipv6CidrBlocks)).map(String), ports(str(e.protocol), num(e.fromPort), num(e.toPort)));
        }
    }
    for (const r of ix.ofType(T.sgRule)) {
        if (r.inputs.type === "egress") continue;
        const target = ix.resolve(r, "securityGroupId", [r.inputs.securityGroupId], isSg);
        const sources = refers(r, "sourceSecurityGroupId") ? ix.resolve(r, "sourceSecurityGroupId", [r.inputs.sourceSecurityGroupId], isSg) : [];
        admit(target, sources, listOf(r.inputs.cidrBlocks).concat(listOf(r.inputs.ipv6CidrBlocks)).map(String), ports(str(r.inputs.protocol), num(r.inputs.fromPort), num(r.inputs.toPort)));
    }
    for (const r of ix.ofType(T.ingress)) {
        const target = ix.resolve(r, "securityGroupId", [r.inputs.securityGroupId], isSg);
        const sources = refers(r, "referencedSecurityGroupId") ? ix.resolve(r, "referencedSecurityGroupId", [r.inputs.referencedSecurityGroupId], isSg) : [];
        const cidrs = [str(r.inputs.cidrIpv4), str(r.inputs.cidrIpv6)].filter((c): c is string => c !== undefined);
        admit(target, sources, cidrs, ports(str(r.inputs.ipProtocol), num(r.inputs.fromPort), num(r.inputs.toPort)));
    }

    // Queues: dead-letter queues, and work for the compute of the same environment.
    const dlqs = new Set<string>();
    for (const q of ix.ofType(T.queue)) {
        const arnMatch = /"deadLetterTargetArn"\s*:\s*"([^"]+)"/.exec(str(q.inputs.redrivePolicy) ?? "");
        for (const dlq of ix.resolve(q, "redrivePolicy", arnMatch ? [arnMatch[1]] : [], (r) => r.type === T.queue)) {
            dlqs.add(dlq.urn);
            const a = byUrn.get(q.urn);
            const b = byUrn.get(dlq.urn);
            if (a && b) edge(a.id, b.id, "dead letters", true);
        }
    }
    for (const q of ix.ofType(T.queue)) {
        const qn = byUrn.get(q.urn);
        if (!qn || dlqs.has(q.urn) || !qn.group.includes("|env|")) continue;
        for (const n of groups.get(qn.group)!.nodes) if (n.res.type === T.asg || n.res.type === T.instance) edge(qn.id, n.id, "messages", true);
    }
    // Aurora Global: the global cluster replicates to its member clusters.
    for (const c of ix.ofType(T.cluster)) {
        if (!refers(c, "globalClusterIdentifier")) continue;
        for (const gc of ix.resolve(c, "globalClusterIdentifier", [c.inputs.globalClusterIdentifier], (r) => r.type === T.global)) {
            const a = byUrn.get(gc.urn);
            const b = byUrn.get(c.urn);
            if (a && b) edge(a.id, b.id, ix.regionOf(c) ?? "", true);
        }
    }
    // Placement groups.
    for (const r of [...ix.ofType(T.asg), ...ix.ofType(T.instance)]) {
        if (!refers(r, "placementGroup")) continue;
        for (const pg of ix.resolve(r, "placementGroup", [r.inputs.placementGroup], (x) => x.type === T.placement)) {
            const a = byUrn.get(r.urn);
            const b = byUrn.get(pg.urn);
            if (a && b) edge(a.id, b.id, "placed in", true);
        }
    }
    for (const b of ix.ofType(T.batch)) {
        const cr = obj(b.inputs.computeResources);
        if (cr.placementGroup === undefined) continue;
        for (const pg of ix.resolve(b, "computeResources", [cr.placementGroup], (x) => x.type === T.placement)) {
            const a = byUrn.get(b.urn);
            const n = byUrn.get(pg.urn);
            if (a && n) edge(a.id, n.id, "placed in", true);
        }
    }

    // Render.
    const out: string[] = [`flowchart LR`];
    if (internet) out.push(`  internet(("Internet"))`);
    const shape = (n: Node) => {
        const l = escapeLabel(n.label);
        return n.shape === "db" ? `${n.id}[("${l}")]` : n.shape === "stadium" ? `${n.id}(["${l}"])` : `${n.id}["${l}"]`;
    };
    const emit = (key: string, depth: number) => {
        const g = groups.get(key)!;
        const pad = "  ".repeat(depth);
        out.push(`${pad}subgraph ${g.id}["${escapeLabel(g.label)}"]`);
        for (const n of g.nodes) out.push(`${pad}  ${shape(n)}`);
        for (const child of g.children) emit(child, depth + 1);
        out.push(`${pad}end`);
    };
    for (const [key, g] of groups) if (!g.parent && (g.nodes.length > 0 || g.children.length > 0 || key.startsWith("app|"))) emit(key, 1);
    for (const e of edges.values()) {
        const label = [...e.labels].sort().join(", ");
        const arrow = e.dotted ? "-.->" : "-->";
        out.push(`  ${e.from} ${arrow}${label ? `|"${escapeLabel(label)}"|` : ""} ${e.to}`);
    }
    return `${out.join("\n")}\n`;
}

/** The diagram as a fenced block for markdown (GitHub renders ```mermaid natively). */
export function mermaidBlock(source: string): string {
    return `\`\`\`mermaid\n${source.endsWith("\n") ? source : `${source}\n`}\`\`\``;
}

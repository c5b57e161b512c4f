import { Res, StackIndex, listOf } from "./stack";
import { EXPOSURE_TAG, T, isLoadBalancer } from "./types";
import { arr, bool, num, obj, Props, str, tagsOf } from "./values";

/**
 * The security-group graph of a stack: every group, every rule in its three shapes (inline
 * `ingress[]`/`egress[]`, `aws.ec2.SecurityGroupRule`, `aws.vpc.SecurityGroup{Ingress,Egress}Rule`)
 * and every resource that uses a group, with the role that use implies. Built once, linearly.
 */

export type Role = "lb-internet" | "lb-internal" | "instance" | "database" | "cache" | "efs" | "lustre" | "other";
export const DATA_ROLES: Role[] = ["database", "cache", "efs", "lustre"];

export interface Group {
    /** URN of the group resource, or `id:<value>` for a group the program did not create. */
    key: string;
    res?: Res;
    name: string;
    tags: Record<string, string>;
    ingress: Rule[];
    egress: Rule[];
    users: { res: Res; role: Role }[];
}

export type Source =
    | { kind: "group"; groups: Group[]; self: boolean }
    | { kind: "cidr"; cidr: string }
    | { kind: "prefixList"; id: string }
    | { kind: "unknown" };

export interface Rule {
    group: Group;
    direction: "ingress" | "egress";
    source: Source;
    protocol: string;
    from: number | undefined;
    to: number | undefined;
    /** The resource that defines the rule (the group for inline rules). */
    definedBy: Res;
    /** Where it is written, for messages: `ingress[0] of group 'x'` or `rule 'y'`. */
    where: string;
}

export const WORLD_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

export const isWorld = (s: Source): boolean => s.kind === "cidr" && WORLD_CIDRS.has(s.cidr);

/** Whether a rule admits `port` for TCP (all traffic included). */
export function coversPort(rule: Pick<Rule, "protocol" | "from" | "to">, port: number): boolean {
    const p = rule.protocol.toLowerCase();
    if (p === "-1" || p === "all") return true;
    if (p !== "tcp" && p !== "6") return false;
    if (rule.from === undefined) return false;
    const to = rule.to ?? rule.from;
    // ec2 rules write all ports of a protocol as 0-0 or 0-65535.
    if (rule.from === 0 && to === 0) return true;
    return rule.from <= port && port <= to;
}

export function isAllTraffic(rule: Pick<Rule, "protocol">): boolean {
    const p = rule.protocol.toLowerCase();
    return p === "-1" || p === "all";
}

export function describeRulePorts(rule: Pick<Rule, "protocol" | "from" | "to">): string {
    if (isAllTraffic(rule)) return "all traffic";
    const to = rule.to ?? rule.from;
    return rule.from === to ? `${rule.protocol}/${rule.from}` : `${rule.protocol}/${rule.from}-${to}`;
}

export function describeSource(s: Source): string {
    switch (s.kind) {
        case "cidr":
            return s.cidr;
        case "prefixList":
            return `prefix list ${s.id}`;
        case "group":
            return s.self ? "itself" : `group ${s.groups.map((g) => `'${g.name}'`).join(" or ") || "(not in this program)"}`;
        default:
            return "an unknown source";
    }
}

/** Which properties of which types put resources in security groups, and the role it implies. */
const USES: { type: string; role: (p: Props) => Role; props: (p: Props) => { prop: string; values: unknown[] }[] }[] = [
    ...["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", T.awsxAlb, T.awsxNlb].map((type) => ({
        type,
        role: (p: Props): Role => (bool(p.internal) === true ? "lb-internal" : "lb-internet"),
        props: (p: Props) => [
            { prop: "securityGroups", values: listOf(p.securityGroups) },
            { prop: "defaultSecurityGroup", values: obj(p.defaultSecurityGroup).securityGroupId !== undefined ? [obj(p.defaultSecurityGroup).securityGroupId] : [] },
        ],
    })),
    {
        type: T.launchTemplate,
        role: () => "instance",
        props: (p) => [
            { prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) },
            { prop: "securityGroupNames", values: listOf(p.securityGroupNames) },
            { prop: "networkInterfaces", values: arr(p.networkInterfaces).flatMap((n) => listOf(obj(n).securityGroups)) },
        ],
    },
    {
        type: T.instance,
        role: () => "instance",
        props: (p) => [
            { prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) },
            { prop: "securityGroups", values: listOf(p.securityGroups) },
        ],
    },
    { type: T.networkInterface, role: () => "instance", props: (p) => [{ prop: "securityGroups", values: listOf(p.securityGroups) }] },
    { type: T.ecsService, role: () => "instance", props: (p) => [{ prop: "networkConfiguration", values: listOf(obj(p.networkConfiguration).securityGroups) }] },
    { type: T.awsxFargateService, role: () => "instance", props: (p) => [{ prop: "networkConfiguration", values: listOf(obj(p.networkConfiguration).securityGroups) }] },
    { type: T.lambdaFunction, role: () => "instance", props: (p) => [{ prop: "vpcConfig", values: listOf(obj(p.vpcConfig).securityGroupIds) }] },
    { type: T.rdsCluster, role: () => "database", props: (p) => [{ prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) }] },
    { type: T.rdsInstance, role: () => "database", props: (p) => [{ prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) }] },
    { type: "aws:docdb/cluster:Cluster", role: () => "database", props: (p) => [{ prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) }] },
    { type: "aws:neptune/cluster:Cluster", role: () => "database", props: (p) => [{ prop: "vpcSecurityGroupIds", values: listOf(p.vpcSecurityGroupIds) }] },
    { type: T.cacheReplicationGroup, role: () => "cache", props: (p) => [{ prop: "securityGroupIds", values: listOf(p.securityGroupIds) }] },
    { type: T.cacheCluster, role: () => "cache", props: (p) => [{ prop: "securityGroupIds", values: listOf(p.securityGroupIds) }] },
    { type: "aws:memorydb/cluster:Cluster", role: () => "cache", props: (p) => [{ prop: "securityGroupIds", values: listOf(p.securityGroupIds) }] },
    { type: T.efsMountTarget, role: () => "efs", props: (p) => [{ prop: "securityGroups", values: listOf(p.securityGroups) }] },
    { type: T.lustre, role: () => "lustre", props: (p) => [{ prop: "securityGroupIds", values: listOf(p.securityGroupIds) }] },
    { type: T.vpcEndpoint, role: () => "other", props: (p) => [{ prop: "securityGroupIds", values: listOf(p.securityGroupIds) }] },
];

const graphs = new WeakMap<StackIndex, GroupGraph>();

export class GroupGraph {
    /** The graph of an index, built once per index (see `StackIndex.of`). */
    static of(ix: StackIndex): GroupGraph {
        let g = graphs.get(ix);
        if (!g) {
            g = new GroupGraph(ix);
            graphs.set(ix, g);
        }
        return g;
    }

    readonly groups = new Map<string, Group>();
    readonly rules: Rule[] = [];
    /** Groups a resource uses, by its URN. */
    readonly groupsOf = new Map<string, Group[]>();

    constructor(readonly ix: StackIndex) {
        for (const g of ix.ofType(T.securityGroup)) {
            this.groups.set(g.urn, { key: g.urn, res: g, name: g.name, tags: tagsOf(g.props), ingress: [], egress: [], users: [] });
        }
        const isGroup = (r: Res) => r.type === T.securityGroup;
        const resolveGroups = (from: Res, prop: string, values: unknown[]): Group[] => {
            const { found, unresolved } = ix.resolve(from, prop, values, isGroup);
            return [...found.map((r) => this.groups.get(r.urn)!), ...unresolved.map((id) => this.external(id))];
        };
        const addRule = (rule: Rule) => {
            this.rules.push(rule);
            (rule.direction === "ingress" ? rule.group.ingress : rule.group.egress).push(rule);
        };
        const sources = (entry: Props, self: Group, from: Res, depProp: string): Source[] => {
            const out: Source[] = [];
            for (const c of listOf(entry.cidrBlocks)) out.push(str(c) ? { kind: "cidr", cidr: String(c) } : { kind: "unknown" });
            for (const c of listOf(entry.ipv6CidrBlocks)) out.push(str(c) ? { kind: "cidr", cidr: String(c) } : { kind: "unknown" });
            for (const c of listOf(entry.prefixListIds)) out.push({ kind: "prefixList", id: str(c) ?? "(unknown)" });
            if (bool(entry.self) === true) out.push({ kind: "group", groups: [self], self: true });
            const refs = listOf(entry.securityGroups);
            if (refs.length > 0) {
                const groups = resolveGroups(from, depProp, refs).filter((g) => g !== self);
                out.push({ kind: "group", groups, self: false });
            }
            return out;
        };

        // Inline rules.
        for (const group of [...this.groups.values()]) {
            const g = group.res!;
            for (const direction of ["ingress", "egress"] as const) {
                arr(g.props[direction]).forEach((e, i) => {
                    const entry = obj(e);
                    for (const source of sources(entry, group, g, direction)) {
                        addRule({
                            group,
                            direction,
                            source,
                            protocol: String(str(entry.protocol) ?? "-1"),
                            from: num(entry.fromPort),
                            to: num(entry.toPort),
                            definedBy: g,
                            where: `${direction}[${i}] of group '${g.name}'`,
                        });
                    }
                });
            }
        }
        // aws.ec2.SecurityGroupRule.
        for (const r of ix.ofType(T.securityGroupRule)) {
            const p = r.props;
            const [group] = resolveGroups(r, "securityGroupId", [p.securityGroupId]);
            if (!group) continue;
            const direction = p.type === "egress" ? "egress" : "ingress";
            const entry: Props = { ...p, securityGroups: p.sourceSecurityGroupId !== undefined ? [p.sourceSecurityGroupId] : [] };
            const list = sources(entry, group, r, "sourceSecurityGroupId");
            for (const source of list.length > 0 ? list : [{ kind: "unknown" } as Source]) {
                addRule({ group, direction, source, protocol: String(str(p.protocol) ?? "-1"), from: num(p.fromPort), to: num(p.toPort), definedBy: r, where: `rule '${r.name}'` });
            }
        }
        // aws.vpc.SecurityGroupIngressRule / EgressRule.
        for (const r of ix.ofType(T.ingressRule, T.egressRule)) {
            const p = r.props;
            const [group] = resolveGroups(r, "securityGroupId", [p.securityGroupId]);
            if (!group) continue;
            const direction = r.type === T.egressRule ? "egress" : "ingress";
            let source: Source = { kind: "unknown" };
            if (p.referencedSecurityGroupId !== undefined) {
                const groups = resolveGroups(r, "referencedSecurityGroupId", [p.referencedSecurityGroupId]);
                const self = groups.length === 1 && groups[0] === group;
                source = { kind: "group", groups, self };
            } else if (p.cidrIpv4 !== undefined || p.cidrIpv6 !== undefined) {
                const cidr = str(p.cidrIpv4) ?? str(p.cidrIpv6);
                source = cidr ? { kind: "cidr", cidr } : { kind: "unknown" };
            } else if (p.prefixListId !== undefined) {
                source = { kind: "prefixList", id: str(p.prefixListId) ?? "(unknown)" };
            }
            addRule({ group, direction, source, protocol: String(str(p.ipProtocol) ?? "-1"), from: num(p.fromPort), to: num(p.toPort), definedBy: r, where: `rule '${r.name}'` });
        }
        // Users.
        for (const use of USES) {
            for (const r of ix.ofType(use.type)) {
                const role = use.role(r.props);
                const mine: Group[] = [];
                for (const { prop, values } of use.props(r.props)) {
                    if (values.length === 0) continue;
                    for (const g of resolveGroups(r, prop, values)) {
                        if (!mine.includes(g)) mine.push(g);
                    }
                }
                for (const g of mine) g.users.push({ res: r, role });
                this.groupsOf.set(r.urn, mine);
            }
        }
    }

    /** A group the program references but did not create (an existing id, a `.get()` read). */
    private external(id: string): Group {
        const key = `id:${id}`;
        let g = this.groups.get(key);
        if (!g) {
            g = { key, name: id, tags: {}, ingress: [], egress: [], users: [] };
            this.groups.set(key, g);
        }
        return g;
    }

    roles(g: Group): Set<Role> {
        return new Set(g.users.map((u) => u.role));
    }

    /** Whether members of `g` may be reached from the internet by design: the tag `platform:exposure: internet`. */
    static internetExposed(g: Group): boolean {
        return g.tags[EXPOSURE_TAG] === "internet";
    }
}

export const isLb = isLoadBalancer;

import { coversWorld } from "./cidrs";
import { Res, StackIndex, listOf } from "./stack";
import { EXPOSURE_TAG, T } from "./types";
import { bool, isUnknown, num, obj, Props, str, tagsOf, UNKNOWN } from "./values";
import { roleOf, Role, isSecurityGroupType, DATA_ROLES, tierOf, Tier } from "./roles";

export { Role, DATA_ROLES, Tier };

/**
 * The security-group graph of a stack: every group (default groups included), every rule in its
 * three shapes (inline `ingress[]`/`egress[]`, `aws.ec2.SecurityGroupRule`,
 * `aws.vpc.SecurityGroup{Ingress,Egress}Rule`), sources as ranges (CIDR sets, prefix lists read
 * from the entries the program creates), and every resource that carries a group, whatever its type:
 * users are found by the inputs that hold group ids, not from a list of types. Built once, linearly.
 */

export interface Group {
    /** URN of the group resource, or `id:<value>` for a group the program did not create. */
    key: string;
    res?: Res;
    name: string;
    tags: Record<string, string>;
    /** The VPC's default group (`aws.ec2.DefaultSecurityGroup`): what any resource given no group gets. */
    isDefault: boolean;
    ingress: Rule[];
    egress: Rule[];
    users: { res: Res; role: Role }[];
}

export type Source =
    | { kind: "group"; groups: Group[]; self: boolean }
    | { kind: "cidr"; cidr: string }
    /** A CIDR block whose value is not known until the update. */
    | { kind: "cidr-unknown" }
    /** A managed prefix list: its CIDRs when the program creates it with known entries, else undefined. */
    | { kind: "prefixList"; id: string; cidrs?: string[] }
    | { kind: "unknown" };

/** Protocols normalised: `-1`/`all` → "all", `6` → "tcp", `17` → "udp", names lower-cased. */
export type Protocol = string;

export interface Rule {
    group: Group;
    direction: "ingress" | "egress";
    source: Source;
    protocol: Protocol;
    from: number | undefined;
    to: number | undefined;
    /** Whether the source is, alone or with the group's other CIDR rules on a shared port, the whole internet. */
    world: boolean;
    /** The resource that defines the rule (the group for inline rules). */
    definedBy: Res;
    /** Where it is written, for messages: `ingress[0] of group 'x'` or `rule 'y'`. */
    where: string;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

export function normalizeProtocol(v: unknown): Protocol {
    if (v === undefined || v === null || isUnknown(v)) return "all"; // unset is all traffic; unknown is judged as the worst case
    const p = String(v).trim().toLowerCase();
    return PROTOCOL_NUMBERS[p] ?? p;
}

export const isWorldCidr = (cidr: string): boolean => coversWorld([cidr]);

/** Whether a source is the whole internet on its own (a /0, or a prefix list whose entries cover it). */
export function isWorld(s: Source): boolean {
    if (s.kind === "cidr") return isWorldCidr(s.cidr);
    if (s.kind === "prefixList") return s.cidrs !== undefined && coversWorld(s.cidrs);
    return false;
}

/** Sources that are addresses rather than group references: CIDRs (known or not) and prefix lists. */
export const isAddressSource = (s: Source): boolean => s.kind === "cidr" || s.kind === "cidr-unknown" || s.kind === "prefixList";

export function isAllTraffic(rule: Pick<Rule, "protocol">): boolean {
    return rule.protocol === "all";
}

/** Whether a rule admits `port` of `protocol` (all traffic included; unknown ports count as covering it). */
export function coversPort(rule: Pick<Rule, "protocol" | "from" | "to">, port: number, protocol: "tcp" | "udp" = "tcp"): boolean {
    if (rule.protocol === "all") return true;
    if (rule.protocol !== protocol) return false;
    if (rule.from === undefined) return true;
    const from = rule.from < 0 ? 0 : rule.from;
    const to = rule.to === undefined || rule.to < 0 ? (rule.from < 0 ? 65535 : from) : rule.to;
    return from <= port && port <= to;
}

/** The [from, to] port range a rule opens for TCP/UDP (all traffic: 0-65535). */
export function portRange(rule: Pick<Rule, "protocol" | "from" | "to">): [number, number] | undefined {
    if (rule.protocol === "all") return [0, 65535];
    if (rule.from === undefined) return undefined;
    if (rule.from < 0) return [0, 65535];
    return [rule.from, rule.to === undefined || rule.to < 0 ? rule.from : rule.to];
}

export function describeRulePorts(rule: Pick<Rule, "protocol" | "from" | "to">): string {
    if (isAllTraffic(rule)) return "all traffic";
    if (rule.from === undefined) return `${rule.protocol}/(ports not known until the update)`;
    const to = rule.to ?? rule.from;
    return rule.from === to ? `${rule.protocol}/${rule.from}` : `${rule.protocol}/${rule.from}-${to}`;
}

export function describeSource(s: Source): string {
    switch (s.kind) {
        case "cidr":
            return s.cidr;
        case "cidr-unknown":
            return "a CIDR block not known until the update";
        case "prefixList":
            return s.cidrs ? `prefix list ${s.id} (${s.cidrs.join(", ")})` : `prefix list ${s.id} (entries not visible to this program)`;
        case "group":
            return s.self ? "itself" : `group ${s.groups.map((g) => `'${g.name}'`).join(" or ") || "(not in this program)"}`;
        default:
            return "an unknown source";
    }
}

/** Input keys that hold security-group ids or names, at any depth (vpcConfig.securityGroupIds, networkInterfaces[].securityGroups, ...). */
const GROUP_KEY = /^(vpc)?security_?group(s|ids?|names?)?$/i;

/** Collects the values of group-holding keys under one top-level input. */
function collectGroupRefs(v: unknown, key: string, out: unknown[], depth: number): void {
    if (depth > 6 || v === undefined || v === null) return;
    if (GROUP_KEY.test(key) && depth > 0) {
        out.push(...listOf(v));
        return;
    }
    if (Array.isArray(v)) {
        for (const e of v) collectGroupRefs(e, key, out, depth + 1);
    } else if (typeof v === "object") {
        for (const [k, e] of Object.entries(v as Props)) collectGroupRefs(e, k, out, depth + 1);
    }
}

/** The group references of a resource's inputs, per top-level input. Pure; exported for tests. */
export function groupRefsOf(props: Props): { prop: string; values: unknown[] }[] {
    const out: { prop: string; values: unknown[] }[] = [];
    for (const [prop, v] of Object.entries(props)) {
        const values: unknown[] = [];
        if (GROUP_KEY.test(prop)) values.push(...listOf(v));
        else collectGroupRefs(v, prop, values, 1);
        if (values.length > 0) out.push({ prop, values });
    }
    return out;
}

/** Types that, given no group, run in their VPC's default group (EC2 RunInstances, RDS, ElastiCache, EFS, Redshift, MQ... "if you don't specify a security group, the default security group is used"). */
const IMPLICIT_DEFAULT = new Set([
    T.instance,
    T.launchTemplate,
    T.rdsInstance,
    T.rdsCluster,
    "aws:docdb/cluster:Cluster",
    "aws:neptune/cluster:Cluster",
    T.cacheReplicationGroup,
    T.cacheCluster,
    T.efsMountTarget,
    "aws:redshift/cluster:Cluster",
    "aws:mq/broker:Broker",
]);

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
        for (const g of ix.ofType(T.securityGroup, T.defaultSecurityGroup)) {
            this.groups.set(g.urn, { key: g.urn, res: g, name: g.name, tags: tagsOf(g.props), isDefault: g.type === T.defaultSecurityGroup, ingress: [], egress: [], users: [] });
        }
        const isGroup = (r: Res) => r.type === T.securityGroup || r.type === T.defaultSecurityGroup;
        const resolveGroups = (from: Res, prop: string, values: unknown[]): Group[] => {
            const { found, unresolved } = ix.resolve(from, prop, values, isGroup);
            return [...found.map((r) => this.groups.get(r.urn)!), ...unresolved.map((id) => this.external(id))];
        };
        const prefixLists = this.prefixLists();
        const prefixSource = (from: Res, prop: string, v: unknown): Source => {
            const { found } = ix.resolve(from, prop, [v], (r) => r.type === T.prefixList);
            const list = found[0];
            if (list) return { kind: "prefixList", id: list.name, cidrs: prefixLists.get(list.urn) };
            return { kind: "prefixList", id: str(v) ?? "(not known until the update)" };
        };
        const addRule = (rule: Omit<Rule, "world">) => {
            const full: Rule = { ...rule, world: isWorld(rule.source) };
            this.rules.push(full);
            (rule.direction === "ingress" ? rule.group.ingress : rule.group.egress).push(full);
        };
        const cidrSources = (values: unknown): Source[] => listOf(values).map((c) => (str(c) ? { kind: "cidr", cidr: String(c) } : { kind: "cidr-unknown" }));
        const sources = (entry: Props, self: Group, from: Res, depProp: string, refs: unknown[]): Source[] => {
            const out: Source[] = [...cidrSources(entry.cidrBlocks), ...cidrSources(entry.ipv6CidrBlocks)];
            for (const c of listOf(entry.prefixListIds)) out.push(prefixSource(from, depProp, c));
            if (bool(entry.self) === true) out.push({ kind: "group", groups: [self], self: true });
            if (refs.length > 0) {
                const groups = resolveGroups(from, depProp, refs);
                const self2 = groups.length > 0 && groups.every((g) => g === self);
                out.push({ kind: "group", groups, self: self2 });
            }
            return out;
        };

        // Inline rules (security groups and the VPC's default group).
        for (const group of [...this.groups.values()]) {
            const g = group.res!;
            for (const direction of ["ingress", "egress"] as const) {
                listOf(g.props[direction]).forEach((e, i) => {
                    const entry = isUnknown(e) ? { cidrBlocks: UNKNOWN } : obj(e);
                    const list = sources(entry, group, g, direction, listOf(entry.securityGroups));
                    for (const source of list.length > 0 ? list : [{ kind: "unknown" } as Source]) {
                        addRule({ group, direction, source, protocol: normalizeProtocol(entry.protocol), from: num(entry.fromPort), to: num(entry.toPort), definedBy: g, where: `${direction}[${i}] of group '${g.name}'` });
                    }
                });
            }
        }
        // aws.ec2.SecurityGroupRule.
        for (const r of ix.ofType(T.securityGroupRule)) {
            const p = r.props;
            const [group] = resolveGroups(r, "securityGroupId", [p.securityGroupId]);
            if (!group) continue;
            const direction = str(p.type) === "egress" ? "egress" : "ingress";
            const refs = p.sourceSecurityGroupId !== undefined ? [p.sourceSecurityGroupId] : [];
            const list = sources(p, group, r, p.prefixListIds !== undefined ? "prefixListIds" : "sourceSecurityGroupId", refs);
            for (const source of list.length > 0 ? list : [{ kind: "unknown" } as Source]) {
                addRule({ group, direction, source, protocol: normalizeProtocol(p.protocol), from: num(p.fromPort), to: num(p.toPort), definedBy: r, where: `rule '${r.name}'` });
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
                source = { kind: "group", groups, self: groups.length > 0 && groups.every((g) => g === group) };
            } else if (p.cidrIpv4 !== undefined || p.cidrIpv6 !== undefined) {
                const cidr = str(p.cidrIpv4) ?? str(p.cidrIpv6);
                source = cidr ? { kind: "cidr", cidr } : { kind: "cidr-unknown" };
            } else if (p.prefixListId !== undefined) {
                source = prefixSource(r, "prefixListId", p.prefixListId);
            }
            addRule({ group, direction, source, protocol: normalizeProtocol(p.ipProtocol), from: num(p.fromPort), to: num(p.toPort), definedBy: r, where: `rule '${r.name}'` });
        }
        this.markWorldUnions();
        // Users: every resource whose inputs hold group ids, whatever its type.
        for (const r of ix.all) {
            if (isSecurityGroupType(r.type)) continue;
            const refs = groupRefsOf(r.props);
            if (refs.length === 0) continue;
            const role = roleOf(r.type, r.props);
            const mine: Group[] = [];
            for (const { prop, values } of refs) {
                for (const g of resolveGroups(r, prop, values)) if (!mine.includes(g)) mine.push(g);
            }
            for (const g of mine) g.users.push({ res: r, role });
            if (mine.length > 0) this.groupsOf.set(r.urn, mine);
        }
        this.implicitDefaultUsers();
    }

    /**
     * Resources created without any group get their VPC's default group: when the program manages a
     * default group (`aws.ec2.DefaultSecurityGroup`), they are its users (in every VPC it manages, as
     * a resource's VPC is not always visible from its inputs).
     */
    private implicitDefaultUsers(): void {
        const defaults = [...this.groups.values()].filter((g) => g.isDefault);
        if (defaults.length === 0) return;
        for (const r of this.ix.all) {
            if (!IMPLICIT_DEFAULT.has(r.type) || this.groupsOf.has(r.urn)) continue;
            if (r.props.launchTemplate !== undefined || r.props.networkInterfaces !== undefined) continue; // groups come from elsewhere
            const role = roleOf(r.type, r.props);
            for (const g of defaults) g.users.push({ res: r, role });
            this.groupsOf.set(r.urn, defaults);
        }
    }

    /** CIDRs of the prefix lists the program creates (inline entries and aws.ec2.ManagedPrefixListEntry); undefined when any is unknown. */
    private prefixLists(): Map<string, string[] | undefined> {
        const out = new Map<string, string[] | undefined>();
        for (const pl of this.ix.ofType(T.prefixList)) {
            const entries = pl.props.entries;
            const cidrs = listOf(entries).map((e) => str(obj(e).cidr));
            out.set(pl.urn, isUnknown(entries) || cidrs.some((c) => c === undefined) ? undefined : (cidrs as string[]));
        }
        for (const e of this.ix.ofType(T.prefixListEntry)) {
            const { found } = this.ix.resolve(e, "prefixListId", [e.props.prefixListId], (r) => r.type === T.prefixList);
            for (const pl of found) {
                const cidr = str(e.props.cidr);
                const list = out.get(pl.urn);
                out.set(pl.urn, cidr && list ? [...list, cidr] : undefined);
            }
        }
        return out;
    }

    /**
     * CIDR sets that together cover the world: per group and protocol, the address sources of every
     * ingress rule open on a shared port are united; each rule of a union that is the world is world.
     * The set of rules open on a port changes only at a rule's first port, so those are the ports tried.
     */
    private markWorldUnions(): void {
        for (const g of this.groups.values()) {
            const addr = g.ingress.filter((r) => r.source.kind === "cidr" || (r.source.kind === "prefixList" && r.source.cidrs !== undefined));
            if (addr.length < 2) continue;
            for (const protocol of ["tcp", "udp"] as const) {
                const open = addr.filter((r) => r.protocol === "all" || r.protocol === protocol);
                const starts = new Set(open.map((r) => portRange(r)?.[0] ?? 0));
                for (const port of starts) {
                    const here = open.filter((r) => coversPort(r, port, protocol));
                    const cidrs = here.flatMap((r) => (r.source.kind === "cidr" ? [r.source.cidr] : r.source.kind === "prefixList" ? r.source.cidrs ?? [] : []));
                    if (coversWorld(cidrs)) for (const r of here) r.world = true;
                }
            }
        }
    }

    /** A group the program references but did not create (an existing id, a `.get()` read). */
    private external(id: string): Group {
        const key = `id:${id}`;
        let g = this.groups.get(key);
        if (!g) {
            g = { key, name: id, tags: {}, isDefault: false, ingress: [], egress: [], users: [] };
            this.groups.set(key, g);
        }
        return g;
    }

    roles(g: Group): Set<Role> {
        return new Set(g.users.map((u) => u.role));
    }

    /** The innermost tier among a group's users: a group shared by a load balancer and an instance is an instance group. */
    tier(g: Group): Tier {
        return tierOf(this.roles(g), g.isDefault);
    }

    /** Whether members of `g` may be reached from the internet by design: the tag `platform:exposure: internet`. */
    static internetExposed(g: Group): boolean {
        return g.tags[EXPOSURE_TAG] === "internet";
    }
}

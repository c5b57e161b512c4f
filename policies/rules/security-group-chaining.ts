import type { StackValidationPolicy } from "@pulumi/policy";
import { Exposure } from "../lib/exposure";
import { DATA_ROLES, Group, GroupGraph, Role, Rule, coversPort, describeRulePorts, describeSource, isAddressSource, portRange } from "../lib/security-groups";
import { StackIndex } from "../lib/stack";

/** Ports the internet may reach on an internet-facing load balancer by default. */
export const DEFAULT_AUTHORIZED_WORLD_PORTS = [80, 443];
/** Administration ports that only a security-group reference may reach (SSM Session Manager replaces them). */
export const ADMIN_PORTS = [22, 3389];

/** Whether a rule opens only authorised TCP ports (each port of its range authorised). */
export function onlyAuthorizedPorts(rule: Pick<Rule, "protocol" | "from" | "to">, authorized: number[]): boolean {
    if (rule.protocol !== "tcp") return false;
    const range = portRange(rule);
    if (!range || rule.from === undefined) return false;
    const [from, to] = range;
    if (to - from > 1024) return false;
    for (let port = from; port <= to; port++) if (!authorized.includes(port)) return false;
    return true;
}

/**
 * Whether a rule's source is to be judged as the whole internet: a CIDR set that covers it, or a
 * prefix list whose entries this program cannot see on a group that faces the internet (an internet
 * facing load balancer, an exposed instance) or on an administration port.
 */
export function judgedAsWorld(rule: Rule, graph: GroupGraph): boolean {
    if (rule.world) return true;
    if (rule.source.kind !== "prefixList" || rule.source.cidrs !== undefined) return false;
    const g = rule.group;
    return ADMIN_PORTS.some((p) => coversPort(rule, p)) || GroupGraph.internetExposed(g) || g.users.some((u) => u.role === "lb-internet");
}

export function usersText(g: Group): string {
    return g.users.length === 0 ? "nothing this program creates" : g.users.map((u) => `${u.res.type.split(":").pop()} '${u.res.name}' (${u.role})`).join(", ");
}

const APP_SOURCES: Role[] = ["lb-internet", "lb-internal", "lustre"];

/** Whether data-tier group `target` may admit group `source`: application tiers only, and a database its proxy. */
function dataMayAdmit(graph: GroupGraph, target: Group, source: Group): boolean {
    const sr = [...graph.roles(source)];
    if (source === target) return sr.every((r) => DATA_ROLES.includes(r));
    // Network endpoints (VPC endpoints, resolvers) sharing an application group originate nothing: they do not widen it.
    const allowed: Role[] = graph.roles(target).has("database") ? ["instance", "other", "proxy"] : ["instance", "other"];
    return sr.every((r) => allowed.includes(r));
}

/** Whether application-tier group `target` may admit group `source`: its load balancers (and HPC nodes their Lustre file system, and itself). */
function appMayAdmit(graph: GroupGraph, target: Group, source: Group): boolean {
    if (source === target) return true;
    return [...graph.roles(source)].every((r) => APP_SOURCES.includes(r));
}

/**
 * The checks of the chaining rule over a built graph. Pure; exported for tests.
 * Returns [message, urn] pairs; the urn is the resource that writes the offending rule.
 */
export function chainingViolations(graph: GroupGraph, authorized: number[]): [string, string][] {
    const out: [string, string][] = [];
    const exposure = Exposure.of(graph.ix);
    const nlb = exposure.nlbPorts(graph);
    const say = (rule: Rule, what: string, fix: string) => out.push([`${rule.where} on group '${rule.group.name}' ${what}. Fix: ${fix}`, rule.definedBy.urn]);
    const forwarded = (g: Group, rule: Rule): boolean => {
        const ports = nlb.get(g.key);
        const range = portRange(rule);
        if (!ports || !range || (rule.protocol !== "tcp" && rule.protocol !== "udp") || range[1] - range[0] > 1024) return false;
        for (let p = range[0]; p <= range[1]; p++) if (!ports.some((f) => f.protocol === rule.protocol && f.port === p)) return false;
        return true;
    };
    for (const rule of graph.rules) {
        if (rule.direction !== "ingress") continue;
        const g = rule.group;
        const tier = graph.tier(g);
        const roles = graph.roles(g);
        const dataRoles = DATA_ROLES.filter((r) => roles.has(r));
        const src = describeSource(rule.source);
        const ports = describeRulePorts(rule);
        const world = judgedAsWorld(rule, graph);

        if (isAddressSource(rule.source) && !world) {
            const admin = ADMIN_PORTS.filter((p) => coversPort(rule, p));
            if (admin.length > 0) {
                // From the world, no-admin-ports-from-world reports it.
                say(rule, `admits ${admin.map((p) => (p === 22 ? "SSH (22)" : "RDP (3389)")).join(" and ")} from ${src}`, "remove it and reach instances through SSM Session Manager");
                continue;
            }
        }
        if (world) {
            const exposed = GroupGraph.internetExposed(g);
            const users = g.users;
            const lbOnly = users.length > 0 && users.every((u) => u.role === "lb-internet");
            const why = exposed ? exposure.groupMultiplicity(users.filter((u) => u.role !== "lb-internet")) : undefined;
            const singleExposed = exposed && users.length > 0 && why === undefined;
            if (lbOnly || singleExposed) {
                if (!onlyAuthorizedPorts(rule, authorized)) {
                    say(rule, `admits ${src} on ${ports}; the internet may reach only TCP ports ${authorized.join(", ")}`, `open only ports ${authorized.join(", ")} (or authorise more in the policy's authorizedWorldPorts config)`);
                }
            } else if (tier === "app" && forwarded(g, rule)) {
                // Targets of an internet-facing NLB without a security group see the clients' addresses on the forwarded ports.
            } else {
                say(
                    rule,
                    `admits ${src} on ${ports}, but the group is used by ${usersText(g)}${why ? ` (the platform:exposure tag holds for one instance only: ${why})` : ""}`,
                    "open a group to the internet only when it is used solely by internet-facing load balancers (or by one single instance, tagged platform:exposure=internet); other tiers admit their load balancer's group by reference",
                );
            }
            continue;
        }
        if (isAddressSource(rule.source)) {
            if (tier === "data") {
                say(rule, `admits ${src} on ${ports}, but it guards ${dataRoles.join(", ")}`, "data tiers (databases, caches, file systems, search, streaming, brokers) admit no CIDR whatever its value, only the application tier's group: replace the CIDR by a group reference to the client tier's group");
            } else if (tier === "default") {
                say(rule, `admits ${src} on ${ports}, but it is the VPC's default group, which every resource created without a group gets`, "leave the default group without address rules (ingress: []) and give each tier its own group");
            } else if (tier === "app" && !forwarded(g, rule)) {
                say(rule, `admits ${src} on ${ports}, but it guards application instances`, "instance groups admit only their load balancer's group (workers admit nothing): replace the CIDR by a group reference");
            }
            continue;
        }
        if (rule.source.kind !== "group") continue;
        if (tier === "data") {
            const bad = rule.source.groups.filter((s) => !dataMayAdmit(graph, g, s));
            if (bad.length > 0) {
                say(
                    rule,
                    `admits ${bad.map((b) => (b === g ? `itself, which is used by ${usersText(b)}, so each of those tiers` : `group '${b.name}' (used by ${usersText(b)})`)).join(", ")} on ${ports} into ${dataRoles.join(", ")}`,
                    "data tiers admit only application-tier groups (a database may also admit the proxy in front of it), never a load balancer's group: give each tier its own group and chain internet → load balancer → application → data",
                );
            }
        } else if (tier === "app" && !rule.source.self) {
            const bad = rule.source.groups.filter((s) => !appMayAdmit(graph, g, s));
            if (bad.length > 0) {
                say(
                    rule,
                    `admits ${bad.map((b) => `group '${b.name}' (used by ${usersText(b)})`).join(", ")} on ${ports} into application instances`,
                    "instance groups admit only their load balancer's group (workers admit nothing, HPC nodes themselves and their Lustre file system); talk to other tiers through their load balancer or queue",
                );
            }
        }
    }
    return out;
}

/** Security-group chaining: the platform's central rule. */
export const securityGroupChaining: StackValidationPolicy = {
    name: "security-group-chaining",
    description:
        "Tiers are chained by security-group reference (internet → load balancer → application → data): only internet-facing load balancers are open to the world, on authorised ports; instances admit only their load balancer's group; data tiers admit only application groups, never a CIDR; no SSH/RDP from any CIDR.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            authorizedWorldPorts: {
                type: "array",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                default: DEFAULT_AUTHORIZED_WORLD_PORTS,
                description: "TCP ports an internet-facing load balancer may open to 0.0.0.0/0 and ::/0.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = args.getConfig<{ authorizedWorldPorts?: number[] }>();
        const authorized = Array.isArray(cfg.authorizedWorldPorts) ? cfg.authorizedWorldPorts : DEFAULT_AUTHORIZED_WORLD_PORTS;
        const graph = GroupGraph.of(StackIndex.of(args.resources));
        for (const [message, urn] of chainingViolations(graph, authorized)) {
            reportViolation(message, urn);
        }
    },
};

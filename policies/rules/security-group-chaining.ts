import type { StackValidationPolicy } from "@pulumi/policy";
import { DATA_ROLES, Group, GroupGraph, Rule, coversPort, describeRulePorts, describeSource, isAllTraffic, isWorld } from "../lib/security-groups";
import { StackIndex } from "../lib/stack";

/** Ports the internet may reach on an internet-facing load balancer by default. */
export const DEFAULT_AUTHORIZED_WORLD_PORTS = [80, 443];
/** Administration ports that only a security-group reference may reach (SSM Session Manager replaces them). */
const ADMIN_PORTS = [22, 3389];

/** Whether a rule opens only authorised TCP ports (each port of its range authorised). */
export function onlyAuthorizedPorts(rule: Pick<Rule, "protocol" | "from" | "to">, authorized: number[]): boolean {
    if (isAllTraffic(rule)) return false;
    const p = rule.protocol.toLowerCase();
    if (p !== "tcp" && p !== "6") return false;
    if (rule.from === undefined) return false;
    const to = rule.to ?? rule.from;
    if (rule.from === 0 && to === 0) return false;
    if (to - rule.from > 65535) return false;
    for (let port = rule.from; port <= to; port++) if (!authorized.includes(port)) return false;
    return true;
}

function usersText(g: Group): string {
    return g.users.length === 0 ? "nothing this program creates" : g.users.map((u) => `${u.res.type.split(":").pop()} '${u.res.name}' (${u.role})`).join(", ");
}

/**
 * The checks of the chaining rule over a built graph. Pure; exported for tests.
 * Returns [message, urn] pairs.
 */
export function chainingViolations(graph: GroupGraph, authorized: number[]): [string, string][] {
    const out: [string, string][] = [];
    const say = (rule: Rule, what: string, fix: string) => out.push([`${rule.where} on group '${rule.group.name}' ${what}. Fix: ${fix}`, rule.definedBy.urn]);
    for (const rule of graph.rules) {
        if (rule.direction !== "ingress") continue;
        const g = rule.group;
        const roles = graph.roles(g);
        const dataRoles = DATA_ROLES.filter((r) => roles.has(r));
        const src = describeSource(rule.source);
        const ports = describeRulePorts(rule);

        if (rule.source.kind === "cidr" || rule.source.kind === "prefixList") {
            const admin = ADMIN_PORTS.filter((p) => coversPort(rule, p));
            if (admin.length > 0 && !isWorld(rule.source)) {
                // From the world, no-admin-ports-from-world reports it.
                say(rule, `admits ${admin.map((p) => (p === 22 ? "SSH (22)" : "RDP (3389)")).join(" and ")} from ${src}`, "remove it and reach instances through SSM Session Manager");
            }
        }
        if (isWorld(rule.source)) {
            const exposed = GroupGraph.internetExposed(g);
            const users = g.users;
            const allowedUsers = users.length > 0 && users.every((u) => u.role === "lb-internet" || (exposed && u.role === "instance"));
            if (!allowedUsers) {
                say(
                    rule,
                    `admits ${src} on ${ports}, but the group is used by ${usersText(g)}`,
                    "open a group to the internet only when it is used solely by internet-facing load balancers (or by a single-instance web environment's instance, tagged platform:exposure=internet); other tiers admit their load balancer's group by reference",
                );
            } else if (!onlyAuthorizedPorts(rule, authorized)) {
                say(rule, `admits ${src} on ${ports}; the internet may reach only TCP ports ${authorized.join(", ")}`, `open only ports ${authorized.join(", ")} (or authorise more in the policy's authorizedWorldPorts config)`);
            }
            continue;
        }
        if (rule.source.kind === "cidr" || rule.source.kind === "prefixList") {
            if (dataRoles.length > 0) {
                say(rule, `admits ${src} on ${ports}, but it guards ${dataRoles.join(", ")}`, "database, cache, EFS and Lustre groups admit only security-group references: replace the CIDR by the client tier's group");
            } else if (roles.has("instance")) {
                say(rule, `admits ${src} on ${ports}, but it guards application instances`, "instance groups admit only their load balancer's group (workers admit nothing): replace the CIDR by a group reference");
            }
            continue;
        }
        if (rule.source.kind === "group" && roles.has("instance") && !rule.source.self) {
            const bad = rule.source.groups.filter((s) => {
                const sr = graph.roles(s);
                return !(sr.has("lb-internet") || sr.has("lb-internal") || sr.has("lustre") || s === g);
            });
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
        "Tiers are chained by security-group reference: only internet-facing load balancers are open to the world, on authorised ports; instances admit only their load balancer's group; databases, caches, EFS and Lustre admit only group references; no SSH/RDP from any CIDR.",
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

import { Group, GroupGraph } from "./security-groups";
import { Res, StackIndex, groupsByLaunchTemplate, listOf } from "./stack";
import { T, isListener, isLoadBalancer, isTargetGroup, isTargetGroupAttachment } from "./types";
import { arr, bool, num, obj, str } from "./values";

/**
 * The two ways an application group may legitimately admit the internet:
 * - a single instance marked `platform:exposure: internet` (a single-instance web environment): the
 *   exemption holds only while the group's members can never be more than one instance;
 * - targets of an internet-facing Network Load Balancer that has no security group: they see the
 *   clients' own addresses, so they admit the world on exactly the ports the load balancer forwards.
 */

/** Every scalar leaf of a value (to match references nested in specifications). */
export function leaves(v: unknown, out: unknown[] = []): unknown[] {
    if (Array.isArray(v)) v.forEach((e) => leaves(e, out));
    else if (v !== null && typeof v === "object") Object.values(v).forEach((e) => leaves(e, out));
    else if (typeof v === "string") out.push(v);
    return out;
}

/** Why a launcher is not a single instance, or undefined when it is. */
export type Multiplicity = string | undefined;

export class Exposure {
    private static cache = new WeakMap<StackIndex, Exposure>();
    static of(ix: StackIndex): Exposure {
        let e = Exposure.cache.get(ix);
        if (!e) Exposure.cache.set(ix, (e = new Exposure(ix)));
        return e;
    }

    private readonly asgsByLt: Map<string, Res[]>;
    private readonly asgsByLc = new Map<string, Res[]>();
    private readonly instancesByLt = new Map<string, Res[]>();
    private readonly fleetsByLt = new Map<string, Res[]>();
    private readonly schedules = new Map<string, Res[]>();
    private nlbPortsCache?: Map<string, { protocol: "tcp" | "udp"; port: number }[]>;

    constructor(readonly ix: StackIndex) {
        this.asgsByLt = groupsByLaunchTemplate(ix);
        const push = (m: Map<string, Res[]>, k: string, v: Res) => m.set(k, [...(m.get(k) ?? []), v]);
        for (const asg of ix.ofType(T.autoScalingGroup)) {
            if (asg.props.launchConfiguration === undefined) continue;
            for (const lc of ix.resolve(asg, "launchConfiguration", [asg.props.launchConfiguration], (r) => r.type === T.launchConfiguration).found) push(this.asgsByLc, lc.urn, asg);
        }
        const isLt = (r: Res) => r.type === T.launchTemplate;
        for (const inst of ix.ofType(T.instance, T.spotInstanceRequest)) {
            const lt = obj(inst.props.launchTemplate);
            const ref = lt.id ?? lt.name;
            if (ref === undefined) continue;
            for (const t of ix.resolve(inst, "launchTemplate", [ref], isLt).found) push(this.instancesByLt, t.urn, inst);
        }
        for (const fleet of ix.ofType(T.spotFleetRequest, T.ec2Fleet)) {
            for (const prop of ["launchTemplateConfigs", "launchTemplateConfig"]) {
                if (fleet.props[prop] === undefined) continue;
                for (const t of ix.resolve(fleet, prop, leaves(fleet.props[prop]), isLt).found) push(this.fleetsByLt, t.urn, fleet);
            }
        }
        for (const s of ix.ofType(T.asgSchedule)) {
            for (const asg of ix.resolve(s, "autoscalingGroupName", [s.props.autoscalingGroupName], (r) => r.type === T.autoScalingGroup).found) push(this.schedules, asg.urn, s);
        }
    }

    /** Why an Auto Scaling group may run more than one instance (undefined: never more than one). */
    asgMultiplicity(asg: Res): Multiplicity {
        const max = num(asg.props.maxSize);
        if (max === undefined) return `Auto Scaling group '${asg.name}' has a maximum size not known until the update`;
        if (max > 1) return `Auto Scaling group '${asg.name}' may grow to ${max} instances`;
        for (const s of this.schedules.get(asg.urn) ?? []) {
            const raised = [s.props.maxSize, s.props.desiredCapacity, s.props.minSize].some((v) => v !== undefined && (num(v) === undefined || num(v)! > 1));
            if (raised) return `scheduled action '${s.name}' raises Auto Scaling group '${asg.name}' above one instance`;
        }
        return undefined;
    }

    /** Why the members of a group (its non-load-balancer users) may be more than one instance, or undefined when at most one. */
    groupMultiplicity(users: { res: Res; role: string }[]): Multiplicity {
        const launchers = users.filter((u) => u.res.type !== T.networkInterface && u.res.type !== "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment");
        for (const u of users) {
            if (u.role !== "instance") return `${u.res.type.split(":").pop()} '${u.res.name}' is ${u.role}`;
            const why = this.multiplicity(u.res);
            if (why) return why;
        }
        if (launchers.length > 1) return `${launchers.length} launchers share the group (${launchers.map((u) => `'${u.res.name}'`).join(", ")})`;
        return undefined;
    }

    /** Why a group user may be more than one instance, or undefined when it is exactly one. */
    multiplicity(user: Res): Multiplicity {
        switch (user.type) {
            case T.instance:
            case T.spotInstanceRequest:
            case T.networkInterface:
            case "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment":
                return undefined;
            case T.launchTemplate:
            case T.launchConfiguration: {
                const asgs = (user.type === T.launchTemplate ? this.asgsByLt : this.asgsByLc).get(user.urn) ?? [];
                const fleets = this.fleetsByLt.get(user.urn) ?? [];
                if (fleets.length > 0) return `fleet '${fleets[0].name}' launches it`;
                const instances = this.instancesByLt.get(user.urn) ?? [];
                if (asgs.length === 0 && instances.length === 0) return `nothing this program creates launches it, so how many instances it runs cannot be seen`;
                if (asgs.length + instances.length > 1) return `${asgs.length + instances.length} launchers use it`;
                for (const asg of asgs) {
                    const why = this.asgMultiplicity(asg);
                    if (why) return why;
                }
                return undefined;
            }
            default:
                return `${user.type.split(":").pop()} '${user.name}' is not a single instance`;
        }
    }

    /**
     * Ports an internet-facing Network Load Balancer without a security group forwards to each group's
     * members (which then see the clients' own addresses), by group key.
     */
    nlbPorts(graph: GroupGraph): Map<string, { protocol: "tcp" | "udp"; port: number }[]> {
        if (this.nlbPortsCache) return this.nlbPortsCache;
        const ix = this.ix;
        const out = new Map<string, { protocol: "tcp" | "udp"; port: number }[]>();
        this.nlbPortsCache = out;
        const nlbs = ix.all.filter((r) => isLoadBalancer(r.type) && str(r.props.loadBalancerType) === "network" && bool(r.props.internal) !== true && listOf(r.props.securityGroups).length === 0);
        if (nlbs.length === 0) return out;
        const nlbUrns = new Set(nlbs.map((n) => n.urn));
        // Target groups an open NLB forwards to.
        const tgs = new Set<string>();
        for (const l of ix.all.filter((r) => isListener(r.type))) {
            const lb = ix.resolve(l, "loadBalancerArn", [l.props.loadBalancerArn], (r) => isLoadBalancer(r.type)).found[0];
            if (!lb || !nlbUrns.has(lb.urn)) continue;
            const refs = arr(l.props.defaultActions).flatMap((a) => [obj(a).targetGroupArn, ...arr(obj(obj(a).forward).targetGroups).map((t) => obj(t).arn)]).filter((v) => v !== undefined);
            for (const tg of ix.resolve(l, "defaultActions", refs, (r) => isTargetGroup(r.type)).found) tgs.add(tg.urn);
        }
        const add = (groups: Group[] | undefined, tg: Res, port: number | undefined) => {
            const proto = (str(tg.props.protocol) ?? "TCP").toUpperCase();
            const p = port ?? num(tg.props.port);
            if (p === undefined) return;
            const protocols: ("tcp" | "udp")[] = proto === "UDP" ? ["udp"] : proto === "TCP_UDP" ? ["tcp", "udp"] : ["tcp"];
            for (const g of groups ?? []) out.set(g.key, [...(out.get(g.key) ?? []), ...protocols.map((protocol) => ({ protocol, port: p }))]);
        };
        const tgOf = (from: Res, prop: string, values: unknown[]) => ix.resolve(from, prop, values, (r) => isTargetGroup(r.type)).found.filter((t) => tgs.has(t.urn));
        const asgGroups = (asg: Res): Group[] => {
            const lts = [...this.asgsByLt.entries()].filter(([, list]) => list.includes(asg)).map(([lt]) => lt);
            const lcs = [...this.asgsByLc.entries()].filter(([, list]) => list.includes(asg)).map(([lc]) => lc);
            return [...lts, ...lcs].flatMap((u) => graph.groupsOf.get(u) ?? []);
        };
        for (const asg of ix.ofType(T.autoScalingGroup)) {
            for (const tg of tgOf(asg, "targetGroupArns", listOf(asg.props.targetGroupArns))) add(asgGroups(asg), tg, undefined);
        }
        for (const att of ix.ofType(T.asgAttachment)) {
            const asg = ix.resolve(att, "autoscalingGroupName", [att.props.autoscalingGroupName], (r) => r.type === T.autoScalingGroup).found[0];
            if (!asg) continue;
            for (const tg of tgOf(att, "lbTargetGroupArn", [att.props.lbTargetGroupArn])) add(asgGroups(asg), tg, undefined);
        }
        for (const att of ix.all.filter((r) => isTargetGroupAttachment(r.type))) {
            for (const tg of tgOf(att, "targetGroupArn", [att.props.targetGroupArn])) {
                for (const target of ix.resolve(att, "targetId", [att.props.targetId], (r) => graph.groupsOf.has(r.urn)).found) add(graph.groupsOf.get(target.urn), tg, num(att.props.port));
            }
        }
        for (const svc of ix.ofType(T.ecsService)) {
            for (const lb of arr(svc.props.loadBalancers).map(obj)) {
                for (const tg of tgOf(svc, "loadBalancers", [lb.targetGroupArn])) add(graph.groupsOf.get(svc.urn), tg, num(lb.containerPort));
            }
        }
        return out;
    }
}

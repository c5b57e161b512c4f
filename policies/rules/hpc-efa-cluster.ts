import type { StackValidationPolicy } from "@pulumi/policy";
import { leaves } from "../lib/exposure";
import { Group, GroupGraph, isAllTraffic, isWorld } from "../lib/security-groups";
import { Res, StackIndex, groupsByLaunchTemplate, listOf } from "../lib/stack";
import { T } from "../lib/types";
import { arr, obj, str } from "../lib/values";
import { zoneSpan } from "../lib/zones";

/**
 * EFA interfaces (interfaceType `efa` or `efa-only`, botocore ec2 LaunchTemplateInstanceNetworkInterfaceSpecificationRequest
 * and CreateNetworkInterfaceRequest):
 * - "The EFA must be a member of a security group that allows all inbound and outbound traffic to
 *   and from the security group itself" (EC2 user guide, create-efa);
 * - EFA is not supported across AZs (ParallelCluster efa-v3) and OS-bypass traffic stays in one subnet
 *   (EC2 user guide 2023): one subnet, one AZ;
 * - a cluster placement group, as ParallelCluster and AWS Batch require (EC2 only recommends it).
 * Judged for launch templates (whatever launches them: Auto Scaling groups, Batch compute
 * environments, instances, fleets) and for EFA network interfaces attached to plain instances.
 */
const EFA_TYPES = new Set(["efa", "efa-only"]);

/** Whether the group admits itself for all traffic and lets all traffic out to itself (or anywhere). */
export function admitsItselfFully(g: Group): boolean {
    const selfIn = g.ingress.some((r) => isAllTraffic(r) && r.source.kind === "group" && (r.source.self || r.source.groups.includes(g)));
    const selfOut = g.egress.some((r) => isAllTraffic(r) && ((r.source.kind === "group" && (r.source.self || r.source.groups.includes(g))) || isWorld(r.source)));
    return selfIn && selfOut;
}

const FIX = "Fix: see the HPC cluster guide (cluster placement group, one subnet, a self-referencing all-traffic group).";

export const hpcEfaCluster: StackValidationPolicy = {
    name: "hpc-efa-cluster",
    description: "EFA instances need a cluster placement group, a single subnet/AZ and a security group that admits itself for all traffic in and out.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const ix = StackIndex.of(args.resources);
        const graph = GroupGraph.of(ix);
        const asgsOf = groupsByLaunchTemplate(ix);
        const isPg = (r: Res) => r.type === T.placementGroup;
        /** true: a cluster placement group (or one the program names but does not create); false: another strategy; undefined: none. */
        const isClusterPg = (refFrom: Res, prop: string, value: unknown): boolean | undefined => {
            if (value === undefined) return undefined;
            const { found, unresolved } = ix.resolve(refFrom, prop, [value], isPg);
            if (found.length > 0) return found.some((pg) => str(pg.props.strategy) === "cluster");
            return unresolved.length > 0 ? true : undefined; // an existing group the program names: its strategy cannot be seen
        };
        const groupProblem = (groups: Group[]): string | undefined => {
            const external = groups.length > 0 && groups.every((g) => g.res === undefined);
            if (external || groups.some(admitsItselfFully)) return undefined;
            return `none of its groups${groups.length > 0 ? ` (${groups.map((g) => `'${g.name}'`).join(", ")})` : ""} admits itself for all traffic in and out (ingress and egress, protocol -1, referencing the group itself)`;
        };
        const isLt = (r: Res) => r.type === T.launchTemplate;

        // Launchers of each launch template besides Auto Scaling groups: Batch compute environments and instances.
        const batchOf = new Map<string, Res[]>();
        for (const ce of ix.ofType(T.batchComputeEnvironment)) {
            const lt = obj(obj(ce.props.computeResources).launchTemplate);
            const refs = [lt.launchTemplateId, lt.launchTemplateName].filter((v) => v !== undefined);
            if (refs.length === 0) continue;
            for (const t of ix.resolve(ce, "computeResources", refs, isLt).found) batchOf.set(t.urn, [...(batchOf.get(t.urn) ?? []), ce]);
        }
        const instancesOf = new Map<string, Res[]>();
        for (const inst of ix.ofType(T.instance)) {
            const lt = obj(inst.props.launchTemplate);
            const refs = [lt.id, lt.name].filter((v) => v !== undefined);
            if (refs.length === 0) continue;
            for (const t of ix.resolve(inst, "launchTemplate", refs, isLt).found) instancesOf.set(t.urn, [...(instancesOf.get(t.urn) ?? []), inst]);
        }

        for (const lt of ix.ofType(T.launchTemplate)) {
            const nics = arr(lt.props.networkInterfaces).map(obj);
            const efa = nics.filter((n) => EFA_TYPES.has(str(n.interfaceType) ?? ""));
            if (efa.length === 0) continue;
            const asgs = asgsOf.get(lt.urn) ?? [];
            const batch = batchOf.get(lt.urn) ?? [];
            const instances = instancesOf.get(lt.urn) ?? [];
            /** Each problem with the resources at fault besides the template (the launchers lacking what it needs). */
            const problems: { text: string; also: Res[] }[] = [];

            // Placement: on the template, or on every launcher.
            const placement = obj(lt.props.placement);
            if (isClusterPg(lt, "placement", placement.groupName ?? placement.groupId) !== true) {
                const missing = [
                    ...asgs.filter((a) => isClusterPg(a, "placementGroup", a.props.placementGroup) !== true).map((r) => ({ r, what: `Auto Scaling group '${r.name}'` })),
                    ...batch.filter((c) => isClusterPg(c, "computeResources", obj(c.props.computeResources).placementGroup) !== true).map((r) => ({ r, what: `Batch compute environment '${r.name}'` })),
                    ...instances.filter((i) => isClusterPg(i, "placementGroup", i.props.placementGroup) !== true).map((r) => ({ r, what: `instance '${r.name}'` })),
                ];
                if (asgs.length + batch.length + instances.length === 0 || missing.length > 0) {
                    problems.push({
                        text: `no cluster placement group${missing.length > 0 ? ` for ${missing.map((m) => m.what).join(", ")}` : ""} (set the placement group to an aws.ec2.PlacementGroup with strategy "cluster")`,
                        also: missing.map((m) => m.r),
                    });
                }
            }
            // One subnet / one AZ.
            for (const asg of asgs) {
                const subnets = listOf(asg.props.vpcZoneIdentifiers);
                const span = zoneSpan(ix, asg, "vpcZoneIdentifiers", subnets);
                if (subnets.length > 1 || span.count > 1) {
                    problems.push({ text: `Auto Scaling group '${asg.name}' spans ${Math.max(subnets.length, span.count)} subnets/AZs; EFA traffic stays within one subnet in one AZ`, also: [asg] });
                }
            }
            for (const ce of batch) {
                const raw = obj(ce.props.computeResources).subnets;
                const subnets = listOf(raw);
                const span = zoneSpan(ix, ce, "computeResources", subnets, Array.isArray(raw));
                if (subnets.length > 1 || span.count > 1) {
                    problems.push({ text: `Batch compute environment '${ce.name}' spans ${Math.max(subnets.length, span.count)} subnets/AZs; EFA traffic stays within one subnet in one AZ`, also: [ce] });
                }
            }
            const nicSubnets = new Set(efa.map((n) => str(n.subnetId)).filter((s) => s !== undefined));
            if (nicSubnets.size > 1) problems.push({ text: `its EFA interfaces sit in ${nicSubnets.size} subnets`, also: [] });
            const sg = groupProblem(graph.groupsOf.get(lt.urn) ?? []);
            if (sg) problems.push({ text: sg, also: [] });
            for (const p of problems) {
                const message = `launch template '${lt.name}' has EFA interfaces but ${p.text}. ${FIX}`;
                reportViolation(message, lt.urn);
                for (const r of p.also) reportViolation(message, r.urn);
            }
        }

        // EFA network interfaces attached to plain instances.
        const efaEnis = ix.ofType(T.networkInterface).filter((n) => EFA_TYPES.has(str(n.props.interfaceType) ?? ""));
        if (efaEnis.length === 0) return;
        const isEni = (r: Res) => r.type === T.networkInterface;
        const instancesOfEni = new Map<string, Res[]>();
        const attach = (eni: Res, inst: Res) => instancesOfEni.set(eni.urn, [...(instancesOfEni.get(eni.urn) ?? []), inst]);
        for (const inst of ix.ofType(T.instance)) {
            if (inst.props.networkInterfaces === undefined) continue;
            for (const eni of ix.resolve(inst, "networkInterfaces", leaves(inst.props.networkInterfaces), isEni).found) attach(eni, inst);
        }
        for (const a of ix.ofType("aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment")) {
            const eni = ix.resolve(a, "networkInterfaceId", [a.props.networkInterfaceId], isEni).found[0];
            const inst = ix.resolve(a, "instanceId", [a.props.instanceId], (r) => r.type === T.instance).found[0];
            if (eni && inst) attach(eni, inst);
        }
        for (const eni of efaEnis) {
            for (const a of arr(eni.props.attachments).map(obj)) {
                for (const inst of ix.resolve(eni, "attachments", [a.instance], (r) => r.type === T.instance).found) attach(eni, inst);
            }
        }
        // Per instance: placement and groups; across the EFA instances of one placement group: one subnet.
        const subnetsByPg = new Map<string, Set<string>>();
        const seen = new Set<string>();
        for (const eni of efaEnis) {
            const instances = instancesOfEni.get(eni.urn) ?? [];
            const sg = groupProblem(graph.groupsOf.get(eni.urn) ?? []);
            if (instances.length === 0 && sg) reportViolation(`EFA network interface '${eni.name}' ${sg.replace(/^none of its groups/, "is in no group that")}. ${FIX}`, eni.urn);
            for (const inst of instances) {
                const problems: string[] = [];
                if (sg) problems.push(`its EFA interface '${eni.name}': ${sg}`);
                if (!seen.has(inst.urn)) {
                    seen.add(inst.urn);
                    if (isClusterPg(inst, "placementGroup", inst.props.placementGroup) !== true) problems.push(`no cluster placement group (placementGroup: an aws.ec2.PlacementGroup with strategy "cluster")`);
                }
                const pgKey = ix.resolve(inst, "placementGroup", [inst.props.placementGroup], isPg).found[0]?.urn ?? str(inst.props.placementGroup) ?? "(none)";
                const subnet = ix.resolve(eni, "subnetId", [eni.props.subnetId], (r) => r.type === T.subnet).found[0]?.urn ?? str(eni.props.subnetId);
                if (subnet) subnetsByPg.set(pgKey, (subnetsByPg.get(pgKey) ?? new Set()).add(subnet));
                if ((subnetsByPg.get(pgKey)?.size ?? 0) > 1) problems.push(`the EFA instances of its placement group sit in ${subnetsByPg.get(pgKey)!.size} subnets; EFA traffic stays within one subnet in one AZ`);
                for (const p of problems) reportViolation(`instance '${inst.name}' has EFA interfaces but ${p}. ${FIX}`, inst.urn);
            }
        }
    },
};

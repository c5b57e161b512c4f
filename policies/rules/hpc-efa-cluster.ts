import type { StackValidationPolicy } from "@pulumi/policy";
import { Group, GroupGraph, isAllTraffic, isWorld } from "../lib/security-groups";
import { Res, StackIndex, groupsByLaunchTemplate, listOf } from "../lib/stack";
import { T } from "../lib/types";
import { arr, obj, str } from "../lib/values";
import { zoneSpan } from "../lib/zones";

/**
 * EFA interfaces (interfaceType `efa` or `efa-only`, botocore ec2 LaunchTemplateInstanceNetworkInterfaceSpecificationRequest):
 * - "The EFA must be a member of a security group that allows all inbound and outbound traffic to
 *   and from the security group itself" (EC2 user guide, create-efa);
 * - EFA is not supported across AZs (ParallelCluster efa-v3) and OS-bypass traffic stays in one subnet
 *   (EC2 user guide 2023): one subnet, one AZ;
 * - a cluster placement group, as ParallelCluster and AWS Batch require (EC2 only recommends it).
 */
const EFA_TYPES = new Set(["efa", "efa-only"]);

/** Whether the group admits itself for all traffic and lets all traffic out to itself (or anywhere). */
export function admitsItselfFully(g: Group): boolean {
    const selfIn = g.ingress.some((r) => isAllTraffic(r) && r.source.kind === "group" && (r.source.self || r.source.groups.includes(g)));
    const selfOut = g.egress.some((r) => isAllTraffic(r) && ((r.source.kind === "group" && (r.source.self || r.source.groups.includes(g))) || isWorld(r.source)));
    return selfIn && selfOut;
}

export const hpcEfaCluster: StackValidationPolicy = {
    name: "hpc-efa-cluster",
    description: "EFA instances need a cluster placement group, a single subnet/AZ and a security group that admits itself for all traffic in and out.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const ix = StackIndex.of(args.resources);
        const graph = GroupGraph.of(ix);
        const asgsOf = groupsByLaunchTemplate(ix);
        const isClusterPg = (refFrom: Res, prop: string, value: unknown): boolean | undefined => {
            if (value === undefined) return undefined;
            const { found, unresolved } = ix.resolve(refFrom, prop, [value], (r) => r.type === T.placementGroup);
            if (found.length > 0) return found.some((pg) => str(pg.props.strategy) === "cluster");
            return unresolved.length > 0 ? true : undefined; // an existing group the program names: its strategy cannot be seen
        };
        for (const lt of ix.ofType(T.launchTemplate)) {
            const nics = arr(lt.props.networkInterfaces).map(obj);
            const efa = nics.filter((n) => EFA_TYPES.has(str(n.interfaceType) ?? ""));
            if (efa.length === 0) continue;
            const asgs = asgsOf.get(lt.urn) ?? [];
            const problems: string[] = [];

            // Placement: on the template, or on every group that launches it.
            const placement = obj(lt.props.placement);
            const onTemplate = isClusterPg(lt, "placement", placement.groupName ?? placement.groupId);
            if (onTemplate !== true) {
                const missing = asgs.filter((a) => isClusterPg(a, "placementGroup", a.props.placementGroup) !== true);
                if (asgs.length === 0 || missing.length > 0) {
                    problems.push(
                        `no cluster placement group${missing.length > 0 ? ` for Auto Scaling group(s) ${missing.map((a) => `'${a.name}'`).join(", ")}` : ""} (set placementGroup to an aws.ec2.PlacementGroup with strategy "cluster")`,
                    );
                }
            }
            // One subnet / one AZ.
            for (const asg of asgs) {
                const subnets = listOf(asg.props.vpcZoneIdentifiers);
                const span = zoneSpan(ix, asg, "vpcZoneIdentifiers", subnets);
                if (subnets.length > 1 || span.count > 1) {
                    problems.push(`Auto Scaling group '${asg.name}' spans ${Math.max(subnets.length, span.count)} subnets/AZs; EFA traffic stays within one subnet in one AZ`);
                }
            }
            const nicSubnets = new Set(efa.map((n) => str(n.subnetId)).filter((s) => s !== undefined));
            if (nicSubnets.size > 1) problems.push(`its EFA interfaces sit in ${nicSubnets.size} subnets`);
            // Security groups: the template's interfaces must be in a group that admits itself fully.
            const groups = graph.groupsOf.get(lt.urn) ?? [];
            const external = groups.length > 0 && groups.every((g) => g.res === undefined);
            if (!external && !groups.some(admitsItselfFully)) {
                problems.push(
                    `none of its groups${groups.length > 0 ? ` (${groups.map((g) => `'${g.name}'`).join(", ")})` : ""} admits itself for all traffic in and out (ingress and egress, protocol -1, referencing the group itself)`,
                );
            }
            for (const p of problems) {
                reportViolation(`launch template '${lt.name}' has EFA interfaces but ${p}. Fix: see the HPC cluster guide (cluster placement group, one subnet, a self-referencing all-traffic group).`, lt.urn);
            }
        }
    },
};

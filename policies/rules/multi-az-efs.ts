import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { GroupGraph } from "../lib/security-groups";
import { Res, StackIndex, groupsByLaunchTemplate, listOf } from "../lib/stack";
import { T } from "../lib/types";
import { str } from "../lib/values";
import { zoneSpan } from "../lib/zones";

/** Input keys that hold a workload's subnets, at any depth (vpcZoneIdentifiers, networkConfiguration.subnets, computeResources.subnets, vpcConfig.subnetIds...). */
const SUBNET_KEY = /^(subnets|subnetIds|vpcZoneIdentifiers|subnetId)$/;

/** How many AZs a client workload runs in, from the subnets in its inputs (0 when none are visible). */
export function clientZones(ix: StackIndex, client: Res): number {
    let best = 0;
    for (const [prop, v] of Object.entries(client.props)) {
        const values: unknown[] = [];
        let listKnown = true;
        const walk = (x: unknown, key: string, depth: number) => {
            if (depth > 4 || x === undefined || x === null) return;
            if (SUBNET_KEY.test(key)) {
                values.push(...listOf(x));
                listKnown = listKnown && (Array.isArray(x) || key === "subnetId");
            }
            else if (Array.isArray(x)) x.forEach((e) => walk(e, key, depth + 1));
            else if (typeof x === "object") Object.entries(x as Record<string, unknown>).forEach(([k, e]) => walk(e, k, depth + 1));
        };
        walk(v, prop, 0);
        if (values.length === 0) continue;
        const span = zoneSpan(ix, client, prop, values, listKnown);
        best = Math.max(best, span.unknown ? 0 : span.count);
    }
    return best;
}

/**
 * EFS file systems are Regional (no `availabilityZoneName`) with a mount target in each AZ their
 * clients run in, and at least 2. AWS allows one mount target per AZ (botocore efs CreateMountTarget),
 * so N mount targets are N AZs. Clients are whatever runs in the groups the mount targets' groups
 * admit: Auto Scaling groups (through their launch templates), ECS services, Batch compute
 * environments, Lambda functions in a VPC, instances; their AZs come from the subnets they name.
 */
export const multiAzEfs = multiAzPolicy({
    name: "multi-az-efs",
    description: "EFS file systems are Regional, with a mount target in every AZ their clients use (at least 2).",
    check: ({ ix, report }) => {
        const graph = GroupGraph.of(ix);
        const asgsOf = groupsByLaunchTemplate(ix);
        const targets = new Map<string, Res[]>();
        for (const mt of ix.ofType(T.efsMountTarget)) {
            const { found } = ix.resolve(mt, "fileSystemId", [mt.props.fileSystemId], (r) => r.type === T.efsFileSystem);
            for (const fs of found) targets.set(fs.urn, [...(targets.get(fs.urn) ?? []), mt]);
        }
        for (const fs of ix.ofType(T.efsFileSystem)) {
            if (isMultiAzExempt(fs)) continue;
            const oneZone = str(fs.props.availabilityZoneName);
            if (oneZone) {
                report(`EFS file system '${fs.name}' is One Zone (${oneZone}): it is lost with its AZ. Fix: leave availabilityZoneName unset and add a mount target per AZ.`, fs.urn);
                continue;
            }
            const mts = targets.get(fs.urn) ?? [];
            // Client AZs: the widest client (Auto Scaling group, ECS service, Batch environment, Lambda in a VPC,
            // instance...) whose group the mount targets' groups admit.
            let clientAzs = 0;
            let widest = "";
            for (const mt of mts) {
                for (const g of graph.groupsOf.get(mt.urn) ?? []) {
                    for (const rule of g.ingress) {
                        if (rule.source.kind !== "group") continue;
                        for (const src of rule.source.groups) {
                            for (const u of src.users) {
                                if (u.res.type === T.efsMountTarget) continue;
                                const launchers = u.res.type === T.launchTemplate ? asgsOf.get(u.res.urn) ?? [] : [u.res];
                                for (const client of launchers) {
                                    const azs = clientZones(ix, client);
                                    if (azs > clientAzs) [clientAzs, widest] = [azs, `${client.type === T.autoScalingGroup ? "Auto Scaling group" : client.type.split(":").pop()} '${client.name}'`];
                                }
                            }
                        }
                    }
                }
            }
            const needed = Math.max(2, clientAzs);
            if (mts.length < needed) {
                report(
                    `EFS file system '${fs.name}' has ${mts.length} mount target(s) but ${clientAzs > 1 ? `its client ${widest} runs in ${clientAzs} AZs` : "at least 2 AZs are required"}. Fix: add a mount target (aws.efs.MountTarget) in each AZ its clients use.`,
                    fs.urn,
                );
            }
        }
    },
});

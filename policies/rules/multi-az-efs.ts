import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { GroupGraph } from "../lib/security-groups";
import { Res, groupsByLaunchTemplate, listOf } from "../lib/stack";
import { T } from "../lib/types";
import { str } from "../lib/values";
import { zoneSpan } from "../lib/zones";

/**
 * EFS file systems are Regional (no `availabilityZoneName`) with a mount target in each AZ their
 * clients run in, and at least 2. AWS allows one mount target per AZ (botocore efs CreateMountTarget),
 * so N mount targets are N AZs. Clients are the instances (through their Auto Scaling groups) whose
 * groups the mount targets' groups admit.
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
            // Client AZs: the widest Auto Scaling group (or instance) admitted by the mount targets' groups.
            let clientAzs = 0;
            let widest = "";
            for (const mt of mts) {
                for (const g of graph.groupsOf.get(mt.urn) ?? []) {
                    for (const rule of g.ingress) {
                        if (rule.source.kind !== "group") continue;
                        for (const src of rule.source.groups) {
                            for (const u of src.users) {
                                if (u.res.type === T.launchTemplate) {
                                    for (const asg of asgsOf.get(u.res.urn) ?? []) {
                                        const span = zoneSpan(ix, asg, "vpcZoneIdentifiers", listOf(asg.props.vpcZoneIdentifiers));
                                        if (span.count > clientAzs) [clientAzs, widest] = [span.count, `Auto Scaling group '${asg.name}'`];
                                    }
                                } else if (u.res.type === T.instance && clientAzs < 1) {
                                    [clientAzs, widest] = [1, `instance '${u.res.name}'`];
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

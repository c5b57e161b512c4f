import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { Res } from "../lib/stack";
import { T } from "../lib/types";
import { arr, str } from "../lib/values";

/** A secondary of an Aurora Global Database: joins a global cluster and brings no credentials of its own. */
function isGlobalSecondary(c: Res): boolean {
    const p = c.props;
    return p.globalClusterIdentifier !== undefined && p.masterUsername === undefined && p.masterPassword === undefined && p.manageMasterUserPassword === undefined;
}

export const multiAzAurora = multiAzPolicy({
    name: "multi-az-aurora",
    description: "Aurora clusters run at least 2 instances (a writer and a reader to fail over to) and are not pinned to one AZ.",
    check: ({ ix, report }) => {
        const clusters = ix.ofType(T.rdsCluster).filter((c) => (str(c.props.engine) ?? "").startsWith("aurora") && str(c.props.engineMode) !== "serverless");
        const members = new Map<string, Res[]>(clusters.map((c) => [c.urn, []]));
        for (const inst of ix.ofType(T.rdsClusterInstance)) {
            const { found } = ix.resolve(inst, "clusterIdentifier", [inst.props.clusterIdentifier], (r) => r.type === T.rdsCluster);
            for (const c of found) members.get(c.urn)?.push(inst);
        }
        for (const c of clusters) {
            if (isMultiAzExempt(c)) continue;
            const list = members.get(c.urn) ?? [];
            if (list.length === 0 && isGlobalSecondary(c)) continue; // a headless secondary (aws-facts: allowed), promoted by adding instances
            if (list.length < 2) {
                report(
                    `Aurora cluster '${c.name}' has ${list.length} instance(s); a failover needs at least 2. Fix: add a reader (aws.rds.ClusterInstance) in another AZ.`,
                    c.urn,
                );
                continue;
            }
            const pinned = list.map((i) => str(i.props.availabilityZone));
            const zones = new Set(pinned.filter((z): z is string => z !== undefined));
            if (pinned.every((z) => z !== undefined) && zones.size < 2) {
                report(`Aurora cluster '${c.name}' pins all ${list.length} instances to ${[...zones].join(", ")}. Fix: place the writer and readers in distinct AZs.`, c.urn);
            }
            const clusterZones = arr(c.props.availabilityZones).map(str).filter((z) => z !== undefined);
            if (clusterZones.length === 1) {
                report(`Aurora cluster '${c.name}' lists a single AZ in availabilityZones (${clusterZones[0]}). Fix: list at least 2 AZs or leave it unset.`, c.urn);
            }
        }
    },
});

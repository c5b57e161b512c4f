import { Res, StackIndex } from "./stack";
import { T } from "./types";
import { arr, num, obj, str } from "./values";

/**
 * Which AZs a list of subnets spans, from inputs only.
 * - A raw `aws.ec2.Subnet` carries `availabilityZone` (or `availabilityZoneId`) in its inputs.
 * - Subnets of an awsx `Vpc` are one per AZ per subnet type (awsx's layout), so N distinct subnets
 *   from one Vpc sit in N AZs (capped by the Vpc's AZ count); when the ids are unknown (a real
 *   preview) the list is taken to span the Vpc's AZ count.
 * - Anything else (existing subnets, `getSubnets` results) is counted as one AZ per distinct subnet:
 *   an upper bound, so a rule can still say "fewer than N" with certainty.
 */
export interface ZoneSpan {
    /** Best estimate of the number of AZs. */
    count: number;
    /** The AZ names, when every subnet's AZ is visible. */
    names?: Set<string>;
    /** Distinct subnets seen. */
    subnets: number;
    /** Whether part of the answer came from an assumption rather than a visible AZ. */
    assumed: string[];
    /** Nothing could be seen. */
    unknown: boolean;
}

/** The AZ count of an awsx Vpc from its inputs: `availabilityZoneNames`, `numberOfAvailabilityZones`, else 3 (awsx's default). */
export function awsxVpcAzCount(vpc: Res): number {
    const names = arr(vpc.props.availabilityZoneNames).filter((n) => str(n));
    if (names.length > 0) return names.length;
    return num(vpc.props.numberOfAvailabilityZones) ?? 3;
}

/**
 * `listKnown`: whether `values` is a list whose length is known (its elements may be unknown), as
 * opposed to a whole list not known until the update; by default, whether the top-level input is an array.
 */
export function zoneSpan(ix: StackIndex, from: Res, prop: string, values: unknown[], listKnown = Array.isArray(from.props[prop])): ZoneSpan {
    const names = new Set<string>();
    const assumed: string[] = [];
    const distinct = new Set<string>();
    let count = 0;
    let unknownValues = 0;
    let unnamedRaw = 0;
    const byVpc = new Map<string, { vpc: Res; ids: Set<string> }>();
    const vpcsInDeps = (from.deps[prop] ?? []).map((u) => ix.get(u)).filter((r): r is Res => r?.type === T.awsxVpc);
    const subnetsInDeps = (from.deps[prop] ?? []).map((u) => ix.get(u)).filter((r): r is Res => r?.type === T.subnet);
    const addSubnet = (s: Res) => {
        const az = str(s.props.availabilityZone) ?? str(s.props.availabilityZoneId);
        if (az) names.add(az);
        else unnamedRaw++;
    };
    const seenSubnets = new Set<string>();
    const unresolvedIds: string[] = [];
    for (const v of values) {
        const id = str(v);
        if (!id) {
            unknownValues++;
            continue;
        }
        if (distinct.has(id)) continue;
        distinct.add(id);
        const hit = ix.byValue(id);
        if (hit?.type === T.subnet) {
            if (!seenSubnets.has(hit.urn)) addSubnet(hit);
            seenSubnets.add(hit.urn);
        } else if (hit?.type === T.awsxVpc) {
            const e = byVpc.get(hit.urn) ?? { vpc: hit, ids: new Set<string>() };
            e.ids.add(id);
            byVpc.set(hit.urn, e);
        } else {
            unresolvedIds.push(id);
        }
    }
    // Ids not learned: attribute them to the awsx Vpc(s) or subnets the property depends on.
    if (unresolvedIds.length > 0 || unknownValues > 0) {
        for (const s of subnetsInDeps) {
            if (!seenSubnets.has(s.urn)) addSubnet(s);
            seenSubnets.add(s.urn);
        }
        // Those dependencies are the subnets whose ids were not learned: do not count them twice.
        unresolvedIds.splice(0, Math.min(unresolvedIds.length, subnetsInDeps.length));
        if (vpcsInDeps.length === 1) {
            const e = byVpc.get(vpcsInDeps[0].urn) ?? { vpc: vpcsInDeps[0], ids: new Set<string>() };
            for (const id of unresolvedIds) e.ids.add(id);
            // A list of N elements whose ids are unknown (a preview) names at most N subnets; an unknown list, any number.
            if (listKnown) for (let i = 0; i < unknownValues; i++) e.ids.add(`(unknown ${i})`);
            byVpc.set(vpcsInDeps[0].urn, e);
            unresolvedIds.length = 0;
        }
    }
    count += names.size + unnamedRaw;
    if (unnamedRaw > 0) assumed.push(`${unnamedRaw} subnet(s) without an AZ in their inputs counted as one AZ each`);
    for (const { vpc, ids } of byVpc.values()) {
        const azs = awsxVpcAzCount(vpc);
        const n = ids.size > 0 ? Math.min(ids.size, azs) : azs;
        count += n;
        assumed.push(`awsx Vpc '${vpc.name}' is opaque: ${ids.size > 0 ? `${ids.size} of its subnets taken as ${n} AZ(s) (awsx puts one subnet per AZ per type)` : `subnets unknown, taken as its ${azs} AZs`}`);
    }
    if (unresolvedIds.length > 0) {
        count += unresolvedIds.length;
        assumed.push(`${unresolvedIds.length} subnet(s) not created by this program counted as one AZ each (at most)`);
    }
    const unknown = count === 0 && unknownValues > 0;
    return {
        count,
        names: byVpc.size === 0 && unresolvedIds.length === 0 && unnamedRaw === 0 && names.size > 0 ? names : undefined,
        subnets: distinct.size + (unknownValues > 0 ? unknownValues : 0),
        assumed,
        unknown,
    };
}

/** Subnet ids of a load balancer: `subnets`, `subnetIds` (awsx) or `subnetMappings[].subnetId`. */
export function loadBalancerSubnets(p: Record<string, unknown>): { prop: string; values: unknown[] } {
    if (p.subnets !== undefined) return { prop: "subnets", values: Array.isArray(p.subnets) ? p.subnets : [p.subnets] };
    if (p.subnetIds !== undefined) return { prop: "subnetIds", values: Array.isArray(p.subnetIds) ? p.subnetIds : [p.subnetIds] };
    if (p.subnetMappings !== undefined) return { prop: "subnetMappings", values: arr(p.subnetMappings).map((m) => obj(m).subnetId) };
    return { prop: "subnets", values: [] };
}

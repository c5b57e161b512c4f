import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { Res } from "../lib/stack";
import { T } from "../lib/types";
import { obj, str } from "../lib/values";
import { awsxVpcAzCount } from "../lib/zones";

/**
 * A NAT gateway per AZ, so private subnets keep their egress when another AZ fails. An opaque awsx
 * Vpc is judged by `natGateways.strategy` (default OnePerAz) and its AZ count; raw NAT gateways by
 * the AZs of their subnets against the AZs of their VPC's subnets.
 */
export const multiAzNatGateways = multiAzPolicy({
    name: "multi-az-nat-gateways",
    description: "VPCs with NAT have a NAT gateway in each AZ, so one AZ's failure does not cut the others' egress.",
    check: ({ ix, report }) => {
        for (const vpc of ix.ofType(T.awsxVpc)) {
            if (!ix.isOpaque(vpc) || isMultiAzExempt(vpc)) continue;
            const given = obj(vpc.props.natGateways).strategy;
            const strategy = given === undefined ? "OnePerAz" : str(given);
            const azs = awsxVpcAzCount(vpc);
            if (strategy === "Single" && azs > 1) {
                report(`awsx Vpc '${vpc.name}' has one NAT gateway for ${azs} AZs (natGateways.strategy Single). Fix: use strategy OnePerAz.`, vpc.urn);
            }
        }
        // Raw NAT gateways: group subnets and gateways by VPC.
        const subnetAz = (s: Res) => str(s.props.availabilityZone) ?? str(s.props.availabilityZoneId);
        const vpcKey = (s: Res) => {
            const { found } = ix.resolve(s, "vpcId", [s.props.vpcId], (r) => r.type === T.vpc);
            return found[0]?.urn ?? str(s.props.vpcId);
        };
        const zonesByVpc = new Map<string, Set<string>>();
        for (const s of ix.ofType(T.subnet)) {
            const key = vpcKey(s);
            const az = subnetAz(s);
            if (!key || !az) continue;
            zonesByVpc.set(key, (zonesByVpc.get(key) ?? new Set()).add(az));
        }
        const natZones = new Map<string, { zones: Set<string>; nats: Res[] }>();
        for (const nat of ix.ofType(T.natGateway)) {
            if (str(nat.props.connectivityType) === "private" || isMultiAzExempt(nat)) continue;
            const { found } = ix.resolve(nat, "subnetId", [nat.props.subnetId], (r) => r.type === T.subnet);
            const subnet = found[0];
            const key = subnet && vpcKey(subnet);
            const az = subnet && subnetAz(subnet);
            if (!key || !az) continue;
            const e = natZones.get(key) ?? { zones: new Set<string>(), nats: [] };
            e.zones.add(az);
            e.nats.push(nat);
            natZones.set(key, e);
        }
        for (const [key, { zones, nats }] of natZones) {
            const missing = [...(zonesByVpc.get(key) ?? [])].filter((z) => !zones.has(z));
            if (missing.length > 0) {
                report(
                    `NAT gateway(s) ${nats.map((n) => `'${n.name}'`).join(", ")} cover ${[...zones].join(", ")} but their VPC also has subnets in ${missing.join(", ")}. Fix: add a NAT gateway in a public subnet of each of those AZs and route each AZ's private subnets to its own.`,
                    nats[0].urn,
                );
            }
        }
    },
});

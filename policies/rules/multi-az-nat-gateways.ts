import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { Res } from "../lib/stack";
import { T } from "../lib/types";
import { obj, str } from "../lib/values";
import { listOf } from "../lib/stack";
import { awsxVpcAzCount } from "../lib/zones";

/**
 * A NAT gateway per AZ, so private subnets keep their egress when another AZ fails. An opaque awsx
 * Vpc is judged by `natGateways.strategy` (default OnePerAz) and its AZ count. Raw NAT gateways are
 * judged by the routes of each AZ's private subnets: a subnet whose route table sends traffic to a
 * NAT gateway in another AZ fails (however many gateways exist); when the program writes no route to
 * a NAT gateway, by the AZs of the gateways against the AZs of their VPC's subnets.
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
        const natAz = (nat: Res) => {
            const subnet = ix.resolve(nat, "subnetId", [nat.props.subnetId], (r) => r.type === T.subnet).found[0];
            return subnet && subnetAz(subnet);
        };
        const isNat = (r: Res) => r.type === T.natGateway;
        // Routes to NAT gateways, by route table: each names the resource that writes it.
        const natRoutes = new Map<string, { nat: Res; route: Res }[]>();
        const addRoute = (rt: Res | undefined, nats: Res[], route: Res) => {
            if (rt) for (const nat of nats) natRoutes.set(rt.urn, [...(natRoutes.get(rt.urn) ?? []), { nat, route }]);
        };
        for (const rt of ix.ofType(T.routeTable)) {
            const refs = listOf(rt.props.routes).map((r) => obj(r).natGatewayId).filter((v) => v !== undefined);
            if (refs.length > 0) addRoute(rt, ix.resolve(rt, "routes", refs, isNat).found, rt);
        }
        for (const r of ix.ofType(T.route)) {
            if (r.props.natGatewayId === undefined) continue;
            const rt = ix.resolve(r, "routeTableId", [r.props.routeTableId], (x) => x.type === T.routeTable).found[0];
            addRoute(rt, ix.resolve(r, "natGatewayId", [r.props.natGatewayId], isNat).found, r);
        }
        if (natRoutes.size > 0) {
            // Judged by the routes: each private subnet leaves through a NAT gateway in its own AZ. The route
            // table (and the route, when written apart) that sends it elsewhere is at fault; so is a gateway
            // serving AZs that have none of their own.
            const natAzs = new Set(ix.ofType(T.natGateway).map(natAz).filter((z): z is string => z !== undefined));
            const reported = new Set<string>();
            const orphans = new Map<string, { nat: Res; zones: Set<string> }>();
            for (const a of ix.ofType(T.routeTableAssociation)) {
                const subnet = ix.resolve(a, "subnetId", [a.props.subnetId], (r) => r.type === T.subnet).found[0];
                const rt = ix.resolve(a, "routeTableId", [a.props.routeTableId], (r) => r.type === T.routeTable).found[0];
                const az = subnet && subnetAz(subnet);
                if (!rt || !az) continue;
                for (const { nat, route } of natRoutes.get(rt.urn) ?? []) {
                    const other = natAz(nat);
                    if (isMultiAzExempt(nat) || !other || other === az) continue;
                    const message = `subnet '${subnet.name}' in ${az} reaches the internet through NAT gateway '${nat.name}' in ${other} (route table '${rt.name}'): when ${other} fails, ${az} loses its egress. Fix: a NAT gateway in ${az} and a route table for ${az}'s private subnets that routes to it.`;
                    for (const urn of new Set([rt.urn, route.urn])) {
                        if (reported.has(`${urn} ${subnet.urn}`)) continue;
                        reported.add(`${urn} ${subnet.urn}`);
                        report(message, urn);
                    }
                    if (!natAzs.has(az)) {
                        const e = orphans.get(nat.urn) ?? { nat, zones: new Set<string>() };
                        orphans.set(nat.urn, e);
                        e.zones.add(az);
                    }
                }
            }
            for (const { nat, zones } of orphans.values()) {
                report(`NAT gateway '${nat.name}' in ${natAz(nat)} is the only egress of private subnets in ${[...zones].join(", ")}, which have no NAT gateway of their own. Fix: a NAT gateway per AZ, each AZ's private subnets routed to their own.`, nat.urn);
            }
            return;
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

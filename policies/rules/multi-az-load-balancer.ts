import { assumptions, isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { T, isLoadBalancer } from "../lib/types";
import { loadBalancerSubnets, zoneSpan } from "../lib/zones";
import { num, str } from "../lib/values";
import { listOf } from "../lib/stack";

/** At least two AZs everywhere (an ALB needs subnets in two AZs: botocore elbv2 CreateLoadBalancer `Subnets`); three in production. */
export const DEFAULT_MINIMUM_AZS = 2;
export const DEFAULT_MINIMUM_AZS_PRODUCTION = 3;

export const multiAzLoadBalancer = multiAzPolicy({
    name: "multi-az-load-balancer",
    description: "Load balancers (application, network, classic) sit in subnets of at least 2 AZs (3 in production), so losing an AZ does not take the service down.",
    config: {
        minimumAzs: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_AZS, description: "Minimum AZs outside production." },
        minimumAzsProduction: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_AZS_PRODUCTION, description: "Minimum AZs in production." },
    },
    check: ({ ix, production, config, report }) => {
        const min = production ? num(config.minimumAzsProduction) ?? DEFAULT_MINIMUM_AZS_PRODUCTION : num(config.minimumAzs) ?? DEFAULT_MINIMUM_AZS;
        const lbs = ix.all.filter((r) => isLoadBalancer(r.type) || r.type === T.elbClassic || ((r.type === T.awsxAlb || r.type === T.awsxNlb) && ix.isOpaque(r)));
        for (const lb of lbs) {
            if (isMultiAzExempt(lb) || str(lb.props.loadBalancerType) === "gateway") continue;
            // A Classic load balancer names AZs directly (availabilityZones) or subnets.
            const zones = listOf(lb.props.availabilityZones);
            if (lb.type === T.elbClassic && lb.props.subnets === undefined && zones.length > 0) {
                const names = new Set(zones.map(str).filter((z): z is string => z !== undefined));
                if (names.size > 0 && names.size === zones.length && names.size < min) {
                    report(`Classic load balancer '${lb.name}' spans ${names.size} AZ(s) (${[...names].join(", ")}); at least ${min} are required here. Fix: list ${min} AZs (or a subnet in each).`, lb.urn);
                }
                continue;
            }
            const { prop, values } = loadBalancerSubnets(lb.props);
            if (values.length === 0) {
                // awsx places a load balancer with no subnets in the default VPC's subnets (every AZ); a raw one is rejected by AWS.
                if (isLoadBalancer(lb.type) || lb.type === T.elbClassic) report(`load balancer '${lb.name}' names no subnets. Fix: give it one subnet in each of at least ${min} AZs.`, lb.urn);
                continue;
            }
            const span = zoneSpan(ix, lb, prop, values);
            if (span.unknown) continue;
            if (span.count < min) {
                report(
                    `load balancer '${lb.name}' spans ${span.count} AZ(s)${span.names ? ` (${[...span.names].join(", ")})` : ""}; at least ${min} are required here${assumptions(span.assumed)}. Fix: give it a subnet in each of ${min} AZs.`,
                    lb.urn,
                );
            }
        }
    },
});

import { assumptions, isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { T, isLoadBalancer } from "../lib/types";
import { loadBalancerSubnets, zoneSpan } from "../lib/zones";
import { num, str } from "../lib/values";

/** At least two AZs everywhere (an ALB needs subnets in two AZs: botocore elbv2 CreateLoadBalancer `Subnets`); three in production. */
export const DEFAULT_MINIMUM_AZS = 2;
export const DEFAULT_MINIMUM_AZS_PRODUCTION = 3;

export const multiAzLoadBalancer = multiAzPolicy({
    name: "multi-az-load-balancer",
    description: "Load balancers sit in subnets of at least 2 AZs (3 in production), so losing an AZ does not take the service down.",
    config: {
        minimumAzs: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_AZS, description: "Minimum AZs outside production." },
        minimumAzsProduction: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_AZS_PRODUCTION, description: "Minimum AZs in production." },
    },
    check: ({ ix, production, config, report }) => {
        const min = production ? num(config.minimumAzsProduction) ?? DEFAULT_MINIMUM_AZS_PRODUCTION : num(config.minimumAzs) ?? DEFAULT_MINIMUM_AZS;
        const lbs = ix.all.filter((r) => isLoadBalancer(r.type) || ((r.type === T.awsxAlb || r.type === T.awsxNlb) && ix.isOpaque(r)));
        for (const lb of lbs) {
            if (isMultiAzExempt(lb) || str(lb.props.loadBalancerType) === "gateway") continue;
            const { prop, values } = loadBalancerSubnets(lb.props);
            if (values.length === 0) {
                // awsx places a load balancer with no subnets in the default VPC's subnets (every AZ); a raw one is rejected by AWS.
                if (isLoadBalancer(lb.type)) report(`load balancer '${lb.name}' names no subnets. Fix: give it one subnet in each of at least ${min} AZs.`, lb.urn);
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

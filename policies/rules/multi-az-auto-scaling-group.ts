import { Exposure } from "../lib/exposure";
import { assumptions, isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { listOf } from "../lib/stack";
import { T } from "../lib/types";
import { num, str } from "../lib/values";
import { zoneSpan } from "../lib/zones";

export const DEFAULT_MINIMUM_ASG_AZS = 2;

export const multiAzAutoScalingGroup = multiAzPolicy({
    name: "multi-az-auto-scaling-group",
    description: "Auto Scaling groups span at least 2 AZs, except single-instance environments (max size 1, not raised by a scheduled action) and resources marked platform:multi-az-exempt.",
    config: { minimumAzs: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_ASG_AZS, description: "Minimum AZs of a group." } },
    check: ({ ix, config, report }) => {
        const min = num(config.minimumAzs) ?? DEFAULT_MINIMUM_ASG_AZS;
        const exposure = Exposure.of(ix);
        for (const asg of ix.ofType(T.autoScalingGroup)) {
            if (isMultiAzExempt(asg)) continue;
            // A single-instance environment (max size 1, and no scheduled action raising it) needs no second AZ.
            if (exposure.asgMultiplicity(asg) === undefined) continue;
            let span;
            if (asg.props.vpcZoneIdentifiers !== undefined) {
                span = zoneSpan(ix, asg, "vpcZoneIdentifiers", listOf(asg.props.vpcZoneIdentifiers));
            } else {
                const zones = listOf(asg.props.availabilityZones);
                const names = new Set(zones.map(str).filter((z): z is string => z !== undefined));
                span = { count: names.size, names, assumed: [], unknown: zones.length > 0 && names.size === 0, subnets: 0 };
            }
            if (span.unknown) continue;
            if (span.count < min) {
                report(
                    `Auto Scaling group '${asg.name}' spans ${span.count} AZ(s)${span.names && span.names.size > 0 ? ` (${[...span.names].join(", ")})` : ""}; at least ${min} are required${assumptions(span.assumed)}. Fix: list a subnet of each AZ in vpcZoneIdentifiers, or, for an HPC group in a cluster placement group, tag it platform:multi-az-exempt with the reason.`,
                    asg.urn,
                );
            }
        }
    },
});

import type { StackValidationPolicy } from "@pulumi/policy";
import { isProductionStack, productionConfigProperties, reporterFor, stackOf } from "../lib/production";
import { Res, StackIndex } from "../lib/stack";
import { isLoadBalancer } from "../lib/types";
import { arr, bool, obj, str } from "../lib/values";

const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";

const isInternetFacingAlb = (lb: Res) => isLoadBalancer(lb.type) && bool(lb.props.internal) !== true && (str(lb.props.loadBalancerType) ?? "application") === "application";

/**
 * The load balancers a stack puts behind WAF (a web ACL association naming them) or CloudFront (a
 * distribution whose origin is them), by value or through property dependencies. Exported for tests.
 */
export function protectedLoadBalancers(ix: StackIndex): Set<string> {
    const out = new Set<string>();
    for (const a of ix.ofType(WEB_ACL_ASSOCIATION)) {
        for (const lb of ix.resolve(a, "resourceArn", [a.props.resourceArn], (r) => isLoadBalancer(r.type)).found) out.add(lb.urn);
    }
    for (const d of ix.ofType(DISTRIBUTION)) {
        const origins = arr(d.props.origins).map((o) => obj(o).domainName);
        for (const lb of ix.resolve(d, "origins", origins, (r) => isLoadBalancer(r.type)).found) out.add(lb.urn);
    }
    return out;
}

const DESCRIPTION = "In production, internet-facing application load balancers sit behind a WAF web ACL or CloudFront (advisory).";

export const internetAlbEdgeProtection: StackValidationPolicy = {
    name: "internet-alb-edge-protection",
    description: DESCRIPTION,
    // Like every rule of the pack the policy is mandatory-capable; its findings are reported at the
    // advisory level (the object form of reportViolation), as a recommendation, never a gate.
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigProperties } },
    validateStack: (args, reportViolation) => {
        if (!isProductionStack(stackOf(args.resources), args.getConfig<Record<string, unknown>>())) return;
        const report = reporterFor(reportViolation, false, DESCRIPTION);
        const ix = StackIndex.of(args.resources);
        const covered = protectedLoadBalancers(ix);
        for (const lb of ix.all.filter(isInternetFacingAlb)) {
            if (covered.has(lb.urn)) continue;
            report(
                `internet-facing load balancer '${lb.name}' has neither a WAF web ACL nor CloudFront in front of it. Fix: associate a REGIONAL WAFv2 web ACL (e.g. the AWS managed common rule set and a rate limit), or put CloudFront in front and admit only its origin-facing prefix list.`,
                lb.urn,
            );
        }
    },
};

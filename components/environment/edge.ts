import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ProblemCollector } from "../validation";
import type { EnvironmentContext } from "./context";

/**
 * The edge of an internet-facing web environment: a WAFv2 web ACL on its load balancer (managed
 * rule groups, a rate limit, blocked addresses, countries), and CloudFront in front of it (HTTPS to
 * the load balancer, which then admits only CloudFront's origin-facing addresses; the domain's alias
 * points at the distribution).
 */

export interface WafArgs {
    /** AWS managed rule groups (vendor AWS). Defaults to ["AWSManagedRulesCommonRuleSet"]. */
    managedRules?: string[];
    /** Requests per client IP per 5 minutes before it is blocked (10–2,000,000,000). Defaults to no rate rule. */
    rateLimit?: number;
    /** IPv4 CIDR blocks to block. Defaults to none. */
    blockIps?: string[];
    /** Only these countries (ISO 3166-1 alpha-2) are admitted. Defaults to all. */
    allowCountries?: string[];
    /** These countries (ISO 3166-1 alpha-2) are blocked. Defaults to none. */
    blockCountries?: string[];
}

export const CDN_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

export interface CdnArgs {
    /** CloudFront price class (edge locations used). Defaults to "PriceClass_100". */
    priceClass?: (typeof CDN_PRICE_CLASSES)[number];
    /** Only these countries (ISO 3166-1 alpha-2) are served. Defaults to all. */
    allowCountries?: string[];
    /** These countries are refused. Defaults to none. */
    blockCountries?: string[];
}

/** The managed prefix list of CloudFront's origin-facing addresses (VPC user guide, "AWS-managed prefix lists"). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/** WAF's lowest rate-based rule limit (WAF developer guide, "Rate-based rule high-level settings": "The lowest limit setting allowed is 10"). */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;
/** Managed cache policy "Managed-CachingDisabled" and origin request policy "Managed-AllViewer" (CloudFront developer guide, managed policies). */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID = "216adef6-5c7f-47e4-b989-5492eafa07d3";

const COUNTRY = /^[A-Z]{2}$/;
const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Whether a string is an IPv4 CIDR block WAF accepts (/1–/32, octets ≤ 255). Pure. */
export function isIpv4Cidr(v: string): boolean {
    const m = CIDR4.exec(v);
    if (!m) return false;
    const bits = Number(m[5]);
    return m.slice(1, 5).every((o) => Number(o) <= 255) && bits >= 1 && bits <= 32;
}

export interface EdgeInput {
    tier: "web" | "worker";
    ha: boolean;
    domain?: string;
    hasHostedZone: boolean;
    waf?: WafArgs;
    cdn?: CdnArgs;
}

function checkCountries(p: ProblemCollector, path: string, allow?: string[], block?: string[]): void {
    p.check(allow !== undefined && block !== undefined, path, "give allowCountries or blockCountries, not both");
    for (const [key, list] of [["allowCountries", allow], ["blockCountries", block]] as const) {
        if (list === undefined) continue;
        p.check(list.length === 0, `${path}.${key}`, "name at least one country");
        for (const c of list) p.check(!COUNTRY.test(c), `${path}.${key}`, `expected ISO 3166-1 alpha-2 country codes such as US or DE, got '${c}'`);
    }
}

/** Validates the edge options, collecting every problem. Pure; exported for the catalog. */
export function validateEdge(input: EdgeInput): ProblemCollector {
    const p = new ProblemCollector();
    const lb = input.tier === "web" && input.ha;
    if (input.waf) {
        const w = input.waf;
        p.check(!lb, "waf", "a web ACL is associated with a load balancer: only a web environment in ha mode has one");
        p.check(w.rateLimit !== undefined && (!Number.isInteger(w.rateLimit) || w.rateLimit < WAF_RATE_LIMIT.min || w.rateLimit > WAF_RATE_LIMIT.max), "waf.rateLimit", `must be a whole number from ${WAF_RATE_LIMIT.min} to ${WAF_RATE_LIMIT.max} requests per 5 minutes, got ${w.rateLimit}`);
        for (const ip of w.blockIps ?? []) p.check(!isIpv4Cidr(ip), "waf.blockIps", `expected IPv4 CIDR blocks such as 203.0.113.0/24, got '${ip}'`);
        for (const r of w.managedRules ?? []) p.check(!/^AWSManagedRules[A-Za-z0-9]+$/.test(r), "waf.managedRules", `expected an AWS managed rule group name such as AWSManagedRulesCommonRuleSet, got '${r}'`);
        p.check(new Set(w.managedRules ?? []).size !== (w.managedRules ?? []).length, "waf.managedRules", "a rule group is listed twice");
        checkCountries(p, "waf", w.allowCountries, w.blockCountries);
    }
    if (input.cdn) {
        const c = input.cdn;
        p.check(!lb, "cdn", "CloudFront fronts a load balancer: only a web environment in ha mode has one");
        // CloudFront reaches the origin over HTTPS: the load balancer's certificate must match the Host
        // header it forwards, so the environment needs its domain (and zone, for both certificates).
        p.check(input.domain === undefined || !input.hasHostedZone, "cdn", "CloudFront needs the environment's domain and hostedZone (HTTPS to the load balancer, certificate in us-east-1)");
        p.check(c.priceClass !== undefined && !(CDN_PRICE_CLASSES as readonly string[]).includes(c.priceClass), "cdn.priceClass", `expected one of ${CDN_PRICE_CLASSES.join(", ")}, got '${c.priceClass}'`);
        checkCountries(p, "cdn", c.allowCountries, c.blockCountries);
    }
    return p;
}

/** The web ACL's rules in order: blocked addresses, countries, rate limit, then the managed groups. Pure; exported for tests. */
export function wafRules(name: string, waf: WafArgs, ipSetArn?: string): aws.types.input.wafv2.WebAclRule[] {
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${name}-${metric}` });
    const rules: aws.types.input.wafv2.WebAclRule[] = [];
    if (ipSetArn) {
        rules.push({ name: "block-ips", priority: rules.length, action: { block: {} }, statement: { ipSetReferenceStatement: { arn: ipSetArn } }, visibilityConfig: visibility("block-ips") });
    }
    if (waf.allowCountries) {
        rules.push({
            name: "allow-countries",
            priority: rules.length,
            action: { block: {} },
            statement: { notStatement: { statement: { geoMatchStatement: { countryCodes: waf.allowCountries } } } },
            visibilityConfig: visibility("allow-countries"),
        });
    }
    if (waf.blockCountries) {
        rules.push({ name: "block-countries", priority: rules.length, action: { block: {} }, statement: { geoMatchStatement: { countryCodes: waf.blockCountries } }, visibilityConfig: visibility("block-countries") });
    }
    if (waf.rateLimit !== undefined) {
        rules.push({
            name: "rate-limit",
            priority: rules.length,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: waf.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit"),
        });
    }
    for (const group of waf.managedRules ?? ["AWSManagedRulesCommonRuleSet"]) {
        rules.push({
            name: group,
            priority: rules.length,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(group),
        });
    }
    return rules;
}

/** A REGIONAL web ACL associated with the load balancer. */
export function buildWaf(c: EnvironmentContext, loadBalancer: aws.lb.LoadBalancer, waf: WafArgs): aws.wafv2.WebAcl {
    const { name, tags, parent } = c;
    const ipSet = waf.blockIps?.length
        ? new aws.wafv2.IpSet(`${name}-blocked`, { scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: waf.blockIps, description: `Addresses blocked in front of ${name}`, tags }, parent)
        : undefined;
    const rules = ipSet ? ipSet.arn.apply((arn) => wafRules(name, waf, arn)) : wafRules(name, waf);
    const acl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            scope: "REGIONAL",
            description: `Web ACL of ${name}`,
            defaultAction: { allow: {} },
            rules,
            visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${name}-waf` },
            tags,
        },
        parent,
    );
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: loadBalancer.arn, webAclArn: acl.arn }, parent);
    return acl;
}

/** The origin-facing prefix list's id, looked up by its AWS-managed name. */
export function cloudFrontOriginFacingPrefixListId(c: EnvironmentContext): pulumi.Output<string> {
    return aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, c.parent).id;
}

/**
 * CloudFront in front of the load balancer: HTTPS only to the origin (the viewer's Host header is
 * forwarded, so the load balancer's certificate for the domain matches), nothing cached by default,
 * viewers redirected to HTTPS, a certificate in us-east-1 (CloudFront's only certificate region),
 * and the domain's alias records on the distribution.
 */
export function buildCdn(c: EnvironmentContext, loadBalancer: aws.lb.LoadBalancer, cdn: CdnArgs, zoneId: pulumi.Input<string>): aws.cloudfront.Distribution {
    const { name, tags, parent, args } = c;
    const domain = args.domain!;
    const usEast1 = new aws.Provider(`${name}-us-east-1`, { region: "us-east-1" }, parent);
    const certificate = new aws.acm.Certificate(`${name}-cdn-cert`, { domainName: domain, validationMethod: "DNS", tags }, { ...parent, provider: usEast1 });
    const option = certificate.domainValidationOptions.apply((o) => o[0]);
    const record = new aws.route53.Record(
        `${name}-cdn-cert-validation`,
        { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
        parent,
    );
    const validation = new aws.acm.CertificateValidation(`${name}-cdn-cert`, { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }, { ...parent, provider: usEast1 });
    const restriction = cdn.allowCountries
        ? { restrictionType: "whitelist", locations: cdn.allowCountries }
        : cdn.blockCountries
          ? { restrictionType: "blacklist", locations: cdn.blockCountries }
          : { restrictionType: "none", locations: [] };
    const distribution = new aws.cloudfront.Distribution(
        `${name}-cdn`,
        {
            enabled: true,
            comment: `${name} in front of its load balancer`,
            aliases: [domain],
            priceClass: cdn.priceClass ?? "PriceClass_100",
            httpVersion: "http2and3",
            isIpv6Enabled: true,
            origins: [
                {
                    originId: "alb",
                    domainName: loadBalancer.dnsName,
                    customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] },
                },
            ],
            defaultCacheBehavior: {
                targetOriginId: "alb",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                cachedMethods: ["GET", "HEAD"],
                cachePolicyId: CACHING_DISABLED_POLICY_ID,
                originRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
                compress: true,
            },
            restrictions: { geoRestriction: restriction },
            viewerCertificate: { acmCertificateArn: validation.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
            tags,
        },
        parent,
    );
    for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(
            `${name}-cdn-alias-${type.toLowerCase()}`,
            { zoneId, name: domain, type, aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }] },
            parent,
        );
    }
    return distribution;
}

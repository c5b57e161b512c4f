import { z } from "zod";
import { int } from "./primitives";

/**
 * The edge of a web environment in ha mode (see docs/add-your-application.md): a WAF web ACL on its
 * load balancer and CloudFront in front of it. The Environment component checks the values (rate
 * limit range, CIDR blocks, country codes, price classes).
 *
 * Example:
 *   - name: web
 *     tier: web
 *     domain: shop.example.com
 *     hostedZone: example.com
 *     waf: { rateLimit: 2000, blockIps: [203.0.113.0/24] }
 *     cdn: { priceClass: PriceClass_100 }
 */

export const wafConfigSchema = z.strictObject({
    /** AWS managed rule groups. Defaults to [AWSManagedRulesCommonRuleSet]. */
    managedRules: z.array(z.string()).optional(),
    /** Requests per client IP per 5 minutes before it is blocked (at least 10). Defaults to no rate rule. */
    rateLimit: int().optional(),
    /** IPv4 CIDR blocks blocked. Defaults to none. */
    blockIps: z.array(z.string()).optional(),
    /** Only these countries (ISO 3166-1 alpha-2) are admitted. Defaults to all. */
    allowCountries: z.array(z.string()).optional(),
    /** These countries are blocked. Defaults to none. */
    blockCountries: z.array(z.string()).optional(),
});

export const cdnConfigSchema = z.strictObject({
    /** PriceClass_100, PriceClass_200 or PriceClass_All. Defaults to PriceClass_100. */
    priceClass: z.string().optional(),
    /** CloudFront geo restriction: `{ allowCountries }` or `{ blockCountries }` (ISO 3166-1 alpha-2). Defaults to none. */
    geoRestriction: z.strictObject({ allowCountries: z.array(z.string()).optional(), blockCountries: z.array(z.string()).optional() }).optional(),
});

/** The edge keys of an environment. */
export const environmentEdgeKeys = {
    /** Web, ha: a WAFv2 web ACL on the load balancer. Defaults to none. */
    waf: wafConfigSchema.optional(),
    /** Web, ha: CloudFront in front of the load balancer (which then admits only CloudFront). Needs domain and hostedZone. Defaults to none. */
    cdn: cdnConfigSchema.optional(),
};

export type WafConfig = z.output<typeof wafConfigSchema>;
export type CdnConfig = z.output<typeof cdnConfigSchema>;

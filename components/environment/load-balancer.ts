import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TLS_POLICY } from "../environment-settings";
import type { EnvironmentContext } from "./context";

/**
 * A web ha environment's internet-facing Application Load Balancer in the public subnets of every
 * AZ and its target group (health check, stickiness); its listeners and DNS are built by
 * {@link buildEntryPoint}.
 */
export interface LoadBalancing {
    loadBalancer: aws.lb.LoadBalancer;
    targetGroup: aws.lb.TargetGroup;
}

export function buildLoadBalancer(c: EnvironmentContext, securityGroup: aws.ec2.SecurityGroup): LoadBalancing {
    const { name, s, tags, parent, args } = c;
    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: args.dualStack ? "dualstack" : "ipv4",
            securityGroups: [securityGroup.id],
            subnets: args.network.publicSubnetIds,
            enableDeletionProtection: s.production,
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            tags,
        },
        parent,
    );
    const targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
            vpcId: args.network.vpcId,
            targetType: "instance",
            protocol: "HTTP",
            port: s.port,
            deregistrationDelay: s.deregistrationDelaySeconds,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                path: s.healthCheckPath,
                matcher: s.healthCheckMatcher,
                interval: 15,
                timeout: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 3,
            },
            stickiness: s.stickinessSeconds !== undefined ? { enabled: true, type: "lb_cookie", cookieDuration: s.stickinessSeconds } : { enabled: false, type: "lb_cookie" },
            tags,
        },
        parent,
    );
    return { loadBalancer, targetGroup };
}

/** How the world reaches a web environment: listeners (and certificate) or the Elastic IP's record, and its URL. */
export interface EntryPoint {
    url: pulumi.Output<string>;
    listeners: aws.lb.Listener[];
    certificate?: aws.acm.Certificate;
    /** The hosted zone of the domain, when there is one. */
    zoneId?: pulumi.Input<string>;
}

/** The hosted zone of the environment's domain: its id, or looked up by name. */
function hostedZoneId(c: EnvironmentContext): pulumi.Input<string> | undefined {
    if (c.args.domain && c.args.hostedZoneName) {
        return aws.route53.getZoneOutput({ name: c.args.hostedZoneName, privateZone: false }, c.parent).zoneId;
    }
    return c.args.hostedZoneId;
}

/**
 * Behind a load balancer: with a domain, a DNS-validated certificate, HTTPS (the recommended TLS
 * policy) forwarding to the targets, HTTP redirecting to it, and alias records; without, HTTP on the
 * load balancer's own name. A single instance: an A record on its Elastic IP, or the address itself.
 */
export function buildEntryPoint(c: EnvironmentContext, target: { lb?: LoadBalancing; eip?: aws.ec2.Eip }): EntryPoint | undefined {
    const { name, tags, parent, args } = c;
    const zoneId = hostedZoneId(c);
    const lb = target.lb;
    if (lb) {
        const { loadBalancer: alb, targetGroup } = lb;
        if (args.domain && zoneId) {
            const certificate = new aws.acm.Certificate(`${name}-cert`, { domainName: args.domain, validationMethod: "DNS", tags }, parent);
            const option = certificate.domainValidationOptions.apply((o) => o[0]);
            const validationRecord = new aws.route53.Record(
                `${name}-cert-validation`,
                { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
                parent,
            );
            const validation = new aws.acm.CertificateValidation(`${name}-cert`, { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] }, parent);
            const http = new aws.lb.Listener(
                `${name}-http`,
                {
                    loadBalancerArn: alb.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                    tags,
                },
                parent,
            );
            const https = new aws.lb.Listener(
                `${name}-https`,
                {
                    loadBalancerArn: alb.arn,
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy: TLS_POLICY,
                    certificateArn: validation.certificateArn,
                    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                    tags,
                },
                parent,
            );
            // Behind CloudFront the domain's alias points at the distribution (see edge.ts) instead.
            for (const type of args.cdn ? [] : args.dualStack ? ["A", "AAAA"] : ["A"]) {
                new aws.route53.Record(
                    `${name}-alias-${type.toLowerCase()}`,
                    { zoneId, name: args.domain, type, aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                    parent,
                );
            }
            return { url: pulumi.output(`https://${args.domain}`), listeners: [http, https], certificate, zoneId };
        }
        // No domain: HTTP only, on the load balancer's own name.
        const http = new aws.lb.Listener(
            `${name}-http`,
            { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }], tags },
            parent,
        );
        return { url: pulumi.interpolate`http://${alb.dnsName}`, listeners: [http] };
    }
    const eip = target.eip;
    if (!eip) return undefined;
    if (args.domain && zoneId) {
        // An Elastic IP is stable, so a plain A record with a short TTL is right here.
        new aws.route53.Record(`${name}-a`, { zoneId, name: args.domain, type: "A", ttl: 60, records: [eip.publicIp] }, parent);
        return { url: pulumi.output(`http://${args.domain}`), listeners: [] };
    }
    return { url: pulumi.interpolate`http://${eip.publicIp}`, listeners: [] };
}

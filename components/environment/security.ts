import * as aws from "@pulumi/aws";
import { allowEgressToWorld, allowFrom, allowFromPrefixList, allowWorld, newSecurityGroup, tcp } from "../security-groups";
import type { ServiceBinding } from "./args";
import type { EnvironmentContext } from "./context";
import { cloudFrontOriginFacingPrefixListId } from "./edge";

/**
 * The environment's security groups: every flow is a rule between groups; the world reaches only
 * 80/443 of an internet-facing group (the load balancer's, or a single web instance's, marked so).
 * A worker's instances take no inbound rule at all.
 */
export interface EnvironmentGroups {
    instances: aws.ec2.SecurityGroup;
    loadBalancer?: aws.ec2.SecurityGroup;
}

export function buildSecurityGroups(c: EnvironmentContext): EnvironmentGroups {
    const { name, s, web, ha, tags, parent } = c;
    const instances = newSecurityGroup(
        `${name}-instances`,
        {
            vpcId: c.args.network.vpcId,
            description: `${name} instances (${s.tier}, ${s.mode})`,
            // A single-instance web environment's instance faces the internet itself; the policy pack
            // accepts a world-open group only on load balancers and on groups marked so.
            tags: { ...tags, Name: `${name}-instances`, ...(web && !ha ? { "platform:exposure": "internet" } : {}) },
        },
        parent,
    );
    // HTTPS out (through NAT or the internet gateway) for S3, SSM, SQS, CloudWatch and package repositories.
    allowEgressToWorld(`${name}-instances-https-out`, { group: instances.id, ports: [443], description: "AWS APIs and package repositories over HTTPS", tags }, parent);
    if (web && ha) {
        const loadBalancer = newSecurityGroup(
            `${name}-alb`,
            { vpcId: c.args.network.vpcId, description: `${name} internet-facing load balancer`, tags: { ...tags, Name: `${name}-alb` } },
            parent,
        );
        if (c.args.cdn) {
            // Behind CloudFront: HTTPS from CloudFront's origin-facing addresses only. The list weighs
            // ~55 rules against the group's quota (60 by default), so it is referenced once, on 443.
            allowFromPrefixList(
                `${name}-alb-from-cloudfront`,
                { group: loadBalancer.id, prefixListId: cloudFrontOriginFacingPrefixListId(c), port: tcp(443), description: "HTTPS from CloudFront (origin-facing prefix list)", tags },
                parent,
            );
        } else {
            allowWorld(`${name}-alb-world`, { group: loadBalancer.id, ports: [80, 443], description: "HTTP and HTTPS from the internet", tags }, parent);
        }
        allowFrom(
            `${name}-alb-to-instances`,
            { target: instances.id, source: loadBalancer.id, port: tcp(s.port), description: `${name} load balancer to app port`, tags },
            parent,
        );
        return { instances, loadBalancer };
    }
    if (web) {
        allowWorld(`${name}-instances-world`, { group: instances.id, ports: [80, 443], description: "HTTP and HTTPS from the internet (single instance)", tags }, parent);
    }
    return { instances };
}

/** The chain to each backing service: the instances' group admitted on the service's port, the rule named after the service. */
export function chainToServices(c: EnvironmentContext, instances: aws.ec2.SecurityGroup, services: ServiceBinding[]): void {
    for (const svc of services) {
        allowFrom(
            `${c.name}-to-${svc.name}`,
            { target: svc.securityGroupId, source: instances.id, port: tcp(svc.port), description: `${c.name} instances to ${svc.name}`, tags: c.tags },
            c.parent,
        );
    }
}

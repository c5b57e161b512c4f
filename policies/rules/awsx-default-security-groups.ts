import type { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { bool, obj } from "../lib/values";

/**
 * awsx's ApplicationLoadBalancer and FargateService create, when given no security group, a default
 * group open on ALL ports to 0.0.0.0/0 (pulumi/pulumi-awsx#1286). Offline these components are one
 * opaque resource, so the rule reads their inputs with awsx's defaults; in a real preview their
 * children are visible and security-group-chaining judges the group itself.
 */
export const awsxDefaultSecurityGroups: StackValidationPolicy = {
    name: "awsx-default-security-groups",
    description: "awsx load balancers and Fargate services must be given a security group: awsx's default one is open on all ports to the world (pulumi/pulumi-awsx#1286).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const ix = StackIndex.of(args.resources);
        for (const lb of ix.ofType(T.awsxAlb)) {
            if (!ix.isOpaque(lb)) continue;
            const p = lb.props;
            const dsg = obj(p.defaultSecurityGroup);
            const given = Array.isArray(p.securityGroups) ? p.securityGroups.length > 0 : p.securityGroups !== undefined;
            if (!given && dsg.securityGroupId === undefined && bool(dsg.skip) !== true) {
                reportViolation(
                    `awsx ApplicationLoadBalancer '${lb.name}' gets no security group, so awsx creates one open on all ports to 0.0.0.0/0. Fix: pass securityGroups (a group admitting only 80/443) and defaultSecurityGroup: { skip: true }.`,
                    lb.urn,
                );
            }
        }
        for (const svc of ix.ofType(T.awsxFargateService)) {
            if (!ix.isOpaque(svc)) continue;
            const net = obj(svc.props.networkConfiguration);
            const groups = net.securityGroups;
            const given = Array.isArray(groups) ? groups.length > 0 : groups !== undefined;
            if (!given) {
                reportViolation(
                    `awsx FargateService '${svc.name}' gets no security group in networkConfiguration.securityGroups, so awsx creates one open on all ports to 0.0.0.0/0. Fix: pass a group that admits only its load balancer's group.`,
                    svc.urn,
                );
            }
        }
    },
};

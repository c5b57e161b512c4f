import type { StackValidationPolicy } from "@pulumi/policy";
import { GroupGraph, coversPort, describeSource } from "../lib/security-groups";
import { StackIndex } from "../lib/stack";
import { ADMIN_PORTS, judgedAsWorld } from "./security-group-chaining";

/**
 * No SSH (22) or RDP (3389) from the internet, in every shape a rule can take (inline ingress of a
 * group or of the VPC's default group, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule),
 * judged on ranges: all-traffic protocols ("-1", "all", any case), port ranges containing 22 or
 * 3389, ::/0, CIDR sets that together cover the internet, and prefix lists (their entries when the
 * program creates them; a list this program cannot see counts as the world on these ports).
 */
export const noAdminPortsFromWorld: StackValidationPolicy = {
    name: "no-admin-ports-from-world",
    description: "SSH (22) and RDP (3389) must not be open to the internet; use SSM Session Manager.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const graph = GroupGraph.of(StackIndex.of(args.resources));
        for (const rule of graph.rules) {
            if (rule.direction !== "ingress" || !judgedAsWorld(rule, graph)) continue;
            for (const port of ADMIN_PORTS) {
                if (coversPort(rule, port)) {
                    reportViolation(
                        `${rule.where} on group '${rule.group.name}' admits port ${port} from ${describeSource(rule.source)}${rule.source.kind === "cidr" && rule.world && rule.source.cidr.split("/")[1] !== "0" ? " (with the group's other CIDR rules, the whole internet)" : ""}; remove it and reach instances through SSM Session Manager.`,
                        rule.definedBy.urn,
                    );
                }
            }
        }
    },
};

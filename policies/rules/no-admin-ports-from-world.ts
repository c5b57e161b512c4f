import type { ResourceValidationPolicy } from "@pulumi/policy";
import { arr, obj, raw } from "../lib/values";

/** Ports that must never be reachable from the internet. */
const ADMIN_PORTS = [22, 3389];
const WORLD = ["0.0.0.0/0", "::/0"];

function coversPort(from: unknown, to: unknown, protocol: unknown, port: number): boolean {
    if (protocol === "-1" || protocol === "all") return true;
    const f = Number(from);
    const t = Number(to ?? from);
    return Number.isFinite(f) && Number.isFinite(t) && f <= port && port <= t;
}

/** No SSH or RDP from the world, in any of the three shapes a rule can take. */
export const noAdminPortsFromWorld: ResourceValidationPolicy = {
    name: "no-admin-ports-from-world",
    description: "SSH (22) and RDP (3389) must not be open to the internet; use SSM Session Manager.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const check = (cidrs: unknown[], from: unknown, to: unknown, protocol: unknown, where: string) => {
            if (!cidrs.some((c) => typeof c === "string" && WORLD.includes(c))) return;
            for (const port of ADMIN_PORTS) {
                if (coversPort(from, to, protocol, port)) {
                    reportViolation(`${where} admits port ${port} from ${cidrs.join(", ")}; remove it and reach instances through SSM Session Manager.`);
                }
            }
        };
        // The raw inputs: an unknown value (a real preview) skips that value instead of the whole policy.
        const p = raw(args.props);
        switch (args.type) {
            case "aws:ec2/securityGroup:SecurityGroup":
                for (const [i, entry] of arr(p.ingress).entries()) {
                    const rule = obj(entry);
                    check([...arr(rule.cidrBlocks), ...arr(rule.ipv6CidrBlocks)], rule.fromPort, rule.toPort, rule.protocol, `ingress[${i}]`);
                }
                break;
            case "aws:ec2/securityGroupRule:SecurityGroupRule":
                if (p.type === "ingress") check([...arr(p.cidrBlocks), ...arr(p.ipv6CidrBlocks)], p.fromPort, p.toPort, p.protocol, "this rule");
                break;
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
                check([p.cidrIpv4, p.cidrIpv6].filter(Boolean), p.fromPort, p.toPort, p.ipProtocol, "this rule");
                break;
        }
    },
};

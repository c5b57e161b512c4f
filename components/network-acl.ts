import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ProblemCollector } from "./validation";

/**
 * Address blocking at the subnet level: a network ACL is the only layer that can *deny* (security
 * groups only allow), and it acts before the load balancer or a single instance sees a packet. The
 * ACL denies the listed IPv4 blocks and allows everything else both ways, so it changes nothing but
 * the blocks (NACLs are stateless: return traffic must be allowed too).
 */

/** Rules per network ACL and direction (VPC quotas, "Network ACLs": 20 by default); two are the allow-all rules. */
export const NACL_RULES_PER_DIRECTION = 20;
export const MAX_BLOCKED_CIDRS = NACL_RULES_PER_DIRECTION - 2;
/** NACL rule numbers are 1-32766, evaluated lowest first (VPC user guide, "Network ACL rules"). */
const FIRST_DENY = 100;
const ALLOW_ALL = 32000;

export interface BlockingNetworkAclArgs {
    vpcId: pulumi.Input<string>;
    /** The subnets it guards (the public subnets: load balancers and single instances). */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** IPv4 CIDR blocks denied inbound (at most 18). */
    blockIps: string[];
    tags?: Record<string, string>;
}

const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Validates the arguments, collecting every problem. Pure; exported for tests and the preflight. */
export function validateBlockingNetworkAcl(blockIps: string[]): ProblemCollector {
    const p = new ProblemCollector();
    p.check(blockIps.length > MAX_BLOCKED_CIDRS, "blockIps", `at most ${MAX_BLOCKED_CIDRS} blocks (a network ACL holds ${NACL_RULES_PER_DIRECTION} inbound rules by default, 2 are the allow rules); block larger ranges or use waf.blockIps`);
    for (const ip of blockIps) {
        const m = CIDR4.exec(ip);
        const ok = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) >= 1 && Number(m[5]) <= 32;
        p.check(!ok, "blockIps", `expected IPv4 CIDR blocks such as 203.0.113.0/24, got '${ip}'`);
    }
    p.check(new Set(blockIps).size !== blockIps.length, "blockIps", "a block is listed twice");
    return p;
}

/** The ACL's entries: a deny per block, then allow all (IPv4 and IPv6) in and out. Pure; exported for tests. */
export function blockingEntries(blockIps: string[]): { ingress: aws.types.input.ec2.NetworkAclIngress[]; egress: aws.types.input.ec2.NetworkAclEgress[] } {
    const all = { protocol: "-1", fromPort: 0, toPort: 0 };
    const allowAll = [
        { ...all, ruleNo: ALLOW_ALL, action: "allow", cidrBlock: "0.0.0.0/0" },
        { ...all, ruleNo: ALLOW_ALL + 1, action: "allow", ipv6CidrBlock: "::/0" },
    ];
    return {
        ingress: [...blockIps.map((cidrBlock, i) => ({ ...all, ruleNo: FIRST_DENY + i, action: "deny", cidrBlock })), ...allowAll],
        egress: allowAll,
    };
}

/** A network ACL on `subnetIds` denying `blockIps`. */
export function newBlockingNetworkAcl(name: string, args: BlockingNetworkAclArgs, opts?: pulumi.CustomResourceOptions): aws.ec2.NetworkAcl {
    validateBlockingNetworkAcl(args.blockIps).throwIfAny(`NetworkAcl '${name}'`);
    const { ingress, egress } = blockingEntries(args.blockIps);
    return new aws.ec2.NetworkAcl(name, { vpcId: args.vpcId, subnetIds: args.subnetIds, ingress, egress, tags: { ...args.tags, Name: name } }, opts);
}

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * The one way the platform chains tiers: every rule between two tiers references the other tier's
 * security group, never a CIDR, and writes both halves (ingress on the target, egress on the source),
 * in the spirit of AWS CDK's `Connections.allowFrom`. Groups are created with no inline rules, so the
 * AWS default "allow all egress" rule is removed and every permitted flow is a visible resource.
 */

/** A port or port range for one protocol, or all traffic. */
export type Port = { protocol: "tcp" | "udp"; from: number; to?: number } | "all";

export const tcp = (from: number, to?: number): Port => ({ protocol: "tcp", from, to: to ?? from });
export const udp = (from: number, to?: number): Port => ({ protocol: "udp", from, to: to ?? from });
export const allTraffic: Port = "all";

/** The rule arguments shared by ingress and egress rules for a port. Pure; exported for tests. */
export function portArgs(port: Port): { ipProtocol: string; fromPort?: number; toPort?: number } {
    if (port === "all") {
        return { ipProtocol: "-1" };
    }
    if (!Number.isInteger(port.from) || port.from < 0 || port.from > 65535) {
        throw new Error(`invalid port ${port.from}`);
    }
    const to = port.to ?? port.from;
    if (!Number.isInteger(to) || to < port.from || to > 65535) {
        throw new Error(`invalid port range ${port.from}-${to}`);
    }
    return { ipProtocol: port.protocol, fromPort: port.from, toPort: to };
}

/** Human form of a port for rule descriptions ("tcp/443", "tcp/1018-1023", "all traffic"). */
export function describePort(port: Port): string {
    if (port === "all") {
        return "all traffic";
    }
    const to = port.to ?? port.from;
    return to === port.from ? `${port.protocol}/${port.from}` : `${port.protocol}/${port.from}-${to}`;
}

export interface SecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** What the group protects; shown in the console. */
    description: string;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A security group with no inline rules: rules are added with {@link allowFrom} and friends. */
export function newSecurityGroup(name: string, args: SecurityGroupArgs, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: args.vpcId,
            description: args.description,
            revokeRulesOnDelete: true,
            tags: args.tags,
        },
        opts,
    );
}

export interface ChainArgs {
    /** The security group that receives the traffic. */
    target: pulumi.Input<string>;
    /** The security group the traffic comes from. */
    source: pulumi.Input<string>;
    port: Port;
    /** Why the flow exists, e.g. "app instances to PostgreSQL". */
    description: string;
    /** Tags of both rules (the owner's: application, environment, service). Defaults to none. */
    tags?: Record<string, string>;
}

/** A client of a component, named: rules admitting it are named after it, never after a list position. */
export interface Peer {
    /** Short name, part of rule names (`<target>-from-<peer>`): lowercase letters, digits, hyphens. */
    name: string;
    securityGroupId: pulumi.Input<string>;
}

/** A component clients connect to on a default port (the CDK's connectable with a default port). */
export interface Connectable {
    readonly securityGroupId: pulumi.Input<string>;
    readonly defaultPort: Port;
}

export interface Chain {
    ingress: aws.vpc.SecurityGroupIngressRule;
    egress: aws.vpc.SecurityGroupEgressRule;
}

/**
 * Admits `source` into `target` on `port`: an ingress rule on the target that references the source
 * group and the matching egress rule on the source that references the target group.
 * Children are named `${name}-in` and `${name}-out`.
 */
export function allowFrom(name: string, args: ChainArgs, opts: pulumi.CustomResourceOptions, formerName?: string): Chain {
    const rule = portArgs(args.port);
    // A rule renamed (e.g. from a list index to its peer's name) keeps its identity: updated in place, not replaced.
    const was = (suffix: string): pulumi.CustomResourceOptions => (formerName ? { ...opts, aliases: [{ name: `${formerName}-${suffix}` }] } : opts);
    const ingress = new aws.vpc.SecurityGroupIngressRule(
        `${name}-in`,
        {
            securityGroupId: args.target,
            referencedSecurityGroupId: args.source,
            description: args.description,
            ...rule,
            ...(args.tags ? { tags: args.tags } : {}),
        },
        was("in"),
    );
    const egress = new aws.vpc.SecurityGroupEgressRule(
        `${name}-out`,
        {
            securityGroupId: args.source,
            referencedSecurityGroupId: args.target,
            description: args.description,
            ...rule,
            ...(args.tags ? { tags: args.tags } : {}),
        },
        was("out"),
    );
    return { ingress, egress };
}

/**
 * Admits a peer into a connectable component on its default port; the rules are named
 * `${owner}-from-${peer.name}` (children `-in` and `-out`).
 */
export function allowDefaultPortFrom(
    owner: string,
    target: Connectable,
    peer: Peer,
    description: string,
    opts: pulumi.CustomResourceOptions,
    tags?: Record<string, string>,
): Chain {
    return allowFrom(`${owner}-from-${peer.name}`, { target: target.securityGroupId, source: peer.securityGroupId, port: target.defaultPort, description, tags }, opts);
}

/**
 * Lets members of `group` talk to each other on `port`, in and out (EFA needs all traffic; Lustre
 * needs 988 and 1018-1023). Children are named `${name}-in` and `${name}-out`.
 */
export function allowSelf(
    name: string,
    args: { group: pulumi.Input<string>; port: Port; description: string; tags?: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): Chain {
    return allowFrom(name, { target: args.group, source: args.group, port: args.port, description: args.description, tags: args.tags }, opts);
}

/**
 * Opens `group` to the internet on the given TCP ports, over IPv4 and IPv6. Only for internet-facing
 * load balancers and single-instance web environments; the policy pack rejects it anywhere else.
 * Children are named `${name}-<port>-ipv4` and `${name}-<port>-ipv6`.
 */
export function allowWorld(
    name: string,
    args: { group: pulumi.Input<string>; ports: number[]; description: string; tags?: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule[] {
    const rules: aws.vpc.SecurityGroupIngressRule[] = [];
    for (const port of args.ports) {
        const rule = portArgs(tcp(port));
        for (const [family, cidr] of [
            ["ipv4", { cidrIpv4: "0.0.0.0/0" }],
            ["ipv6", { cidrIpv6: "::/0" }],
        ] as const) {
            rules.push(
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-${port}-${family}`,
                    { securityGroupId: args.group, description: args.description, ...rule, ...cidr, ...(args.tags ? { tags: args.tags } : {}) },
                    opts,
                ),
            );
        }
    }
    return rules;
}

/**
 * Opens `group` on one port to the addresses of a managed prefix list (e.g. CloudFront's
 * origin-facing list in front of a load balancer). A list counts its entries against the group's
 * rule quota, so it is referenced once per port. The child is named `name`.
 */
export function allowFromPrefixList(
    name: string,
    args: { group: pulumi.Input<string>; prefixListId: pulumi.Input<string>; port: Port; description: string; tags?: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
        name,
        { securityGroupId: args.group, prefixListId: args.prefixListId, description: args.description, ...portArgs(args.port), ...(args.tags ? { tags: args.tags } : {}) },
        opts,
    );
}

/**
 * Lets `group` reach the internet (through NAT) on the given TCP ports, e.g. 443 for package
 * repositories, SSM and other AWS APIs. Egress only: nothing from the internet can come in.
 * Children are named `${name}-<port>`.
 */
export function allowEgressToWorld(
    name: string,
    args: { group: pulumi.Input<string>; ports: number[]; description: string; tags?: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupEgressRule[] {
    return args.ports.map(
        (port) =>
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-${port}`,
                { securityGroupId: args.group, description: args.description, cidrIpv4: "0.0.0.0/0", ...portArgs(tcp(port)), ...(args.tags ? { tags: args.tags } : {}) },
                opts,
            ),
    );
}

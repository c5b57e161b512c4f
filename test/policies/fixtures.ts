import { Props, Spec, SpecOf, Token, U } from "./support";

/** Type tokens used by the fixtures. */
export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const SGR = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const LB = "aws:lb/loadBalancer:LoadBalancer";
export const LT = "aws:ec2/launchTemplate:LaunchTemplate";
export const ASG = "aws:autoscaling/group:Group";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_MEMBER = "aws:rds/clusterInstance:ClusterInstance";
export const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
export const EFS = "aws:efs/fileSystem:FileSystem";
export const MT = "aws:efs/mountTarget:MountTarget";

export type Mode = "known" | "unknown";

/**
 * A value that refers to resource `name`: its id when ids are known (offline, `pulumi up`), the
 * unknown sentinel in a real preview. Either way the property's dependencies name the resource.
 */
export const ref = (mode: Mode, name: string) => (mode === "known" ? `id-${name}` : U);

/** An ingress rule in the aws.vpc shape from a group, with its dependencies. */
export function fromGroup(mode: Mode, name: string, target: string, source: string, port: number | "all"): Spec {
    return {
        type: IN,
        name,
        props: {
            securityGroupId: ref(mode, target),
            referencedSecurityGroupId: ref(mode, source),
            ...(port === "all" ? { ipProtocol: "-1" } : { ipProtocol: "tcp", fromPort: port, toPort: port }),
        },
        deps: { securityGroupId: [target], referencedSecurityGroupId: [source] },
    };
}

export function fromCidr(mode: Mode, name: string, target: string, cidr: string, port: number): Spec {
    return {
        type: IN,
        name,
        props: { securityGroupId: ref(mode, target), [cidr.includes(":") ? "cidrIpv6" : "cidrIpv4"]: cidr, ipProtocol: "tcp", fromPort: port, toPort: port },
        deps: { securityGroupId: [target] },
    };
}

/**
 * The platform's three-tier shape: an internet-facing ALB open on 80/443, app instances admitting
 * only the ALB's group, and Aurora, Redis and EFS admitting only the app group. In known-id mode the
 * users (LB, launch template, database...) carry ids WITHOUT property dependencies, so the graph must
 * resolve them by the ids learned from the rules; in unknown mode they carry only dependencies.
 */
export function threeTier(mode: Mode): Spec[] {
    const users = (prop: string, groups: string[]) =>
        mode === "known" ? { props: { [prop]: groups.map((g) => ref(mode, g)) }, deps: {} } : { props: { [prop]: groups.map(() => U) }, deps: { [prop]: groups } };
    const use = <T extends Token>(type: T, name: string, prop: keyof Props<T> & string, groups: string[], extra?: Props<T>): SpecOf<T> => {
        const u = users(prop, groups);
        // `prop` and `extra` are checked against T at each call; only their generic merge needs the assertion.
        return { type, name, props: { ...u.props, ...extra } as Props<T>, deps: u.deps as SpecOf<T>["deps"] };
    };
    return [
        ...["alb", "app", "db", "cache", "efs"].map((n): Spec => ({ type: SG, name: n, props: { vpcId: "vpc-1", description: n, revokeRulesOnDelete: true } })),
        fromCidr(mode, "alb-80-v4", "alb", "0.0.0.0/0", 80),
        fromCidr(mode, "alb-80-v6", "alb", "::/0", 80),
        fromCidr(mode, "alb-443-v4", "alb", "0.0.0.0/0", 443),
        fromCidr(mode, "alb-443-v6", "alb", "::/0", 443),
        fromGroup(mode, "alb-to-app", "app", "alb", 8080),
        fromGroup(mode, "app-to-db", "db", "app", 5432),
        fromGroup(mode, "app-to-cache", "cache", "app", 6379),
        fromGroup(mode, "app-to-efs", "efs", "app", 2049),
        use(LB, "web-alb", "securityGroups", ["alb"], { loadBalancerType: "application", internal: false, subnets: ["subnet-a", "subnet-b", "subnet-c"] }),
        use(LT, "web-lt", "vpcSecurityGroupIds", ["app"], { metadataOptions: { httpTokens: "required" } }),
        use(RDS_CLUSTER, "db-cluster", "vpcSecurityGroupIds", ["db"], { engine: "aurora-postgresql", storageEncrypted: true }),
        use(REDIS, "sessions", "securityGroupIds", ["cache"], { engine: "redis", atRestEncryptionEnabled: true, automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2 }),
        use(MT, "files-a", "securityGroups", ["efs"], { fileSystemId: "fs-1", subnetId: "subnet-a" }),
    ];
}

/** Replaces (by name) or adds specs. */
export function withSpecs(base: Spec[], ...changes: Spec[]): Spec[] {
    const out = base.filter((b) => !changes.some((c) => c.name === b.name));
    return [...out, ...changes];
}

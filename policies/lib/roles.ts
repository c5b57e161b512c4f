import { bool, Props, str } from "./values";

/**
 * The tier a resource puts its security groups in, derived from its type's service (the module of
 * its type token), not from a list of resource types: every RDS/DocumentDB/Neptune/Redshift resource
 * is a database, every ElastiCache/MemoryDB/DAX one a cache, and so on; anything else that carries
 * a group and is not a load balancer or a network endpoint runs application code.
 *
 * Tier order: internet → load balancer → application → data.
 */
export type Role =
    | "lb-internet"
    | "lb-internal"
    | "instance"
    | "database"
    | "proxy"
    | "cache"
    | "efs"
    | "lustre"
    | "file-system"
    | "search"
    | "streaming"
    | "broker"
    | "other";

/** Data-tier roles: databases, the proxies in front of them, caches, file systems, search, streaming, warehouses, brokers. */
export const DATA_ROLES: Role[] = ["database", "proxy", "cache", "efs", "lustre", "file-system", "search", "streaming", "broker"];

export type Tier = "none" | "lb" | "app" | "data" | "default";

/** Service module → data role (`aws:<module>/<name>:<Name>`). */
const DATA_MODULES: Record<string, Role> = {
    rds: "database",
    docdb: "database",
    docdbelastic: "database",
    neptune: "database",
    redshift: "database",
    redshiftserverless: "database",
    timestreaminfluxdb: "database",
    elasticache: "cache",
    memorydb: "cache",
    dax: "cache",
    efs: "efs",
    fsx: "file-system",
    opensearch: "search",
    elasticsearch: "search",
    msk: "streaming",
    mq: "broker",
};

/** Services whose groups guard network endpoints, not application code. */
const ENDPOINT_MODULES = new Set(["route53", "ec2clientvpn", "networkfirewall", "verifiedaccess", "transfer"]);

export const isLoadBalancerType = (type: string): boolean =>
    /^aws:(lb|alb|elb|elasticloadbalancing|elasticloadbalancingv2)\/loadBalancer:LoadBalancer$/.test(type) || type === "awsx:lb:ApplicationLoadBalancer" || type === "awsx:lb:NetworkLoadBalancer";

/** Whether a type defines groups or their rules (not a user of a group). */
export function isSecurityGroupType(type: string): boolean {
    if (type === "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment") return false;
    return /SecurityGroup|ManagedPrefixList/.test(type.split(":").pop() ?? "") || /^aws:(ec2|vpc)\/securityGroup/.test(type);
}

/** The module of a type token: `aws:rds/proxy:Proxy` → `rds`. */
const moduleOf = (type: string): string => (type.split(":")[1] ?? "").split("/")[0].toLowerCase();

export function roleOf(type: string, props: Props): Role {
    if (isLoadBalancerType(type)) return bool(props.internal) === true || str(props.scheme) === "internal" ? "lb-internal" : "lb-internet";
    const mod = moduleOf(type);
    if (type.startsWith("aws:rds/proxy")) return "proxy";
    if (type === "aws:fsx/lustreFileSystem:LustreFileSystem") return "lustre";
    const data = DATA_MODULES[mod];
    if (data) return data;
    if (type === "aws:ec2/vpcEndpoint:VpcEndpoint" || type === "aws:vpc/endpoint:Endpoint" || ENDPOINT_MODULES.has(mod)) return "other";
    return "instance";
}

const RANK: Record<Tier, number> = { none: 0, default: 1, lb: 2, app: 3, data: 4 };

/** The innermost tier among a group's users (data > application > load balancer); `default` for a VPC's default group with no data user. */
export function tierOf(roles: Set<Role>, isDefault = false): Tier {
    let tier: Tier = isDefault ? "default" : "none";
    const raise = (t: Tier) => {
        if (RANK[t] > RANK[tier]) tier = t;
    };
    for (const r of roles) {
        if (DATA_ROLES.includes(r)) raise("data");
        else if (r === "instance") raise("app");
        else if (r === "lb-internet" || r === "lb-internal") raise("lb");
    }
    return tier;
}

/**
 * Synthetic stacks for the policy benchmark: a realistic mix (groups, rules in all three shapes,
 * ALBs and listeners, launch templates, ASGs, Aurora, RDS, Redis, EFS), half with known ids and half
 * with unknown ids + propertyDependencies, as in a real preview.
 */
import { AnalyzedResource } from "../plan/policy-pack";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function syntheticStack(size: number, stack = "prod"): AnalyzedResource[] {
    const out: AnalyzedResource[] = [];
    const add = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): string => {
        const urn = `urn:pulumi:${stack}::bench::${type}::${name}`;
        out.push({ urn, type, name, serializedInputs: props, options: { protect: true }, parent: null, provider: null, dependencies: [...new Set(Object.values(deps).flat())], propertyDependencies: deps, id: null, custom: true });
        return urn;
    };
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    for (let u = 0; out.length < size; u++) {
        const known = u % 2 === 0;
        const id = (kind: string, n: string) => (known ? `${kind}-${u}-${n}` : UNKNOWN);
        const subnets = azs.map((az, i) => add("aws:ec2/subnet:Subnet", `u${u}-subnet-${i}`, { vpcId: "vpc-1", availabilityZone: az, cidrBlock: `10.${u % 250}.${i}.0/24` }));
        const sg: Record<string, string> = {};
        for (const g of ["alb", "app", "db", "cache", "efs"]) sg[g] = add("aws:ec2/securityGroup:SecurityGroup", `u${u}-${g}`, { vpcId: "vpc-1", description: g });
        const ingress = (name: string, target: string, source: string, port: number) =>
            add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `u${u}-${name}`, { securityGroupId: id("sg", target), referencedSecurityGroupId: id("sg", source), ipProtocol: "tcp", fromPort: port, toPort: port }, { securityGroupId: [sg[target]], referencedSecurityGroupId: [sg[source]] });
        for (const port of [80, 443]) {
            add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `u${u}-alb-${port}`, { securityGroupId: id("sg", "alb"), cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port }, { securityGroupId: [sg.alb] });
        }
        ingress("alb-app", "app", "alb", 8080);
        add("aws:ec2/securityGroupRule:SecurityGroupRule", `u${u}-app-db`, { type: "ingress", securityGroupId: id("sg", "db"), sourceSecurityGroupId: id("sg", "app"), protocol: "tcp", fromPort: 5432, toPort: 5432 }, { securityGroupId: [sg.db], sourceSecurityGroupId: [sg.app] });
        ingress("app-cache", "cache", "app", 6379);
        ingress("app-efs", "efs", "app", 2049);
        add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", `u${u}-app-out`, { securityGroupId: id("sg", "app"), cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }, { securityGroupId: [sg.app] });
        const lb = add("aws:lb/loadBalancer:LoadBalancer", `u${u}-alb`, { loadBalancerType: "application", securityGroups: [id("sg", "alb")], subnets: azs.map((_a, i) => id("subnet", String(i))) }, { securityGroups: [sg.alb], subnets: subnets });
        add(u % 3 === 0 ? "aws:alb/listener:Listener" : "aws:lb/listener:Listener", `u${u}-http`, { loadBalancerArn: UNKNOWN, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] }, { loadBalancerArn: [lb] });
        const lt = add("aws:ec2/launchTemplate:LaunchTemplate", `u${u}-lt`, { vpcSecurityGroupIds: [id("sg", "app")], metadataOptions: { httpTokens: "required" }, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }, { vpcSecurityGroupIds: [sg.app] });
        add("aws:autoscaling/group:Group", `u${u}-asg`, { maxSize: 6, minSize: 3, launchTemplate: { id: UNKNOWN, version: "$Latest" }, vpcZoneIdentifiers: azs.map(() => UNKNOWN) }, { launchTemplate: [lt], vpcZoneIdentifiers: subnets });
        const protect = { deletionProtection: true, backupRetentionPeriod: 14, finalSnapshotIdentifier: `u${u}-final`, storageEncrypted: true };
        if (u % 2 === 0) {
            const cluster = add("aws:rds/cluster:Cluster", `u${u}-aurora`, { engine: "aurora-postgresql", vpcSecurityGroupIds: [id("sg", "db")], ...protect }, { vpcSecurityGroupIds: [sg.db] });
            for (const az of azs.slice(0, 2)) add("aws:rds/clusterInstance:ClusterInstance", `u${u}-aurora-${az}`, { clusterIdentifier: UNKNOWN, availabilityZone: az, instanceClass: "db.r6g.large" }, { clusterIdentifier: [cluster] });
        } else {
            add("aws:rds/instance:Instance", `u${u}-pg`, { engine: "postgres", multiAz: true, vpcSecurityGroupIds: [id("sg", "db")], ...protect }, { vpcSecurityGroupIds: [sg.db] });
        }
        add("aws:elasticache/replicationGroup:ReplicationGroup", `u${u}-redis`, { engine: "redis", numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true, atRestEncryptionEnabled: true, securityGroupIds: [id("sg", "cache")] }, { securityGroupIds: [sg.cache] });
        const fsUrn = add("aws:efs/fileSystem:FileSystem", `u${u}-efs`, { encrypted: true });
        subnets.forEach((s, i) => add("aws:efs/mountTarget:MountTarget", `u${u}-mt-${i}`, { fileSystemId: UNKNOWN, subnetId: UNKNOWN, securityGroups: [id("sg", "efs")] }, { fileSystemId: [fsUrn], subnetId: [s], securityGroups: [sg.efs] }));
        add("aws:sqs/queue:Queue", `u${u}-jobs`, { sqsManagedSseEnabled: true });
    }
    return out.slice(0, size);
}

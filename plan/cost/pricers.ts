import { PlanIndex, PlanResourceLike, Props, arr, listOf, num, obj, str } from "../references";
import { PriceTable } from "./table";

/**
 * How each priced AWS resource type costs per month, from its inputs only: a small pure function per
 * type that names the price keys it needs and the quantities the plan fixes. Usage-driven charges are
 * named in USAGE, never priced.
 */

export interface Charge {
    /** Price key (prices.ts). */
    key: string;
    region: string;
    /** How many units of the key's unit per month (hours are multiplied in by the estimator). */
    quantity: number;
    /** What the quantity is, for the basis text: "3 × t3.small". */
    what: string;
}

export interface Pricing {
    charges: Charge[];
    /** Something the plan does not fix that would change this resource's cost (size from the AMI, …). */
    notes?: string[];
    /** The resource's cost could not be modelled at all (unknown instance type, …). */
    unknown?: string;
}

export interface PriceContext {
    ix: PlanIndex;
    region: string;
    table: PriceTable;
}

type Pricer = (r: PlanResourceLike, ctx: PriceContext) => Pricing;

const ENGINE: Record<string, string> = {
    mysql: "mysql",
    postgres: "postgres",
    mariadb: "mariadb",
    "aurora-mysql": "aurora-mysql",
    "aurora-postgresql": "aurora-postgresql",
    aurora: "aurora-mysql",
};

/** EBS volumes from launch-template `blockDeviceMappings`, instance `rootBlockDevice`/`ebsBlockDevices`. */
function volumes(p: Props, perInstance: number, region: string): { charges: Charge[]; notes: string[] } {
    const charges: Charge[] = [];
    const notes: string[] = [];
    const add = (ebs: Props, where: string) => {
        const size = num(ebs.volumeSize);
        const type = str(ebs.volumeType) ?? "gp3";
        if (size === undefined) {
            notes.push(`${where} size comes from the AMI (not estimated)`);
            return;
        }
        if (perInstance > 0) charges.push({ key: `ebs:${type}:storage`, region, quantity: size * perInstance, what: `${perInstance} × ${size} GB ${type}` });
    };
    for (const m of arr(p.blockDeviceMappings)) if (obj(m).ebs) add(obj(obj(m).ebs), `volume ${str(obj(m).deviceName) ?? ""}`.trim());
    if (p.rootBlockDevice) add(obj(p.rootBlockDevice), "root volume");
    for (const d of arr(p.ebsBlockDevices)) add(obj(d), `volume ${str(obj(d).deviceName) ?? ""}`.trim());
    return { charges, notes };
}

const isLaunchTemplate = (r: PlanResourceLike) => r.type === "aws:ec2/launchTemplate:LaunchTemplate";

function autoScalingGroup(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const p = r.inputs;
    const count = num(p.desiredCapacity) ?? num(p.minSize) ?? 0;
    const countWhat = num(p.desiredCapacity) !== undefined ? "desired capacity" : "minimum size";
    const mixed = obj(obj(p.mixedInstancesPolicy).launchTemplate);
    const spec = p.launchTemplate !== undefined ? obj(p.launchTemplate) : obj(mixed.launchTemplateSpecification);
    const prop = p.launchTemplate !== undefined ? "launchTemplate" : "mixedInstancesPolicy";
    const refs = [spec.id, spec.launchTemplateId, spec.name, spec.launchTemplateName].filter((v) => v !== undefined);
    const [lt] = ctx.ix.resolve(r, prop, refs, isLaunchTemplate);
    const override = str(obj(arr(mixed.overrides)[0]).instanceType);
    const type = override ?? (lt ? str(lt.inputs.instanceType) : undefined);
    if (!type) return { charges: [], unknown: "instance type unknown (launch template not found in the plan)" };
    const region = ctx.ix.regionOf(r) ?? ctx.region;
    const vols = lt ? volumes(lt.inputs, count, region) : { charges: [], notes: [] };
    const max = num(p.maxSize);
    const notes = [...vols.notes];
    if (max !== undefined && max > count) notes.push(`scales up to ${max} instances`);
    return {
        charges: [{ key: `ec2:instance:${type}`, region, quantity: count, what: `${count} × ${type} (${countWhat})` }, ...vols.charges],
        notes,
    };
}

function instance(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const type = str(r.inputs.instanceType);
    if (!type) return { charges: [], unknown: "instance type unknown" };
    const region = ctx.ix.regionOf(r) ?? ctx.region;
    const vols = volumes(r.inputs, 1, region);
    return { charges: [{ key: `ec2:instance:${type}`, region, quantity: 1, what: `1 × ${type}` }, ...vols.charges], notes: vols.notes };
}

function loadBalancer(kind: string | undefined) {
    return (r: PlanResourceLike, ctx: PriceContext): Pricing => {
        const type = kind ?? str(r.inputs.loadBalancerType) ?? "application";
        return { charges: [{ key: `elb:${type}:hour`, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: 1, what: `1 ${type} load balancer` }] };
    };
}

/** `awsx.ec2.Vpc`: NAT gateways from its strategy and AZs (as awsx builds them), each with an Elastic IP. */
function awsxVpc(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const p = r.inputs;
    const zones = arr(p.availabilityZoneNames).length || num(p.numberOfAvailabilityZones) || 3;
    const specs = arr(p.subnetSpecs);
    const hasPublic = specs.length === 0 || specs.some((s) => str(obj(s).type)?.toLowerCase() === "public");
    const strategy = str(obj(p.natGateways).strategy) ?? "OnePerAz";
    const nats = !hasPublic || strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
    const provided = arr(obj(p.natGateways).elasticIpAllocationIds).length;
    const region = ctx.ix.regionOf(r) ?? ctx.region;
    const charges: Charge[] = [{ key: "vpc:nat-gateway:hour", region, quantity: nats, what: `${nats} NAT gateway${nats === 1 ? "" : "s"} (${strategy}, ${zones} AZs)` }];
    if (provided === 0 && nats > 0) charges.push({ key: "vpc:public-ipv4:hour", region, quantity: nats, what: `${nats} Elastic IP${nats === 1 ? "" : "s"}` });
    return { charges };
}

function rdsInstance(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const p = r.inputs;
    const cls = str(p.instanceClass);
    const isInstance = (x: PlanResourceLike) => x.type === r.type;
    // A read replica inherits engine and storage from its source.
    const [source] = p.replicateSourceDb !== undefined || (r.propertyDependencies.replicateSourceDb?.length ?? 0) > 0 ? ctx.ix.resolve(r, "replicateSourceDb", [p.replicateSourceDb], isInstance) : [];
    const engine = ENGINE[str(p.engine) ?? str(source?.inputs.engine) ?? ""];
    if (!cls || !engine) return { charges: [], unknown: `${!cls ? "instance class" : "engine"} unknown` };
    const region = ctx.ix.regionOf(r) ?? ctx.region;
    const multiAz = p.multiAz === true || p.multiAz === "true";
    const copies = multiAz ? 2 : 1;
    const how = multiAz ? " (Multi-AZ: primary and standby)" : "";
    const charges: Charge[] = [{ key: `rds:instance:${engine}:${cls}`, region, quantity: copies, what: `${copies} × ${cls} ${engine}${how}` }];
    const storage = num(p.allocatedStorage) ?? num(source?.inputs.allocatedStorage);
    const storageType = str(p.storageType) ?? str(source?.inputs.storageType) ?? "gp2";
    const notes: string[] = [];
    if (storage !== undefined) charges.push({ key: `rds:storage:${storageType}`, region, quantity: storage * copies, what: `${copies} × ${storage} GB ${storageType}` });
    else notes.push("allocated storage not in the plan");
    if (num(p.maxAllocatedStorage) !== undefined) notes.push(`storage autoscales up to ${num(p.maxAllocatedStorage)} GB`);
    return { charges, notes };
}

function clusterInstance(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const cls = str(r.inputs.instanceClass);
    const engine = ENGINE[str(r.inputs.engine) ?? ""];
    if (!cls || !engine) return { charges: [], unknown: `${!cls ? "instance class" : "engine"} unknown` };
    if (cls === "db.serverless") return { charges: [], unknown: "Aurora Serverless capacity (ACUs) is usage-driven" };
    return { charges: [{ key: `rds:instance:${engine}:${cls}`, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: 1, what: `1 × ${cls} ${engine}` }] };
}

function cacheNodes(count: (p: Props) => number) {
    return (r: PlanResourceLike, ctx: PriceContext): Pricing => {
        const type = str(r.inputs.nodeType);
        if (!type) return { charges: [], unknown: "node type unknown" };
        const engine = str(r.inputs.engine) ?? "redis";
        const n = count(r.inputs);
        return { charges: [{ key: `elasticache:node:${engine}:${type}`, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: n, what: `${n} × ${type} ${engine}` }] };
    };
}

function lustre(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const p = r.inputs;
    const capacity = num(p.storageCapacity);
    const deployment = str(p.deploymentType) ?? "SCRATCH_1";
    const storageType = str(p.storageType) ?? "SSD";
    const throughput = num(p.perUnitStorageThroughput);
    if (capacity === undefined) return { charges: [], unknown: "storage capacity unknown" };
    const key = `fsx:lustre:${deployment}:${storageType}${throughput !== undefined ? `:${throughput}` : ""}`;
    const what = `${capacity} GiB ${deployment} ${storageType}${throughput !== undefined ? ` at ${throughput} MB/s/TiB` : ""}`;
    const notes = str(obj(p.metadataConfiguration).mode) === "USER_PROVISIONED" ? ["provisioned metadata IOPS not estimated"] : [];
    return { charges: [{ key, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: capacity, what }], notes };
}

function secret(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const charges: Charge[] = [{ key: "secretsmanager:secret:month", region: ctx.ix.regionOf(r) ?? ctx.region, quantity: 1, what: "1 secret" }];
    for (const replica of listOf(r.inputs.replicas)) {
        const region = str(obj(replica).region);
        if (region) charges.push({ key: "secretsmanager:secret:month", region, quantity: 1, what: `1 replica in ${region}` });
    }
    return { charges };
}

function alarm(r: PlanResourceLike, ctx: PriceContext): Pricing {
    const p = r.inputs;
    const queries = arr(p.metricQueries);
    const metrics = queries.length > 0 ? queries.filter((q) => obj(q).metric !== undefined).length || 1 : 1;
    const periods = [num(p.period), ...queries.map((q) => num(obj(obj(q).metric).period))].filter((v): v is number => v !== undefined);
    const high = periods.some((s) => s < 60);
    const kind = high ? "high-resolution" : "standard";
    return { charges: [{ key: `cloudwatch:alarm:${kind}:month`, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: metrics, what: `${metrics} ${kind} alarm metric${metrics === 1 ? "" : "s"}` }] };
}

const monthly = (key: string, what: string): Pricer => (r, ctx) => ({ charges: [{ key, region: ctx.ix.regionOf(r) ?? ctx.region, quantity: 1, what }] });

export const PRICERS: Record<string, Pricer> = {
    "aws:autoscaling/group:Group": autoScalingGroup,
    "aws:ec2/instance:Instance": instance,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer(undefined),
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer(undefined),
    "awsx:lb:ApplicationLoadBalancer": loadBalancer("application"),
    "awsx:lb:NetworkLoadBalancer": loadBalancer("network"),
    "aws:ec2/natGateway:NatGateway": monthly("vpc:nat-gateway:hour", "1 NAT gateway"),
    "awsx:ec2:Vpc": awsxVpc,
    "aws:ec2/eip:Eip": monthly("vpc:public-ipv4:hour", "1 public IPv4 address"),
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/clusterInstance:ClusterInstance": clusterInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": cacheNodes(
        (p) => num(p.numCacheClusters) ?? (num(p.numNodeGroups) ?? 1) * (1 + (num(p.replicasPerNodeGroup) ?? 0)),
    ),
    "aws:elasticache/cluster:Cluster": cacheNodes((p) => num(p.numCacheNodes) ?? 1),
    "aws:fsx/lustreFileSystem:LustreFileSystem": lustre,
    "aws:kms/key:Key": monthly("kms:key:month", "1 KMS key"),
    "aws:kms/replicaKey:ReplicaKey": monthly("kms:key:month", "1 KMS replica key"),
    "aws:secretsmanager/secret:Secret": secret,
    "aws:cloudwatch/metricAlarm:MetricAlarm": alarm,
};

/** Charges that depend on usage the plan cannot know: listed per resource type, never priced. */
export const USAGE: Record<string, string> = {
    "aws:wafv2/webAcl:WebAcl": "the web ACL's and its rules' monthly fees and requests inspected: no price in the table yet, so not in the total",
    "aws:cloudfront/distribution:Distribution": "CloudFront requests and data transfer out (per GB, by price class)",
    "aws:sns/topic:Topic": "SNS publishes and deliveries (per million requests)",
    "aws:scheduler/schedule:Schedule": "EventBridge Scheduler invocations beyond the monthly free tier",
    "aws:s3/bucketObjectv2:BucketObjectv2": "S3 storage of the object and its versions (GB-month)",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer capacity units (connections, bytes, rule evaluations) and public IPv4 addresses of internet-facing load balancers",
    "aws:alb/loadBalancer:LoadBalancer": "load balancer capacity units and public IPv4 addresses of internet-facing load balancers",
    "awsx:ec2:Vpc": "NAT gateway data processing (per GB)",
    "aws:ec2/natGateway:NatGateway": "NAT gateway data processing (per GB)",
    "aws:autoscaling/group:Group": "instances above the desired capacity when scaling out; T-family surplus CPU credits",
    "aws:ec2/instance:Instance": "T-family surplus CPU credits; data transfer",
    "aws:rds/cluster:Cluster": "Aurora storage (GB stored), I/O requests and backup storage beyond the retention-free amount",
    "aws:rds/globalCluster:GlobalCluster": "Aurora Global Database replicated write I/Os and cross-region data transfer",
    "aws:rds/instance:Instance": "backup storage beyond the free amount; storage autoscaling",
    "aws:elasticache/replicationGroup:ReplicationGroup": "backup storage; data transfer between AZs",
    "aws:efs/fileSystem:FileSystem": "EFS storage (GB stored, by storage class) and elastic throughput (GB transferred)",
    "aws:fsx/lustreFileSystem:LustreFileSystem": "backups; data repository transfer",
    "aws:s3/bucket:Bucket": "S3 storage, requests and transfer",
    "aws:s3/bucketV2:BucketV2": "S3 storage, requests and transfer",
    "aws:sqs/queue:Queue": "SQS requests",
    "aws:cloudwatch/logGroup:LogGroup": "CloudWatch Logs ingestion and storage (no volume in the plan)",
    "aws:ec2/flowLog:FlowLog": "flow log delivery (as log ingestion)",
    "aws:kms/key:Key": "KMS requests; rotated key material ($1/month per rotation, first two rotations)",
    "aws:secretsmanager/secret:Secret": "Secrets Manager API calls",
    "aws:batch/computeEnvironment:ComputeEnvironment": "Batch instances launched for jobs (from the minimum vCPUs up)",
    "aws:route53/record:Record": "Route 53 queries",
    "aws:lambda/function:Function": "Lambda requests and duration",
};

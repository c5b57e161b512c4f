import { createHash } from "node:crypto";

/**
 * Mock answers shaped like AWS's: ids and ARNs of the right form per resource type, in the region of
 * the resource's provider, and the invokes programs commonly use. Deterministic: the same program and
 * stack always get the same ids, so plan JSON diffs cleanly between commits.
 */

export interface MockContext {
    accountId: string;
    /** The region of a provider reference (`urn::id`), or of the default provider when empty. */
    regionOf(providerRef: string | undefined): string;
}

export interface MockedResource {
    id: string;
    state: Record<string, unknown>;
    /** Values the mock invented (ids, ARNs, endpoints): used to trace references between resources. */
    generated: string[];
}

/** The value the SDK treats as unknown during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const seen = new Map<string, number>();

/** Resets the per-run counters (one plan per process in the CLI; tests run several). */
export function resetMockCounters(): void {
    seen.clear();
}

function hexFor(key: string, length: number): string {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha1").update(`${key}#${n}#${i}`).digest("hex");
    }
    return out.slice(0, length);
}

function uuidFrom(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** Region name → AZ suffixes, from EC2 DescribeAvailabilityZones (standard zones only). */
const regionZones: Record<string, string> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "ac",
    "us-west-2": "abcd",
    "ca-central-1": "abd",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-central-1": "abc",
    "eu-north-1": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-south-1": "abc",
    "sa-east-1": "abc",
};

/** `us-east-1` → `use1`, `ap-northeast-2` → `apne2` (the prefix of AZ ids and ElastiCache hosts). */
function regionShort(region: string): string {
    const [area, direction, n] = region.split("-");
    const dir = (direction ?? "").replace(/north/g, "n").replace(/south/g, "s").replace(/east/g, "e").replace(/west/g, "w").replace(/central/g, "c");
    return `${area}${dir}${n ?? ""}`;
}

export function availabilityZonesOf(region: string): { names: string[]; zoneIds: string[] } {
    const suffixes = regionZones[region] ?? "abc";
    const short = regionShort(region);
    return {
        names: [...suffixes].map((s) => `${region}${s}`),
        zoneIds: [...suffixes].map((_s, i) => `${short}-az${i + 1}`),
    };
}

/** ALB/NLB canonical hosted zone ids per region (Elastic Load Balancing endpoints table). */
const elbZoneIds: Record<string, string> = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
    "ap-northeast-2": "ZWKZPGTI48KDX",
};

const dbPorts: Record<string, number> = {
    "aurora-mysql": 3306,
    aurora: 3306,
    mysql: 3306,
    mariadb: 3306,
    "aurora-postgresql": 5432,
    postgres: 5432,
    "oracle-ee": 1521,
    "sqlserver-se": 1433,
};

/** Type token `aws:ec2/securityGroup:SecurityGroup` → `ec2/securityGroup`. */
function moduleResource(type: string): string {
    const parts = type.split(":");
    return parts.length === 3 ? parts[1] : type;
}

type Builder = (b: {
    name: string;
    inputs: Record<string, any>;
    region: string;
    account: string;
    hex: (n: number) => string;
    physical: () => string;
}) => { id: string; out?: Record<string, unknown> };

const ec2 = (prefix: string, kind: string): Builder => ({ region, account, hex }) => {
    const id = `${prefix}-${hex(17)}`;
    return { id, out: { arn: `arn:aws:ec2:${region}:${account}:${kind}/${id}` } };
};

/** Per-type answers. Anything not listed gets a generic name-based id and ARN. */
const builders: Record<string, Builder> = {
    "ec2/vpc": ec2("vpc", "vpc"),
    "ec2/subnet": ec2("subnet", "subnet"),
    "ec2/securityGroup": ec2("sg", "security-group"),
    "ec2/securityGroupRule": ({ hex }) => ({ id: `sgrule-${parseInt(hex(8), 16)}` }),
    "vpc/securityGroupIngressRule": ec2("sgr", "security-group-rule"),
    "vpc/securityGroupEgressRule": ec2("sgr", "security-group-rule"),
    "ec2/internetGateway": ec2("igw", "internet-gateway"),
    "ec2/natGateway": ec2("nat", "natgateway"),
    "ec2/routeTable": ec2("rtb", "route-table"),
    "ec2/networkInterface": ec2("eni", "network-interface"),
    "ec2/vpcEndpoint": ec2("vpce", "vpc-endpoint"),
    "ec2/flowLog": ec2("fl", "vpc-flow-log"),
    "ec2/instance": (b) => {
        const r = ec2("i", "instance")(b);
        const h = b.hex(4);
        return { id: r.id, out: { ...r.out, privateIp: `10.0.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2), 16) % 250 + 4}` } };
    },
    "ec2/launchTemplate": (b) => {
        const r = ec2("lt", "launch-template")(b);
        return { id: r.id, out: { ...r.out, latestVersion: 1, defaultVersion: 1 } };
    },
    "ec2/eip": ({ region, account, hex }) => {
        const id = `eipalloc-${hex(17)}`;
        const h = hex(2);
        return { id, out: { allocationId: id, publicIp: `203.0.113.${(parseInt(h, 16) % 250) + 1}`, arn: `arn:aws:ec2:${region}:${account}:elastic-ip/${id}` } };
    },
    "ec2/placementGroup": ({ inputs, region, account, hex, physical }) => {
        const id = str(inputs.name) ?? physical();
        return { id, out: { name: id, placementGroupId: `pg-${hex(17)}`, arn: `arn:aws:ec2:${region}:${account}:placement-group/${id}` } };
    },
    "lb/loadBalancer": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical().slice(0, 32);
        const kind = inputs.loadBalancerType === "network" ? "net" : inputs.loadBalancerType === "gateway" ? "gwy" : "app";
        const suffix = `${kind}/${name}/${hex(16)}`;
        const arn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${suffix}`;
        const internal = inputs.internal === true ? "internal-" : "";
        return {
            id: arn,
            out: {
                arn,
                arnSuffix: suffix,
                name,
                dnsName: `${internal}${name}-${parseInt(hex(8), 16)}.${region}.elb.amazonaws.com`,
                zoneId: elbZoneIds[region] ?? "Z35SXDOTRQ7X7K",
            },
        };
    },
    "lb/targetGroup": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical().slice(0, 32);
        const suffix = `targetgroup/${name}/${hex(16)}`;
        const arn = `arn:aws:elasticloadbalancing:${region}:${account}:${suffix}`;
        return { id: arn, out: { arn, arnSuffix: suffix, name } };
    },
    "lb/listener": ({ region, account, hex }) => {
        const arn = `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/offline/${hex(16)}/${hex(16)}`;
        return { id: arn, out: { arn } };
    },
    "lb/listenerRule": ({ region, account, hex }) => {
        const arn = `arn:aws:elasticloadbalancing:${region}:${account}:listener-rule/app/offline/${hex(16)}/${hex(16)}/${hex(16)}`;
        return { id: arn, out: { arn } };
    },
    "s3/bucket": ({ inputs, region, physical }) => {
        const bucket = str(inputs.bucket) ?? physical().toLowerCase();
        return {
            id: bucket,
            out: {
                bucket,
                arn: `arn:aws:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                region,
            },
        };
    },
    "s3/bucketObject": ({ inputs, hex }) => ({ id: String(inputs.key ?? "object"), out: { versionId: hex(32), etag: hex(32) } }),
    "s3/bucketObjectv2": ({ inputs, hex }) => ({ id: String(inputs.key ?? "object"), out: { versionId: hex(32), etag: hex(32) } }),
    "sqs/queue": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical() + (inputs.fifoQueue === true ? ".fifo" : "");
        const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
        return { id: url, out: { name, url, arn: `arn:aws:sqs:${region}:${account}:${name}` } };
    },
    "sns/topic": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        const arn = `arn:aws:sns:${region}:${account}:${name}`;
        return { id: arn, out: { name, arn } };
    },
    "iam/role": ({ inputs, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:iam::${account}:role/${name}`, uniqueId: `AROA${hex(17).toUpperCase()}` } };
    },
    "iam/instanceProfile": ({ inputs, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:iam::${account}:instance-profile/${name}` } };
    },
    "iam/policy": ({ inputs, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        const arn = `arn:aws:iam::${account}:policy/${name}`;
        return { id: arn, out: { name, arn } };
    },
    "iam/rolePolicy": ({ inputs, physical }) => ({ id: `${String(inputs.role ?? "role")}:${str(inputs.name) ?? physical()}` }),
    "iam/rolePolicyAttachment": ({ inputs, hex }) => ({ id: `${String(inputs.role ?? "role")}-${hex(20)}` }),
    "kms/key": ({ region, account, hex }) => {
        const keyId = uuidFrom(hex(32));
        return { id: keyId, out: { keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
    },
    "kms/alias": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? `alias/${physical()}`;
        return { id: name, out: { name, arn: `arn:aws:kms:${region}:${account}:${name}` } };
    },
    "kms/replicaKey": ({ region, account, hex }) => {
        const keyId = `mrk-${hex(32)}`;
        return { id: keyId, out: { keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
    },
    "rds/globalCluster": ({ inputs, account, hex, physical }) => {
        const id = str(inputs.globalClusterIdentifier) ?? physical();
        return { id, out: { arn: `arn:aws:rds::${account}:global-cluster:${id}`, globalClusterResourceId: `cluster-${hex(26).toUpperCase()}` } };
    },
    "rds/cluster": ({ inputs, region, account, hex, physical }) => {
        const id = str(inputs.clusterIdentifier) ?? physical().toLowerCase();
        const port = Number(inputs.port ?? dbPorts[String(inputs.engine)] ?? 3306);
        const host = `${hex(12)}.${region}.rds.amazonaws.com`;
        const out: Record<string, unknown> = {
            clusterIdentifier: id,
            arn: `arn:aws:rds:${region}:${account}:cluster:${id}`,
            endpoint: `${id}.cluster-${host}`,
            readerEndpoint: `${id}.cluster-ro-${host}`,
            port,
            clusterResourceId: `cluster-${hex(26).toUpperCase()}`,
        };
        if (inputs.manageMasterUserPassword === true) {
            out.masterUserSecrets = [{ secretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!cluster-${uuidFrom(hex(32))}-${hex(6)}`, secretStatus: "active" }];
        }
        return { id, out };
    },
    "rds/clusterInstance": ({ inputs, region, account, hex, physical }) => {
        const id = str(inputs.identifier) ?? physical().toLowerCase();
        return {
            id,
            out: {
                identifier: id,
                arn: `arn:aws:rds:${region}:${account}:db:${id}`,
                endpoint: `${id}.${hex(12)}.${region}.rds.amazonaws.com`,
                port: Number(dbPorts[String(inputs.engine)] ?? 3306),
                dbiResourceId: `db-${hex(26).toUpperCase()}`,
            },
        };
    },
    "rds/instance": ({ inputs, region, account, hex, physical }) => {
        const id = str(inputs.identifier) ?? physical().toLowerCase();
        const port = Number(inputs.port ?? dbPorts[String(inputs.engine)] ?? 3306);
        const address = `${id}.${hex(12)}.${region}.rds.amazonaws.com`;
        const out: Record<string, unknown> = {
            identifier: id,
            arn: `arn:aws:rds:${region}:${account}:db:${id}`,
            address,
            endpoint: `${address}:${port}`,
            port,
            resourceId: `db-${hex(26).toUpperCase()}`,
        };
        if (inputs.manageMasterUserPassword === true) {
            out.masterUserSecrets = [{ secretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-${uuidFrom(hex(32))}-${hex(6)}`, secretStatus: "active" }];
        }
        return { id, out };
    },
    "rds/subnetGroup": ({ inputs, region, account, physical }) => {
        const id = str(inputs.name) ?? physical().toLowerCase();
        return { id, out: { name: id, arn: `arn:aws:rds:${region}:${account}:subgrp:${id}` } };
    },
    "elasticache/replicationGroup": ({ inputs, region, account, hex, physical }) => {
        const id = str(inputs.replicationGroupId) ?? physical().toLowerCase().slice(0, 40);
        const host = `${id}.${hex(6)}.ng.0001.${regionShort(region)}.cache.amazonaws.com`;
        return {
            id,
            out: {
                arn: `arn:aws:elasticache:${region}:${account}:replicationgroup:${id}`,
                primaryEndpointAddress: `master.${host}`,
                readerEndpointAddress: `replica.${host}`,
                port: Number(inputs.port ?? 6379),
            },
        };
    },
    "elasticache/subnetGroup": ({ inputs, physical }) => {
        const id = str(inputs.name) ?? physical().toLowerCase();
        return { id, out: { name: id } };
    },
    "efs/fileSystem": ({ region, account, hex }) => {
        const id = `fs-${hex(17)}`;
        return { id, out: { arn: `arn:aws:elasticfilesystem:${region}:${account}:file-system/${id}`, dnsName: `${id}.efs.${region}.amazonaws.com` } };
    },
    "efs/mountTarget": ({ hex, region }) => ({ id: `fsmt-${hex(17)}`, out: { ipAddress: `10.0.${parseInt(hex(2), 16)}.10`, dnsName: `efs.${region}.amazonaws.com` } }),
    "efs/accessPoint": ({ region, account, hex }) => {
        const id = `fsap-${hex(17)}`;
        return { id, out: { arn: `arn:aws:elasticfilesystem:${region}:${account}:access-point/${id}` } };
    },
    "fsx/lustreFileSystem": ({ region, account, hex }) => {
        const id = `fs-${hex(17)}`;
        return {
            id,
            out: { arn: `arn:aws:fsx:${region}:${account}:file-system/${id}`, dnsName: `${id}.fsx.${region}.amazonaws.com`, mountName: hex(8) },
        };
    },
    "fsx/dataRepositoryAssociation": ({ region, account, hex }) => {
        const id = `dra-${hex(17)}`;
        return { id, out: { arn: `arn:aws:fsx:${region}:${account}:association/${id}` } };
    },
    "secretsmanager/secret": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical();
        const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${hex(6)}`;
        return { id: arn, out: { name, arn } };
    },
    "secretsmanager/secretVersion": ({ inputs, hex }) => ({ id: `${String(inputs.secretId)}|${uuidFrom(hex(32))}`, out: { versionId: uuidFrom(hex(32)) } }),
    "autoscaling/group": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:${uuidFrom(hex(32))}:autoScalingGroupName/${name}` } };
    },
    "autoscaling/policy": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical();
        return {
            id: name,
            out: { name, arn: `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${uuidFrom(hex(32))}:autoScalingGroupName/${String(inputs.autoscalingGroupName)}:policyName/${name}` },
        };
    },
    "cloudwatch/metricAlarm": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` } };
    },
    "cloudwatch/logGroup": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` } };
    },
    "appautoscaling/target": ({ inputs }) => ({ id: String(inputs.resourceId ?? "target") }),
    "appautoscaling/policy": ({ inputs, region, account, hex, physical }) => {
        const name = str(inputs.name) ?? physical();
        return { id: name, out: { name, arn: `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${uuidFrom(hex(32))}:resource/${String(inputs.serviceNamespace)}/${String(inputs.resourceId)}:policyName/${name}` } };
    },
    "batch/computeEnvironment": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? str(inputs.computeEnvironmentName) ?? physical();
        const arn = `arn:aws:batch:${region}:${account}:compute-environment/${name}`;
        return { id: arn, out: { name, arn, ecsClusterArn: `arn:aws:ecs:${region}:${account}:cluster/${name}` } };
    },
    "batch/jobQueue": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        const arn = `arn:aws:batch:${region}:${account}:job-queue/${name}`;
        return { id: arn, out: { name, arn } };
    },
    "batch/jobDefinition": ({ inputs, region, account, physical }) => {
        const name = str(inputs.name) ?? physical();
        const arn = `arn:aws:batch:${region}:${account}:job-definition/${name}:1`;
        return { id: arn, out: { name, arn, revision: 1, arnPrefix: `arn:aws:batch:${region}:${account}:job-definition/${name}` } };
    },
    "route53/zone": ({ inputs, hex }) => {
        const id = `Z${hex(20).toUpperCase()}`;
        return { id, out: { zoneId: id, nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"], name: inputs.name } };
    },
    "route53/record": ({ inputs }) => ({
        id: `${String(inputs.zoneId)}_${String(inputs.name)}_${String(inputs.type)}`,
        out: { fqdn: String(inputs.name) },
    }),
    "acm/certificate": ({ inputs, region, account, hex }) => {
        const arn = `arn:aws:acm:${region}:${account}:certificate/${uuidFrom(hex(32))}`;
        const domains = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])].filter((d): d is string => typeof d === "string");
        return {
            id: arn,
            out: {
                arn,
                domainValidationOptions: domains.map((d) => ({
                    domainName: d,
                    resourceRecordName: `_${hex(32)}.${d}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${hex(32)}.acm-validations.aws.`,
                })),
            },
        };
    },
    "acm/certificateValidation": ({ inputs }) => ({ id: String(inputs.certificateArn ?? "validation") }),
};

/** Services whose ARNs carry neither region nor account. */
const globalServices = new Set(["iam", "route53", "s3", "cloudfront"]);
const arnService: Record<string, string> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    vpc: "ec2",
    cloudwatch: "cloudwatch",
    efs: "elasticfilesystem",
    appautoscaling: "application-autoscaling",
};

function kebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Answers a resource registration (or a read of an existing resource, when `readId` is given). */
export function mockResource(
    args: { type: string; name: string; inputs: Record<string, any>; provider?: string; custom?: boolean; id?: string },
    ctx: MockContext,
): MockedResource {
    const { type, name, inputs } = args;
    const region = ctx.regionOf(args.provider);
    const key = `${type}|${name}`;
    const hex = (n: number) => hexFor(`${key}|${n}`, n);
    const physical = () => `${name}-${hexFor(`${key}|physical`, 7)}`;

    if (type.startsWith("pulumi:providers:")) {
        const id = uuidFrom(hexFor(key, 32));
        return { id, state: { ...inputs }, generated: [] };
    }
    if (type === "awsx:ec2:Vpc") {
        return mockAwsxVpc(args, region, ctx, hex);
    }
    if (args.custom === false) {
        // Local components keep their registered outputs; remote components echo their inputs.
        return { id: "", state: { ...inputs }, generated: [] };
    }

    // `aws:alb/...` tokens are aliases of `aws:lb/...`.
    const mod = moduleResource(type).replace(/^alb\//, "lb/");
    const builder = builders[mod] ?? builders[mod.replace(/V2$/, "")];
    let id: string;
    let out: Record<string, unknown> = {};
    if (args.id) {
        id = args.id;
        const built = builder ? builder({ name, inputs, region, account: ctx.accountId, hex, physical }) : undefined;
        out = built?.out ?? {};
    } else if (builder) {
        const built = builder({ name, inputs, region, account: ctx.accountId, hex, physical });
        id = built.id;
        out = built.out ?? {};
    } else {
        id = str(inputs.name) ?? physical();
    }
    if (type.startsWith("aws:") && out.arn === undefined) {
        const [svcModule, resource] = mod.split("/");
        const service = arnService[svcModule] ?? svcModule;
        const where = globalServices.has(service) ? `::${globalServices.has(service) && service !== "iam" ? "" : ctx.accountId}` : `:${region}:${ctx.accountId}`;
        out.arn = `arn:aws:${service}${where}:${kebab(resource ?? "resource")}/${id}`;
    }
    if (type === "random:index/randomPassword:RandomPassword" || type === "random:index/randomString:RandomString") {
        const length = Number(inputs.length ?? 32);
        out.result = `offline${hex(length)}`.slice(0, length);
    }
    if (type === "random:index/randomId:RandomId") {
        out.hex = hex(Number(inputs.byteLength ?? 8) * 2);
        out.b64Url = out.hex;
    }
    const generated = [id, ...Object.values(out).filter((v): v is string => typeof v === "string" && v.length >= 10)];
    return { id, state: { ...inputs, ...out, id }, generated };
}

/**
 * `awsx.ec2.Vpc` is a remote component: offline it is one resource with no children, so the mock
 * answers with what the real one exposes: a VPC id and one subnet id per AZ and subnet type.
 */
function mockAwsxVpc(
    args: { inputs: Record<string, any> },
    region: string,
    ctx: MockContext,
    hex: (n: number) => string,
): MockedResource {
    const inputs = args.inputs;
    const zones: string[] = Array.isArray(inputs.availabilityZoneNames)
        ? inputs.availabilityZoneNames
        : availabilityZonesOf(region).names.slice(0, Number(inputs.numberOfAvailabilityZones ?? 3));
    const specs: { type: string }[] = Array.isArray(inputs.subnetSpecs) && inputs.subnetSpecs.length > 0 ? inputs.subnetSpecs : [{ type: "Public" }, { type: "Private" }];
    const vpcId = `vpc-${hex(17)}`;
    const ids: Record<string, string[]> = { Public: [], Private: [], Isolated: [] };
    const layout: { type: string; availabilityZone: string; subnetId: string }[] = [];
    for (const spec of specs) {
        for (const zone of zones) {
            const subnetId = `subnet-${hexFor(`awsx-subnet|${vpcId}|${spec.type}|${zone}`, 17)}`;
            ids[spec.type]?.push(subnetId);
            layout.push({ type: spec.type, availabilityZone: zone, subnetId });
        }
    }
    const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
    const natCount = ids.Public.length === 0 || strategy === "None" ? 0 : strategy === "Single" ? 1 : zones.length;
    const natGatewayIds = Array.from({ length: natCount }, (_v, i) => `nat-${hexFor(`awsx-nat|${vpcId}|${i}`, 17)}`);
    const state = {
        ...inputs,
        vpcId,
        publicSubnetIds: ids.Public,
        privateSubnetIds: ids.Private,
        isolatedSubnetIds: ids.Isolated,
        // Not an awsx output: the plan's own record of where each mocked subnet sits.
        offlineSubnetLayout: layout,
        offlineNatGatewayIds: natGatewayIds,
        offlineArn: `arn:aws:ec2:${region}:${ctx.accountId}:vpc/${vpcId}`,
    };
    return { id: "", state, generated: [vpcId, ...ids.Public, ...ids.Private, ...ids.Isolated, ...natGatewayIds] };
}

/** Renders `aws.iam.getPolicyDocument` statements as IAM JSON. */
function renderPolicyDocument(inputs: Record<string, any>): string {
    const one = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
    interface Statement {
        sid?: string;
        effect?: string;
        actions?: string[];
        notActions?: string[];
        resources?: string[];
        notResources?: string[];
        principals?: { type: string; identifiers: string[] }[];
        notPrincipals?: { type: string; identifiers: string[] }[];
        conditions?: { test: string; variable: string; values: string[] }[];
    }
    const statements = ((inputs.statements as Statement[] | undefined) ?? []).map((s) => {
        const out: Record<string, unknown> = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect ?? "Allow";
        if (s.actions) out.Action = one(s.actions);
        if (s.notActions) out.NotAction = one(s.notActions);
        if (s.resources) out.Resource = one(s.resources);
        if (s.notResources) out.NotResource = one(s.notResources);
        for (const [field, key] of [
            ["principals", "Principal"],
            ["notPrincipals", "NotPrincipal"],
        ] as const) {
            const principals = s[field];
            if (Array.isArray(principals)) {
                const p: Record<string, unknown> = {};
                for (const pr of principals) p[pr.type] = one(pr.identifiers);
                out[key] = p;
            }
        }
        if (Array.isArray(s.conditions)) {
            const c: Record<string, Record<string, unknown>> = {};
            for (const cond of s.conditions) {
                c[cond.test] = { ...(c[cond.test] ?? {}), [cond.variable]: one(cond.values) };
            }
            out.Condition = c;
        }
        return out;
    });
    return JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements }, null, 2);
}

/** Answers an invoke, or throws naming the token so a missing mock is never silent. */
export function mockInvoke(args: { token: string; inputs: Record<string, any>; provider?: string }, ctx: MockContext): Record<string, unknown> {
    const region = ctx.regionOf(args.provider);
    const inputs = args.inputs;
    const hex = (n: number) => hexFor(`${args.token}|${JSON.stringify(inputs)}`, n);
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const zones = availabilityZonesOf(region);
            return { ...zones, id: region, groupNames: [region] };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:user/offline-plan`, userId: "AIDAOFFLINEPLAN000000", id: ctx.accountId };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const json = renderPolicyDocument(inputs);
            return { json, minifiedJson: JSON.stringify(JSON.parse(json)), id: hex(10) };
        }
        case "aws:ec2/getAmi:getAmi": {
            const nameFilter = JSON.stringify(inputs.filters ?? "");
            const arch = /arm64|aarch64/.test(nameFilter) ? "arm64" : "x86_64";
            return {
                id: `ami-0${hex(16)}`,
                imageId: `ami-0${hex(16)}`,
                name: `al2023-ami-2023.9.20261101.0-kernel-6.12-${arch}`,
                architecture: arch,
                rootDeviceName: "/dev/xvda",
                ownerId: "137112412989",
                creationDate: "2026-11-01T00:00:00.000Z",
            };
        }
        case "aws:ssm/getParameter:getParameter": {
            const name = String(inputs.name ?? "");
            const value = /ami/i.test(name) ? `ami-0${hex(16)}` : `offline-ssm-value-${hex(8)}`;
            return { id: name, name, value, insecureValue: value, type: "String", version: 1, arn: `arn:aws:ssm:${region}:${ctx.accountId}:parameter${name.startsWith("/") ? "" : "/"}${name}` };
        }
        case "aws:route53/getZone:getZone": {
            const name = String(inputs.name ?? "example.com");
            const zoneId = String(inputs.zoneId ?? `Z${hex(20).toUpperCase()}`);
            return { id: zoneId, zoneId, name: name.replace(/\.$/, ""), privateZone: inputs.privateZone === true, nameServers: ["ns-1.awsdns-01.org"] };
        }
        case "aws:acm/getCertificate:getCertificate": {
            const arn = `arn:aws:acm:${region}:${ctx.accountId}:certificate/${uuidFrom(hex(32))}`;
            return { id: arn, arn, domain: inputs.domain, status: "ISSUED" };
        }
        case "aws:secretsmanager/getRandomPassword:getRandomPassword": {
            // Deterministic stand-in for GetRandomPassword: letters and digits of the asked length (default 32).
            const length = Number(inputs.passwordLength ?? 32);
            const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            const raw = hex(length * 2);
            let randomPassword = "";
            for (let i = 0; i < length; i++) randomPassword += alphabet[parseInt(raw.slice(2 * i, 2 * i + 2), 16) % alphabet.length];
            return { id: region, randomPassword };
        }
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
            // An AWS-managed prefix list looked up by name (e.g. com.amazonaws.global.cloudfront.origin-facing).
            const id = String(inputs.id ?? `pl-${hex(8)}`);
            const name = String(inputs.name ?? `com.amazonaws.${region}.offline`);
            return { id, name, addressFamily: "IPv4", maxEntries: 55, ownerId: "AWS", version: 1, arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`, entries: [], tags: {} };
        }
        case "aws:ec2/getVpc:getVpc":
            return { id: `vpc-${hex(17)}`, cidrBlock: "172.31.0.0/16", default: inputs.default === true };
        case "aws:ec2/getSubnets:getSubnets":
            return { id: region, ids: availabilityZonesOf(region).names.map((z) => `subnet-${hexFor(`getSubnets|${z}`, 17)}`) };
        default:
            throw new Error(`the offline plan has no mock for invoke '${args.token}'; add one to plan/aws-mocks.ts or avoid the call`);
    }
}

import type { MockContext } from "./aws-mocks";
import { availabilityZonesOf, hexFor, uuidFrom } from "./aws-mock-values";

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

type Answer = (a: { inputs: Record<string, any>; region: string; account: string; hex: (n: number) => string }) => Record<string, unknown>;

const ami: Answer = ({ inputs, hex }) => {
    const arch = /arm64|aarch64/.test(JSON.stringify(inputs.filters ?? "")) ? "arm64" : "x86_64";
    const id = `ami-0${hex(16)}`;
    return {
        id,
        imageId: id,
        name: `al2023-ami-2023.9.20261101.0-kernel-6.12-${arch}`,
        architecture: arch,
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        virtualizationType: "hvm",
        ownerId: "137112412989",
        creationDate: "2026-11-01T00:00:00.000Z",
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "8", volumeType: "gp3", encrypted: "false" } }],
    };
};

const subnetIds = (region: string, vpc: string): string[] => availabilityZonesOf(region).names.map((z) => `subnet-${hexFor(`getSubnets|${vpc}|${z}`, 17)}`);

/** AWS-managed prefix lists by name: (id prefix, entries). */
const managedPrefixLists: Record<string, { entries: string[]; maxEntries: number }> = {
    "com.amazonaws.global.cloudfront.origin-facing": { entries: ["120.52.22.96/27", "205.251.249.0/24", "180.163.57.128/26"], maxEntries: 55 },
    s3: { entries: ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15"], maxEntries: 10 },
    dynamodb: { entries: ["3.218.180.0/22", "35.71.64.0/22", "52.94.0.0/22"], maxEntries: 10 },
};
const prefixList: Answer = ({ inputs, region, account, hex }) => {
    const filterName = (inputs.filters as { name: string; values: string[] }[] | undefined)?.find((f) => f.name === "prefix-list-name")?.values?.[0];
    const raw = String(inputs.name ?? filterName ?? `com.amazonaws.${region}.s3`);
    const key = raw.startsWith("com.amazonaws.global.") ? raw : raw.replace(/^com\.amazonaws\.[a-z0-9-]+\./, "");
    const known = managedPrefixLists[key] ?? { entries: ["10.255.0.0/24"], maxEntries: 10 };
    const id = String(inputs.prefixListId ?? inputs.id ?? `pl-${hex(8)}`);
    return {
        id,
        name: raw,
        cidrBlocks: known.entries,
        entries: known.entries.map((cidr) => ({ cidr, description: "" })),
        maxEntries: known.maxEntries,
        addressFamily: "IPv4",
        ownerId: "AWS",
        version: 1,
        arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
        tags: {},
    };
};

const cluster = (service: string): Answer => ({ inputs, region, account, hex }) => {
    const name = String(inputs.name ?? inputs.clusterName ?? inputs.clusterIdentifier ?? "existing");
    const arn = `arn:aws:${service}:${region}:${account}:cluster${service === "rds" ? ":" : "/"}${name}`;
    if (service === "eks") {
        return {
            id: name,
            name,
            arn,
            endpoint: `https://${hex(32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
            version: "1.31",
            status: "ACTIVE",
            roleArn: `arn:aws:iam::${account}:role/${name}-cluster`,
            certificateAuthorities: [{ data: Buffer.from("offline-plan-ca").toString("base64") }],
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(32).toUpperCase()}` }] }],
            vpcConfig: { vpcId: `vpc-${hex(17)}`, subnetIds: subnetIds(region, name), securityGroupIds: [], clusterSecurityGroupId: `sg-${hex(17)}`, endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: [] },
            accessConfigs: [{ authenticationMode: "API" }],
            tags: {},
        };
    }
    if (service === "rds") {
        return { id: name, clusterIdentifier: name, arn, endpoint: `${name}.cluster-${hex(12)}.${region}.rds.amazonaws.com`, readerEndpoint: `${name}.cluster-ro-${hex(12)}.${region}.rds.amazonaws.com`, port: 5432, engine: "aurora-postgresql", storageEncrypted: true, tags: {} };
    }
    return { id: arn, clusterName: name, arn, status: "ACTIVE", pendingTasksCount: 0, runningTasksCount: 0, registeredContainerInstancesCount: 0, settings: [], tags: {} };
};

const s3Object: Answer = ({ inputs, hex }) => ({
    id: `${String(inputs.bucket)}/${String(inputs.key)}`,
    bucket: inputs.bucket,
    key: inputs.key,
    body: "",
    contentType: "binary/octet-stream",
    contentLength: 0,
    etag: hex(32),
    versionId: hex(32),
    lastModified: "Sun, 01 Nov 2026 00:00:00 GMT",
    serverSideEncryption: "AES256",
    metadata: {},
    tags: {},
});

/** Answers by invoke token. Tokens not listed get no answer (the run answers them as unknown). */
const answers: Record<string, Answer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": ({ region }) => ({ ...availabilityZonesOf(region), id: region, groupNames: [region] }),
    "aws:index/getAvailabilityZone:getAvailabilityZone": ({ inputs, region }) => {
        const zones = availabilityZonesOf(region);
        const i = Math.max(0, zones.names.indexOf(String(inputs.name)), zones.zoneIds.indexOf(String(inputs.zoneId)));
        return { id: zones.names[i], name: zones.names[i], zoneId: zones.zoneIds[i], region, state: "available", groupName: region, nameSuffix: zones.names[i].slice(-1), zoneType: "availability-zone" };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": ({ account }) => ({ accountId: account, arn: `arn:aws:iam::${account}:user/offline-plan`, userId: "AIDAOFFLINEPLAN000000", id: account }),
    "aws:index/getRegion:getRegion": ({ region }) => ({ name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" }),
    "aws:iam/getPolicyDocument:getPolicyDocument": ({ inputs, hex }) => {
        const json = renderPolicyDocument(inputs);
        return { json, minifiedJson: JSON.stringify(JSON.parse(json)), id: hex(10) };
    },
    "aws:iam/getSessionContext:getSessionContext": ({ inputs }) => ({ id: inputs.arn, arn: inputs.arn, issuerArn: inputs.arn, issuerId: "AROAOFFLINEPLAN000000", issuerName: "offline-plan", sessionName: "" }),
    "aws:iam/getRole:getRole": ({ inputs, account, hex }) => ({ id: inputs.name, name: inputs.name, arn: `arn:aws:iam::${account}:role/${String(inputs.name)}`, uniqueId: `AROA${hex(17).toUpperCase()}`, path: "/", assumeRolePolicy: "{}", tags: {} }),
    "aws:ec2/getAmi:getAmi": ami,
    "aws:ec2/getAmiIds:getAmiIds": ({ hex }) => ({ id: hex(8), ids: [`ami-0${hex(16)}`] }),
    "aws:ssm/getParameter:getParameter": ({ inputs, region, account, hex }) => {
        const name = String(inputs.name ?? "");
        const value = /ami/i.test(name) ? `ami-0${hex(16)}` : `offline-ssm-value-${hex(8)}`;
        return { id: name, name, value, insecureValue: value, type: "String", version: 1, arn: `arn:aws:ssm:${region}:${account}:parameter${name.startsWith("/") ? "" : "/"}${name}` };
    },
    "aws:route53/getZone:getZone": ({ inputs, hex }) => {
        const name = String(inputs.name ?? "example.com");
        const zoneId = String(inputs.zoneId ?? `Z${hex(20).toUpperCase()}`);
        return { id: zoneId, zoneId, name: name.replace(/\.$/, ""), privateZone: inputs.privateZone === true, nameServers: ["ns-1.awsdns-01.org"], arn: `arn:aws:route53:::hostedzone/${zoneId}` };
    },
    "aws:acm/getCertificate:getCertificate": ({ inputs, region, account, hex }) => {
        const arn = `arn:aws:acm:${region}:${account}:certificate/${uuidFrom(hex(32))}`;
        return { id: arn, arn, domain: inputs.domain, status: "ISSUED", keyTypes: ["RSA_2048"], types: ["AMAZON_ISSUED"], tags: {} };
    },
    "aws:secretsmanager/getRandomPassword:getRandomPassword": ({ inputs, region, hex }) => {
        // Deterministic stand-in for GetRandomPassword: letters and digits of the asked length (default 32).
        const length = Number(inputs.passwordLength ?? 32);
        const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        const raw = hex(length * 2);
        let randomPassword = "";
        for (let i = 0; i < length; i++) randomPassword += alphabet[parseInt(raw.slice(2 * i, 2 * i + 2), 16) % alphabet.length];
        return { id: region, randomPassword };
    },
    "aws:ec2/getVpc:getVpc": ({ inputs, region, account, hex }) => {
        const id = String(inputs.id ?? `vpc-${hex(17)}`);
        return { id, cidrBlock: "172.31.0.0/16", default: inputs.default === true, arn: `arn:aws:ec2:${region}:${account}:vpc/${id}`, state: "available", ownerId: account, enableDnsSupport: true, enableDnsHostnames: true, mainRouteTableId: `rtb-${hex(17)}`, cidrBlockAssociations: [{ cidrBlock: "172.31.0.0/16", state: "associated" }], tags: {} };
    },
    "aws:ec2/getSubnets:getSubnets": ({ inputs, region }) => ({ id: region, ids: subnetIds(region, JSON.stringify(inputs.filters ?? "")) }),
    "aws:ec2/getSubnetIds:getSubnetIds": ({ inputs, region }) => ({ id: String(inputs.vpcId ?? region), vpcId: inputs.vpcId, ids: subnetIds(region, String(inputs.vpcId ?? "")) }),
    "aws:ec2/getSubnet:getSubnet": ({ inputs, region, account, hex }) => {
        const id = String(inputs.id ?? `subnet-${hex(17)}`);
        const az = String(inputs.availabilityZone ?? availabilityZonesOf(region).names[0]);
        return { id, arn: `arn:aws:ec2:${region}:${account}:subnet/${id}`, vpcId: String(inputs.vpcId ?? `vpc-${hex(17)}`), availabilityZone: az, cidrBlock: "172.31.0.0/20", availableIpAddressCount: 4000, mapPublicIpOnLaunch: false, state: "available", ownerId: account, tags: {} };
    },
    "aws:ec2/getSecurityGroup:getSecurityGroup": ({ inputs, region, account, hex }) => {
        const id = String(inputs.id ?? `sg-${hex(17)}`);
        return { id, name: String(inputs.name ?? "default"), vpcId: String(inputs.vpcId ?? `vpc-${hex(17)}`), arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`, description: "", tags: {} };
    },
    "aws:ec2/getPrefixList:getPrefixList": prefixList,
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": prefixList,
    "aws:ec2/getInternetGateway:getInternetGateway": ({ region, account, hex }) => {
        const id = `igw-${hex(17)}`;
        return { id, internetGatewayId: id, arn: `arn:aws:ec2:${region}:${account}:internet-gateway/${id}`, attachments: [], ownerId: account, tags: {} };
    },
    "aws:s3/getObject:getObject": s3Object,
    "aws:s3/getBucketObject:getBucketObject": s3Object,
    "aws:s3/getBucket:getBucket": ({ inputs, region }) => ({ id: inputs.bucket, bucket: inputs.bucket, arn: `arn:aws:s3:::${String(inputs.bucket)}`, bucketDomainName: `${String(inputs.bucket)}.s3.amazonaws.com`, bucketRegionalDomainName: `${String(inputs.bucket)}.s3.${region}.amazonaws.com`, region, hostedZoneId: "Z3AQBSTGFYJSTF" }),
    "aws:eks/getCluster:getCluster": cluster("eks"),
    "aws:ecs/getCluster:getCluster": cluster("ecs"),
    "aws:rds/getCluster:getCluster": cluster("rds"),
    "aws:kms/getKey:getKey": ({ inputs, region, account }) => {
        const keyId = String(inputs.keyId);
        return { id: keyId, keyId, arn: keyId.startsWith("arn:") ? keyId : `arn:aws:kms:${region}:${account}:key/${keyId}`, enabled: true, keyState: "Enabled", keyManager: "CUSTOMER", keyUsage: "ENCRYPT_DECRYPT" };
    },
    "aws:elb/getServiceAccount:getServiceAccount": ({ region }) => ({ id: "127311923021", arn: "arn:aws:iam::127311923021:root", region }),
};

/** Whether the offline plan answers this invoke token. */
export function hasInvokeMock(token: string): boolean {
    return Object.prototype.hasOwnProperty.call(answers, token);
}

/** Answers an invoke, or throws naming the token (runs answer unmocked tokens as unknown before calling this). */
export function mockInvoke(args: { token: string; inputs: Record<string, any>; provider?: string }, ctx: MockContext): Record<string, unknown> {
    const answer = hasInvokeMock(args.token) ? answers[args.token] : undefined;
    if (!answer) {
        throw new Error(`the offline plan has no mock for invoke '${args.token}'; add one to plan/aws-mock-invokes.ts or avoid the call`);
    }
    const inputs = args.inputs ?? {};
    return answer({ inputs, region: ctx.regionOf(args.provider), account: ctx.accountId, hex: (n: number) => hexFor(`${args.token}|${JSON.stringify(inputs)}`, n) });
}

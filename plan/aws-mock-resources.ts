import { dbPorts, elbZoneIds, regionShort, str, uuidFrom } from "./aws-mock-values";

/**
 * What AWS answers when each resource type is created: ids and ARNs of the right shape, endpoints,
 * and the computed attributes programs read. A data table: one entry per `module/resource`.
 */

export type Builder = (b: {
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
export const builders: Record<string, Builder> = {
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

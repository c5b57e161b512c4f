import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { EnvironmentClass, ApplicationRef } from "./application";
import type { ApplicationVersionRef } from "./application-version";
import type { NetworkRef } from "./network";
import { allowEgressToWorld, allowFrom, allowWorld, newSecurityGroup, tcp } from "./security-groups";
import {
    EnvironmentOptions,
    EnvironmentSettings,
    EnvironmentSettingsInput,
    Mode,
    Tier,
    TLS_POLICY,
    resolveEnvironmentSettings,
    validateEnvironmentSettings,
} from "./environment-settings";
import { renderUserData } from "./user-data";

/**
 * An Elastic Beanstalk-style environment: the AWS resources that run one version of an application.
 *
 * - web + ha: internet-facing ALB in the public subnets of every AZ → Auto Scaling group in the
 *   private subnets of every AZ; the instances admit only the ALB's group.
 * - web + single: one instance behind an Elastic IP, kept alive by a group of exactly one over two
 *   AZs; the instance takes over the Elastic IP at boot.
 * - worker: an encrypted SQS queue with a dead-letter queue; instances in private subnets with no
 *   inbound rules at all, scaled on backlog per instance.
 *
 * A deployment is a new `version`: the launch template gets a new version and the group rolls it out
 * with an instance refresh; the group itself is never replaced (its identity does not depend on the
 * version).
 */

/** Amazon Linux 2023's public SSM parameter, used when the version brings no golden AMI. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** What a web environment needs from the worker environment it feeds. */
export interface WorkerRef {
    readonly tier: Tier;
    readonly queueUrl?: pulumi.Output<string>;
    readonly queueArn?: pulumi.Output<string>;
    /** The key the queue is encrypted with: producers need kms:GenerateDataKey and kms:Decrypt on it. */
    readonly queueKmsKeyArn?: pulumi.Output<string>;
}

/**
 * A backing service an environment uses (a database, a cache, a shared file system): the
 * instances' group is admitted to the service's group on its port (`allowFrom`), the app learns
 * where it is through environment variables, the instance role may read exactly its secrets (and
 * decrypt them with their keys), and a file system is mounted at boot over TLS.
 */
export interface ServiceBinding {
    /** Short name, part of child names (`<env>-to-<name>`): "database", "cache", "files". */
    name: string;
    /** The service's security group. */
    securityGroupId: pulumi.Input<string>;
    /** The TCP port the instances reach it on. */
    port: number;
    /** Variables describing it to the app (endpoints, ports, secret ARNs; never a secret's value). Defaults to none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** Secrets Manager secrets the instances may read (secretsmanager:GetSecretValue). Defaults to none. */
    secretArns?: pulumi.Input<string>[];
    /** The KMS keys of those secrets (kms:Decrypt through Secrets Manager only). Defaults to none. */
    secretKmsKeyArns?: pulumi.Input<string>[];
    /** An EFS file system to mount on every instance at boot. Defaults to none. */
    fileSystem?: FileSystemMount;
}

/** An EFS mount through an access point (see `efsMountCommands`). */
export interface FileSystemMount {
    fileSystemId: pulumi.Input<string>;
    accessPointId: pulumi.Input<string>;
    /** Absolute path on the instances. */
    mountPoint: string;
}

export interface EnvironmentArgs extends EnvironmentOptions {
    network: NetworkRef;
    application: ApplicationRef;
    /** The version this environment runs; pointing at another version is a rolling deployment. */
    version: ApplicationVersionRef;
    /** Root device name of the image. Defaults to "/dev/xvda" (Amazon Linux). */
    rootDeviceName?: string;
    /** Public hosted zone for `domain`. Defaults to none. */
    hostedZoneId?: pulumi.Input<string>;
    /** A worker environment this web environment feeds: it gets sqs:SendMessage on that queue alone and WORKER_QUEUE_URL. Defaults to none. */
    worker?: WorkerRef;
    /** Plain environment variables. Defaults to none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** Backing services the instances reach (security-group chain, variables, secret read, EFS mount). Defaults to none. */
    services?: ServiceBinding[];
    /** Alarm actions (e.g. an SNS topic ARN). Defaults to none: alarms are visible in CloudWatch only. */
    alarmActions?: pulumi.Input<string>[];
    /** Tags for every child. Defaults to the application's tags. */
    tags?: Record<string, string>;
}

/** What validation reads from the arguments: the plain parts plus a few facts about the references. */
export type EnvironmentSettingsSource = Omit<EnvironmentArgs, "network" | "application" | "version" | "worker" | "services"> & {
    network: { availabilityZones: string[] };
    application: { environmentClass: EnvironmentClass };
    worker?: { tier: Tier };
};

/** The settings input of an Environment's arguments (plain parts only). Pure; exported for the catalog. */
export function settingsInput(args: EnvironmentSettingsSource): EnvironmentSettingsInput {
    // Everything but the references and the Input-typed values is an option as given.
    const { network, application, worker, hostedZoneId, environment, rootDeviceName: _device, alarmActions: _alarms, tags: _tags, ...options } = args;
    return {
        ...options,
        environmentClass: args.environmentClass ?? application.environmentClass,
        availabilityZoneCount: network.availabilityZones.length,
        hasHostedZoneId: hostedZoneId !== undefined,
        workerTier: worker?.tier,
        environment: Object.fromEntries(Object.entries(environment ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : undefined])),
    };
}

type Doc = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };
const doc = (...statements: Record<string, unknown>[]): Doc => ({ Version: "2012-10-17", Statement: statements });

/** The backlog-per-instance metric math of the worker's target tracking policy (AWS "Scaling based on Amazon SQS"). Pure. */
export function backlogPerInstanceMetrics(queueName: pulumi.Input<string>, groupName: pulumi.Input<string>) {
    return [
        {
            id: "visible",
            label: "Visible messages",
            returnData: false,
            metricStat: {
                metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: queueName }] },
                stat: "Sum",
            },
        },
        {
            id: "inservice",
            label: "In-service instances",
            returnData: false,
            metricStat: {
                metric: { namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", dimensions: [{ name: "AutoScalingGroupName", value: groupName }] },
                stat: "Average",
            },
        },
        { id: "backlog", label: "Backlog per instance", expression: "visible / inservice", returnData: true },
    ];
}

export class Environment extends pulumi.ComponentResource implements WorkerRef {
    readonly tier: Tier;
    readonly mode: Mode;
    readonly settings: EnvironmentSettings;
    /** The instances' group: data tiers admit it with `allowFrom`. */
    readonly instanceSecurityGroupId: pulumi.Output<string>;
    readonly loadBalancerSecurityGroupId?: pulumi.Output<string>;
    /** http(s)://… of the environment (web). */
    readonly url?: pulumi.Output<string>;
    readonly elasticIp?: pulumi.Output<string>;
    readonly queueUrl?: pulumi.Output<string>;
    readonly queueArn?: pulumi.Output<string>;
    readonly queueKmsKeyArn?: pulumi.Output<string>;
    readonly deadLetterQueueUrl?: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly launchTemplateId: pulumi.Output<string>;

    constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:application:Environment", name, {}, opts);
        validateEnvironmentSettings(settingsInput(args)).throwIfAny(`Environment '${name}'`);

        const s = resolveEnvironmentSettings(settingsInput(args));
        this.settings = s;
        this.tier = s.tier;
        this.mode = s.mode;
        const app = args.application;
        const net = args.network;
        const web = s.tier === "web";
        const ha = s.mode === "ha";
        const tags = { ...app.tags, ...args.tags, "platform:environment": name, "platform:tier": s.tier, "platform:mode": s.mode };
        const parent = { parent: this };
        const region = aws.getRegionOutput({}, parent).region;
        const caller = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent).partition;
        const rolePolicy = (suffix: string, policy: pulumi.Input<Doc>) =>
            new aws.iam.RolePolicy(
                `${name}-${suffix}`,
                { role: app.instanceRoleName, policy: pulumi.output(policy).apply((d) => JSON.stringify(d)) },
                parent,
            );

        // --- Security groups: every flow is a rule between groups; the world reaches only 80/443 of an internet-facing group.
        const instanceSg = newSecurityGroup(
            `${name}-instances`,
            {
                vpcId: net.vpcId,
                description: `${name} instances (${s.tier}, ${s.mode})`,
                // A single-instance web environment's instance faces the internet itself; the policy pack
                // accepts a world-open group only on load balancers and on groups marked so.
                tags: { ...tags, Name: `${name}-instances`, ...(web && !ha ? { "platform:exposure": "internet" } : {}) },
            },
            parent,
        );
        // HTTPS out (through NAT or the internet gateway) for S3, SSM, SQS, CloudWatch and package repositories.
        allowEgressToWorld(`${name}-instances-https-out`, { group: instanceSg.id, ports: [443], description: "AWS APIs and package repositories over HTTPS" }, parent);
        let albSg: aws.ec2.SecurityGroup | undefined;
        if (web && ha) {
            albSg = newSecurityGroup(
                `${name}-alb`,
                { vpcId: net.vpcId, description: `${name} internet-facing load balancer`, tags: { ...tags, Name: `${name}-alb` } },
                parent,
            );
            allowWorld(`${name}-alb-world`, { group: albSg.id, ports: [80, 443], description: "HTTP and HTTPS from the internet" }, parent);
            allowFrom(
                `${name}-alb-to-instances`,
                { target: instanceSg.id, source: albSg.id, port: tcp(s.port), description: `${name} load balancer to app port` },
                parent,
            );
        } else if (web) {
            allowWorld(`${name}-instances-world`, { group: instanceSg.id, ports: [80, 443], description: "HTTP and HTTPS from the internet (single instance)" }, parent);
        }
        // Worker: no inbound rule at all.

        // --- Logs.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `${app.logGroupPrefix}${name}`, retentionInDays: s.production ? 365 : 30, kmsKeyId: app.kmsKeyArn, tags },
            parent,
        );

        // --- Worker queue and dead-letter queue.
        let queue: aws.sqs.Queue | undefined;
        let dlq: aws.sqs.Queue | undefined;
        if (!web) {
            const keep = { parent: this, protect: s.production };
            dlq = new aws.sqs.Queue(
                `${name}-dlq`,
                { kmsMasterKeyId: app.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 1209600, tags },
                keep,
            );
            queue = new aws.sqs.Queue(
                `${name}-queue`,
                {
                    kmsMasterKeyId: app.kmsKeyArn,
                    kmsDataKeyReusePeriodSeconds: 300,
                    visibilityTimeoutSeconds: s.queue.visibilityTimeoutSeconds,
                    messageRetentionSeconds: s.queue.messageRetentionSeconds,
                    receiveWaitTimeSeconds: 20,
                    redrivePolicy: dlq.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: s.queue.maxReceiveCount })),
                    tags,
                },
                keep,
            );
            new aws.sqs.RedriveAllowPolicy(
                `${name}-dlq`,
                { queueUrl: dlq.url, redriveAllowPolicy: queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })) },
                parent,
            );
            for (const [suffix, q] of [["queue", queue], ["dlq", dlq]] as const) {
                new aws.sqs.QueuePolicy(
                    `${name}-${suffix}-tls-only`,
                    {
                        queueUrl: q.url,
                        policy: q.arn.apply((arn) =>
                            JSON.stringify(
                                doc({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
                            ),
                        ),
                    },
                    parent,
                );
            }
            rolePolicy(
                "consume",
                pulumi.all([queue.arn, app.kmsKeyArn]).apply(([queueArn, keyArn]) =>
                    doc(
                        { Sid: "ConsumeOwnQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], Resource: queueArn },
                        { Sid: "DecryptOwnQueue", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
                    ),
                ),
            );
            this.queueUrl = queue.url;
            this.queueArn = queue.arn;
            this.queueKmsKeyArn = app.kmsKeyArn;
            this.deadLetterQueueUrl = dlq.url;
        }

        // --- Feeding a worker: send to that queue alone.
        if (args.worker?.queueArn && args.worker.queueKmsKeyArn) {
            rolePolicy(
                "send-to-worker",
                pulumi.all([args.worker.queueArn, args.worker.queueKmsKeyArn]).apply(([queueArn, keyArn]) =>
                    doc(
                        { Sid: "SendToWorkerQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
                        { Sid: "EncryptForWorkerQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
                    ),
                ),
            );
        }

        // --- Secrets: read access to exactly the referenced ARNs.
        const secretArns = Object.values(args.secrets ?? {});
        if (secretArns.length > 0) {
            const sm = secretArns.filter((a) => a.includes(":secretsmanager:"));
            const ssm = secretArns.filter((a) => a.includes(":ssm:"));
            rolePolicy(
                "secrets",
                doc(
                    ...(sm.length ? [{ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: sm }] : []),
                    ...(ssm.length ? [{ Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameter", Resource: ssm }] : []),
                ),
            );
        }

        // --- Backing services: a chained rule per service, variables, read on exactly their secrets.
        const services = args.services ?? [];
        const serviceEnv: Record<string, pulumi.Input<string>> = {};
        const serviceSecrets: pulumi.Input<string>[] = [];
        const serviceKeys: pulumi.Input<string>[] = [];
        const mounts: FileSystemMount[] = [];
        for (const svc of services) {
            allowFrom(
                `${name}-to-${svc.name}`,
                { target: svc.securityGroupId, source: instanceSg.id, port: tcp(svc.port), description: `${name} instances to ${svc.name}` },
                parent,
            );
            Object.assign(serviceEnv, svc.environment);
            serviceSecrets.push(...(svc.secretArns ?? []));
            serviceKeys.push(...(svc.secretKmsKeyArns ?? []));
            if (svc.fileSystem) mounts.push(svc.fileSystem);
        }
        if (serviceSecrets.length > 0) {
            rolePolicy(
                "service-secrets",
                pulumi.all([pulumi.all(serviceSecrets), pulumi.all(serviceKeys), region]).apply(([secretArns, keyArns, r]) =>
                    doc(
                        { Sid: "ReadServiceSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
                        ...(keyArns.length
                            ? [{ Sid: "DecryptServiceSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArns, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${r}.amazonaws.com` } } }]
                            : []),
                    ),
                ),
            );
        }

        // --- Single web: the Elastic IP and the right to take it over.
        let eip: aws.ec2.Eip | undefined;
        if (web && !ha) {
            eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: { ...tags, Name: `${name}-eip` } }, parent);
            rolePolicy(
                "take-over-eip",
                pulumi.all([eip.arn, partition, region, caller.accountId]).apply(([eipArn, p, r, account]) =>
                    doc(
                        { Sid: "AssociateOwnElasticIp", Effect: "Allow", Action: "ec2:AssociateAddress", Resource: eipArn },
                        {
                            Sid: "OntoOwnInstances",
                            Effect: "Allow",
                            Action: "ec2:AssociateAddress",
                            Resource: [`arn:${p}:ec2:${r}:${account}:instance/*`, `arn:${p}:ec2:${r}:${account}:network-interface/*`],
                            Condition: { StringEquals: { "aws:ResourceTag/platform:environment": name } },
                        },
                    ),
                ),
            );
            this.elasticIp = eip.publicIp;
        }

        // --- Launch template: AMI, IMDSv2, encrypted gp3 root, profile, boot script.
        const imageId: pulumi.Input<string> = args.version.imageId ?? aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, parent).value;
        const env: Record<string, pulumi.Input<string>> = {
            ...args.environment,
            APP_NAME: app.name,
            APP_ENVIRONMENT: name,
            APP_VERSION: args.version.label,
            AWS_REGION: region,
            ...(web ? { PORT: String(s.port) } : {}),
            ...(queue ? { QUEUE_URL: queue.url } : {}),
            ...(args.worker?.queueUrl ? { WORKER_QUEUE_URL: args.worker.queueUrl } : {}),
            ...serviceEnv,
        };
        const bundle = args.version.bundle;
        const userData = pulumi
            .all([
                pulumi.all(env),
                region,
                bundle ? pulumi.all([bundle.bucket, bundle.key, bundle.versionId]) : undefined,
                eip?.allocationId,
                logGroup.name,
                pulumi.all(mounts.map((m) => pulumi.all([m.fileSystemId, m.accessPointId]))),
            ])
            .apply(([envValues, r, b, allocationId, logGroupName, mountIds]) =>
                Buffer.from(
                    renderUserData({
                        application: app.name,
                        environment: name,
                        tier: s.tier,
                        versionLabel: args.version.label,
                        region: r,
                        bundle: b ? { bucket: b[0], key: b[1], versionId: b[2] } : undefined,
                        env: envValues,
                        secrets: args.secrets ?? {},
                        elasticIpAllocationId: allocationId,
                        reverseProxyPort: web && !ha && s.port !== 80 ? s.port : undefined,
                        logGroupName,
                        fileSystems: mounts.map((m, i) => ({ fileSystemId: mountIds[i][0], accessPointId: mountIds[i][1], mountPoint: m.mountPoint })),
                    }),
                ).toString("base64"),
            );
        const instanceTags = { ...tags, Name: name, "platform:version": args.version.label };
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                description: `${name}: ${s.tier} ${s.mode}`,
                imageId,
                instanceType: s.instanceType,
                iamInstanceProfile: { arn: app.instanceProfileArn },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                blockDeviceMappings: [
                    {
                        deviceName: args.rootDeviceName ?? "/dev/xvda",
                        ebs: { volumeType: "gp3", volumeSize: s.rootVolumeSizeGiB, encrypted: "true", kmsKeyId: app.kmsKeyArn, deleteOnTermination: "true" },
                    },
                ],
                // Single web instances sit in public subnets and need an address to reach the API that hands them the Elastic IP.
                ...(web && !ha
                    ? { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [instanceSg.id] }] }
                    : { vpcSecurityGroupIds: [instanceSg.id] }),
                monitoring: { enabled: s.production },
                userData,
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags: instanceTags },
                    { resourceType: "volume", tags: instanceTags },
                ],
                tags,
            },
            parent,
        );

        // --- Load balancer (web, ha).
        let targetGroup: aws.lb.TargetGroup | undefined;
        let alb: aws.lb.LoadBalancer | undefined;
        if (web && ha && albSg) {
            alb = new aws.lb.LoadBalancer(
                `${name}-alb`,
                {
                    loadBalancerType: "application",
                    internal: false,
                    ipAddressType: args.dualStack ? "dualstack" : "ipv4",
                    securityGroups: [albSg.id],
                    subnets: net.publicSubnetIds,
                    enableDeletionProtection: s.production,
                    dropInvalidHeaderFields: true,
                    desyncMitigationMode: "defensive",
                    tags,
                },
                parent,
            );
            targetGroup = new aws.lb.TargetGroup(
                `${name}-tg`,
                {
                    vpcId: net.vpcId,
                    targetType: "instance",
                    protocol: "HTTP",
                    port: s.port,
                    deregistrationDelay: s.deregistrationDelaySeconds,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        path: s.healthCheckPath,
                        matcher: s.healthCheckMatcher,
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 3,
                        unhealthyThreshold: 3,
                    },
                    stickiness:
                        s.stickinessSeconds !== undefined
                            ? { enabled: true, type: "lb_cookie", cookieDuration: s.stickinessSeconds }
                            : { enabled: false, type: "lb_cookie" },
                    tags,
                },
                parent,
            );
        }

        // --- DNS and certificate.
        let zoneId: pulumi.Input<string> | undefined = args.hostedZoneId;
        if (args.domain && args.hostedZoneName) {
            zoneId = aws.route53.getZoneOutput({ name: args.hostedZoneName, privateZone: false }, parent).zoneId;
        }
        if (alb && targetGroup) {
            if (args.domain && zoneId) {
                const cert = new aws.acm.Certificate(`${name}-cert`, { domainName: args.domain, validationMethod: "DNS", tags }, parent);
                const option = cert.domainValidationOptions.apply((o) => o[0]);
                const validationRecord = new aws.route53.Record(
                    `${name}-cert-validation`,
                    { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
                    parent,
                );
                const validation = new aws.acm.CertificateValidation(
                    `${name}-cert`,
                    { certificateArn: cert.arn, validationRecordFqdns: [validationRecord.fqdn] },
                    parent,
                );
                new aws.lb.Listener(
                    `${name}-http`,
                    {
                        loadBalancerArn: alb.arn,
                        port: 80,
                        protocol: "HTTP",
                        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                        tags,
                    },
                    parent,
                );
                new aws.lb.Listener(
                    `${name}-https`,
                    {
                        loadBalancerArn: alb.arn,
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: TLS_POLICY,
                        certificateArn: validation.certificateArn,
                        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                        tags,
                    },
                    parent,
                );
                for (const type of args.dualStack ? ["A", "AAAA"] : ["A"]) {
                    new aws.route53.Record(
                        `${name}-alias-${type.toLowerCase()}`,
                        { zoneId, name: args.domain, type, aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                        parent,
                    );
                }
                this.url = pulumi.output(`https://${args.domain}`);
            } else {
                // No domain: HTTP only, on the load balancer's own name.
                new aws.lb.Listener(
                    `${name}-http`,
                    { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }], tags },
                    parent,
                );
                this.url = pulumi.interpolate`http://${alb.dnsName}`;
            }
            this.loadBalancerSecurityGroupId = albSg?.id;
        } else if (eip) {
            if (args.domain && zoneId) {
                // An Elastic IP is stable, so a plain A record with a short TTL is right here.
                new aws.route53.Record(`${name}-a`, { zoneId, name: args.domain, type: "A", ttl: 60, records: [eip.publicIp] }, parent);
                this.url = pulumi.output(`http://${args.domain}`);
            } else {
                this.url = pulumi.interpolate`http://${eip.publicIp}`;
            }
        }

        // --- Auto Scaling group: rolling deployments through instance refresh.
        const subnets: pulumi.Input<pulumi.Input<string>[]> =
            web && !ha ? pulumi.output(net.publicSubnetIds).apply((ids) => ids.slice(0, 2)) : net.privateSubnetIds;
        const template = { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) };
        const spot = ha ? args.spot : undefined;
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: subnets,
                minSize: s.minSize,
                maxSize: s.maxSize,
                desiredCapacity: s.desiredCapacity,
                healthCheckType: targetGroup ? "ELB" : "EC2",
                healthCheckGracePeriod: s.healthCheckGracePeriodSeconds,
                targetGroupArns: targetGroup ? [targetGroup.arn] : [],
                ...(spot
                    ? {
                          capacityRebalance: true,
                          mixedInstancesPolicy: {
                              instancesDistribution: {
                                  onDemandBaseCapacity: spot.onDemandBaseCapacity ?? s.minSize,
                                  onDemandPercentageAboveBaseCapacity: spot.onDemandPercentageAboveBaseCapacity ?? 0,
                                  spotAllocationStrategy: "price-capacity-optimized",
                              },
                              launchTemplate: {
                                  launchTemplateSpecification: { launchTemplateId: template.id, version: template.version },
                                  overrides: (spot.instanceTypes ?? [s.instanceType]).map((instanceType) => ({ instanceType })),
                              },
                          },
                      }
                    : { launchTemplate: template }),
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: s.minHealthyPercentage,
                        maxHealthyPercentage: s.maxHealthyPercentage,
                        instanceWarmup: String(s.healthCheckGracePeriodSeconds),
                    },
                },
                enabledMetrics: ["GroupInServiceInstances", "GroupDesiredCapacity", "GroupMinSize", "GroupMaxSize", "GroupTotalInstances"],
                metricsGranularity: "1Minute",
                tags: Object.entries({ ...tags, Name: name }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
            },
            // The scaling policy owns the running size once the group exists.
            { parent: this, ignoreChanges: ha ? ["desiredCapacity"] : [] },
        );

        // --- Scaling: requests or CPU behind a load balancer; backlog per instance for a worker.
        let tracking: aws.types.input.autoscaling.PolicyTargetTrackingConfiguration | undefined;
        if (ha && alb && targetGroup) {
            tracking = {
                targetValue: s.scaling.target,
                predefinedMetricSpecification:
                    s.scaling.metric === "cpu"
                        ? { predefinedMetricType: "ASGAverageCPUUtilization" }
                        : { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}` },
            };
        } else if (ha && queue) {
            tracking = { targetValue: s.queue.backlogPerInstance, customizedMetricSpecification: { metrics: backlogPerInstanceMetrics(queue.name, group.name) } };
        }
        if (tracking) {
            new aws.autoscaling.Policy(
                `${name}-scaling`,
                {
                    autoscalingGroupName: group.name,
                    policyType: "TargetTrackingScaling",
                    estimatedInstanceWarmup: s.healthCheckGracePeriodSeconds,
                    targetTrackingConfiguration: tracking,
                },
                parent,
            );
        }

        // --- Alarms that matter.
        const alarm = (suffix: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${suffix}`,
                { ...a, alarmActions: args.alarmActions ?? [], okActions: args.alarmActions ?? [], tags },
                parent,
            );
        alarm("cpu-high", {
            alarmDescription: `${name}: CPU above 80 % for 15 minutes${ha ? " (is maxSize too low?)" : ""}`,
            namespace: "AWS/EC2",
            metricName: "CPUUtilization",
            dimensions: { AutoScalingGroupName: group.name },
            statistic: "Average",
            period: 300,
            evaluationPeriods: 3,
            threshold: 80,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "missing",
        });
        if (alb && targetGroup) {
            const dims = { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix };
            alarm("unhealthy-hosts", {
                alarmDescription: `${name}: targets failing health checks for 5 minutes`,
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                dimensions: dims,
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
            alarm("target-5xx", {
                alarmDescription: `${name}: the app answers 5xx (more than 10 a minute for 5 minutes)`,
                namespace: "AWS/ApplicationELB",
                metricName: "HTTPCode_Target_5XX_Count",
                dimensions: dims,
                statistic: "Sum",
                period: 60,
                evaluationPeriods: 5,
                threshold: 10,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
        }
        if (queue && dlq) {
            alarm("dlq-not-empty", {
                alarmDescription: `${name}: messages failed ${s.queue.maxReceiveCount} times and reached the dead-letter queue`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: dlq.name },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
            alarm("oldest-message", {
                alarmDescription: `${name}: the oldest message waited more than ${s.queue.oldestMessageAlarmSeconds} s (workers falling behind)`,
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: queue.name },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: s.queue.oldestMessageAlarmSeconds,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
        }

        this.instanceSecurityGroupId = instanceSg.id;
        this.autoScalingGroupName = group.name;
        this.launchTemplateId = launchTemplate.id;
        this.registerOutputs({
            instanceSecurityGroupId: this.instanceSecurityGroupId,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            url: this.url,
            elasticIp: this.elasticIp,
            queueUrl: this.queueUrl,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            autoScalingGroupName: this.autoScalingGroupName,
            launchTemplateId: this.launchTemplateId,
        });
    }
}

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { renderUserData } from "../user-data";
import type { FileSystemMount } from "./args";
import type { EnvironmentContext } from "./context";

/**
 * The instances: the launch template (AMI, IMDSv2, encrypted gp3 root, the environment's own
 * instance profile, the boot script), the Auto Scaling group rolling new versions out through
 * instance refresh, and its target tracking policy.
 */

/** Amazon Linux 2023's public SSM parameter, used when the version brings no golden AMI. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** A single web instance's Elastic IP, which whichever instance the group launches takes over at boot. */
export function buildElasticIp(c: EnvironmentContext): aws.ec2.Eip {
    return new aws.ec2.Eip(`${c.name}-eip`, { domain: "vpc", tags: { ...c.tags, Name: `${c.name}-eip` } }, c.parent);
}

export interface LaunchTemplateInputs {
    instanceSecurityGroup: aws.ec2.SecurityGroup;
    instanceProfile: aws.iam.InstanceProfile;
    logGroup: aws.cloudwatch.LogGroup;
    /** Variables for the app besides the platform's own. */
    environment: Record<string, pulumi.Input<string>>;
    mounts: FileSystemMount[];
    eip?: aws.ec2.Eip;
}

export function buildLaunchTemplate(c: EnvironmentContext, i: LaunchTemplateInputs): aws.ec2.LaunchTemplate {
    const { name, args, s, web, ha, tags, parent } = c;
    const app = args.application;
    const imageId: pulumi.Input<string> = args.version.imageId ?? aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, parent).value;
    const env: Record<string, pulumi.Input<string>> = {
        ...args.environment,
        APP_NAME: app.name,
        APP_ENVIRONMENT: name,
        APP_VERSION: args.version.label,
        AWS_REGION: c.region,
        ...(web ? { PORT: String(s.port) } : {}),
        ...i.environment,
    };
    const bundle = args.version.bundle;
    const userData = pulumi
        .all([
            pulumi.all(env),
            c.region,
            bundle ? pulumi.all([bundle.bucket, bundle.key, bundle.versionId]) : undefined,
            i.eip?.allocationId,
            i.logGroup.name,
            pulumi.all(i.mounts.map((m) => pulumi.all([m.fileSystemId, m.accessPointId]))),
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
                    fileSystems: i.mounts.map((m, k) => ({ fileSystemId: mountIds[k][0], accessPointId: mountIds[k][1], mountPoint: m.mountPoint })),
                }),
            ).toString("base64"),
        );
    const instanceTags = { ...tags, Name: name, "platform:version": args.version.label };
    const sg = i.instanceSecurityGroup.id;
    return new aws.ec2.LaunchTemplate(
        `${name}-lt`,
        {
            description: `${name}: ${s.tier} ${s.mode}`,
            imageId,
            instanceType: s.instanceType,
            iamInstanceProfile: { arn: i.instanceProfile.arn },
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            blockDeviceMappings: [
                {
                    deviceName: args.rootDeviceName ?? "/dev/xvda",
                    ebs: { volumeType: "gp3", volumeSize: s.rootVolumeSizeGiB, encrypted: "true", kmsKeyId: app.kmsKeyArn, deleteOnTermination: "true" },
                },
            ],
            // Single web instances sit in public subnets and need an address to reach the API that hands them the Elastic IP.
            ...(web && !ha
                ? { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [sg] }] }
                : { vpcSecurityGroupIds: [sg] }),
            monitoring: { enabled: s.production },
            userData,
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags: instanceTags },
                { resourceType: "volume", tags: instanceTags },
            ],
            tags,
        },
        // The base image is the latest Amazon Linux 2023 at creation; a newer image AWS publishes must not roll
        // every environment on its own. A version with a golden AMI (source.ami) changes images deliberately.
        { ...parent, ignoreChanges: args.version.imageId === undefined ? ["imageId"] : [] },
    );
}

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

/** The Auto Scaling group: rolling deployments through instance refresh; Spot when asked (ha). */
export function buildAutoScalingGroup(
    c: EnvironmentContext,
    launchTemplate: aws.ec2.LaunchTemplate,
    targetGroup: aws.lb.TargetGroup | undefined,
    dependsOn: pulumi.Resource[] = [],
): aws.autoscaling.Group {
    const { name, args, s, web, ha, tags } = c;
    const net = args.network;
    const subnets: pulumi.Input<pulumi.Input<string>[]> = web && !ha ? pulumi.output(net.publicSubnetIds).apply((ids) => ids.slice(0, 2)) : net.privateSubnetIds;
    const template = { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) };
    const spot = ha ? args.spot : undefined;
    return new aws.autoscaling.Group(
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
        { ...c.parent, ignoreChanges: ha ? ["desiredCapacity"] : [], ...(dependsOn.length ? { dependsOn } : {}) },
    );
}

/** Target tracking: requests or CPU behind a load balancer; backlog per instance for a worker. Nothing for a single instance. */
export function buildScaling(
    c: EnvironmentContext,
    group: aws.autoscaling.Group,
    on: { loadBalancer?: aws.lb.LoadBalancer; targetGroup?: aws.lb.TargetGroup; queue?: aws.sqs.Queue },
): aws.autoscaling.Policy | undefined {
    const { s, ha } = c;
    let tracking: aws.types.input.autoscaling.PolicyTargetTrackingConfiguration | undefined;
    if (ha && on.loadBalancer && on.targetGroup) {
        const { loadBalancer, targetGroup } = on;
        tracking = {
            targetValue: s.scaling.target,
            predefinedMetricSpecification:
                s.scaling.metric === "cpu"
                    ? { predefinedMetricType: "ASGAverageCPUUtilization" }
                    : { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: pulumi.interpolate`${loadBalancer.arnSuffix}/${targetGroup.arnSuffix}` },
        };
    } else if (ha && on.queue) {
        tracking = { targetValue: s.queue.backlogPerInstance, customizedMetricSpecification: { metrics: backlogPerInstanceMetrics(on.queue.name, group.name) } };
    }
    if (!tracking) return undefined;
    return new aws.autoscaling.Policy(
        `${c.name}-scaling`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: s.healthCheckGracePeriodSeconds,
            targetTrackingConfiguration: tracking,
        },
        c.parent,
    );
}

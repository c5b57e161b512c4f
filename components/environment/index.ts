import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EnvironmentSettings, Mode, Tier, loadBalancerNameProblem, resolveEnvironmentSettings, validateEnvironmentSettings } from "../environment-settings";
import { EnvironmentArgs, FileSystemMount, WorkerRef, edgeInput, eventSourcesInput, settingsInput } from "./args";
import { environmentContext } from "./context";
import { buildAlarms } from "./alarms";
import { buildAutoScalingGroup, buildElasticIp, buildLaunchTemplate, buildScaling } from "./fleet";
import { buildInstanceRole, grantConsume, grantSecrets, grantSendToWorker, grantServiceSecrets, grantTakeOverEip } from "./iam";
import { buildEntryPoint, buildLoadBalancer } from "./load-balancer";
import { buildWorkerQueues } from "./queue";
import { buildSecurityGroups, chainToServices } from "./security";
import { buildEventSources, grantPublish, grantReadEventBuckets, grantWriteBuckets, topicVariables, validateEventSources } from "./events";
import { buildCdn, buildWaf, validateEdge } from "./edge";

export * from "./args";
export type { BucketRef, TopicRef, ScheduleArgs, BucketEventsArgs, EventSourcesArgs } from "./events";
export type { CdnArgs, WafArgs } from "./edge";
export { AL2023_AMI_PARAMETER, backlogPerInstanceMetrics } from "./fleet";

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
 * Every environment has its own instance role (the application's shared grants plus its own). A
 * deployment is a new `version`: the launch template gets a new version and the group rolls it out
 * with an instance refresh; the group itself is never replaced. The class only orders the builders
 * (security, queue, IAM, load balancer and DNS, fleet and scaling, alarms) and exposes what they
 * build, so teams can extend it (a listener rule, another policy on the role, …).
 */
export class Environment extends pulumi.ComponentResource implements WorkerRef {
    readonly tier: Tier;
    readonly mode: Mode;
    readonly settings: EnvironmentSettings;
    /** The instances' group: data tiers admit it with `allowFrom`. */
    readonly instanceSecurityGroupId: pulumi.Output<string>;
    readonly loadBalancerSecurityGroupId?: pulumi.Output<string>;
    /** The environment's own instance role and profile. */
    readonly instanceRole: aws.iam.Role;
    readonly instanceProfile: aws.iam.InstanceProfile;
    /** Web, ha: the load balancer, its target group and listeners (HTTP, and HTTPS with a domain). */
    readonly loadBalancer?: aws.lb.LoadBalancer;
    readonly targetGroup?: aws.lb.TargetGroup;
    readonly listeners: aws.lb.Listener[];
    /** Worker: its queue and dead-letter queue. */
    readonly queue?: aws.sqs.Queue;
    readonly deadLetterQueue?: aws.sqs.Queue;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly autoScalingGroup: aws.autoscaling.Group;
    /** http(s)://… of the environment (web). */
    readonly url?: pulumi.Output<string>;
    readonly elasticIp?: pulumi.Output<string>;
    readonly queueUrl?: pulumi.Output<string>;
    readonly queueArn?: pulumi.Output<string>;
    readonly queueKmsKeyArn?: pulumi.Output<string>;
    readonly deadLetterQueueUrl?: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly launchTemplateId: pulumi.Output<string>;
    /** Web, ha, with `waf`: the web ACL on the load balancer. */
    readonly webAcl?: aws.wafv2.WebAcl;
    /** Web, ha, with `cdn`: the CloudFront distribution in front of the load balancer. */
    readonly distribution?: aws.cloudfront.Distribution;

    constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:application:Environment", name, {}, opts);
        const checks = validateEnvironmentSettings(settingsInput(args));
        const s = resolveEnvironmentSettings(settingsInput(args));
        const nameProblem = loadBalancerNameProblem(name, s.tier, s.mode);
        if (nameProblem) checks.add("name", nameProblem);
        checks.throwIfAny(`Environment '${name}'`);
        validateEventSources(eventSourcesInput(args, s.tier)).throwIfAny(`Environment '${name}'`);
        validateEdge(edgeInput(args, s.tier, s.mode)).throwIfAny(`Environment '${name}'`);

        this.settings = s;
        this.tier = s.tier;
        this.mode = s.mode;
        const c = environmentContext(name, args, s, this);
        const app = args.application;

        const groups = buildSecurityGroups(c);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `${app.logGroupPrefix}${name}`, retentionInDays: s.production ? 365 : 30, kmsKeyId: app.kmsKeyArn, tags: c.tags },
            c.parent,
        );
        const { role, profile } = buildInstanceRole(c);

        const queues = c.web ? undefined : buildWorkerQueues(c);
        if (queues) grantConsume(c, role, queues.queue);
        if (queues) buildEventSources(c, queues.queue, queues.deadLetterQueue, queues.policies);
        grantReadEventBuckets(c, role);
        grantPublish(c, role, args.publishTo ?? []);
        grantWriteBuckets(c, role, args.writeTo ?? []);
        if (args.worker?.queueArn && args.worker.queueKmsKeyArn) grantSendToWorker(c, role, args.worker.queueArn, args.worker.queueKmsKeyArn);
        grantSecrets(c, role, args.secrets ?? {});

        const services = args.services ?? [];
        chainToServices(c, groups.instances, services);
        grantServiceSecrets(c, role, services);
        const mounts: FileSystemMount[] = services.flatMap((svc) => (svc.fileSystem ? [svc.fileSystem] : []));

        const eip = c.web && !c.ha ? buildElasticIp(c) : undefined;
        const takeOver = eip ? grantTakeOverEip(c, role, eip) : undefined;

        const launchTemplate = buildLaunchTemplate(c, {
            instanceSecurityGroup: groups.instances,
            instanceProfile: profile,
            logGroup,
            eip,
            mounts,
            environment: {
                ...(queues ? { QUEUE_URL: queues.queue.url } : {}),
                ...(args.worker?.queueUrl ? { WORKER_QUEUE_URL: args.worker.queueUrl } : {}),
                ...topicVariables(args.publishTo ?? []),
                ...Object.fromEntries((args.writeTo ?? []).map((b) => [`BUCKET_${b.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`, b.bucketName])),
                ...Object.assign({}, ...services.map((svc) => svc.environment ?? {})),
            },
        });
        const lb = c.web && c.ha && groups.loadBalancer ? buildLoadBalancer(c, groups.loadBalancer) : undefined;
        const entry = buildEntryPoint(c, { lb, eip });
        if (lb && args.waf) this.webAcl = buildWaf(c, lb.loadBalancer, args.waf);
        if (lb && args.cdn && entry?.zoneId) this.distribution = buildCdn(c, lb.loadBalancer, args.cdn, entry.zoneId);
        // Instances boot only once what they use at boot exists: the services' mount targets, the right to take over the Elastic IP.
        const bootNeeds = [...services.flatMap((svc) => svc.readyAfter ?? []), ...(takeOver ? [takeOver] : [])];
        const group = buildAutoScalingGroup(c, launchTemplate, lb?.targetGroup, bootNeeds);
        buildScaling(c, group, { loadBalancer: lb?.loadBalancer, targetGroup: lb?.targetGroup, queue: queues?.queue });
        buildAlarms(c, { group, loadBalancer: lb?.loadBalancer, targetGroup: lb?.targetGroup, queue: queues?.queue, deadLetterQueue: queues?.deadLetterQueue });

        this.instanceRole = role;
        this.instanceProfile = profile;
        this.loadBalancer = lb?.loadBalancer;
        this.targetGroup = lb?.targetGroup;
        this.listeners = entry?.listeners ?? [];
        this.loadBalancerSecurityGroupId = lb ? groups.loadBalancer?.id : undefined;
        this.url = entry?.url;
        this.elasticIp = eip?.publicIp;
        this.queue = queues?.queue;
        this.deadLetterQueue = queues?.deadLetterQueue;
        this.queueUrl = queues?.queue.url;
        this.queueArn = queues?.queue.arn;
        this.queueKmsKeyArn = queues ? app.kmsKeyArn : undefined;
        this.deadLetterQueueUrl = queues?.deadLetterQueue.url;
        this.instanceSecurityGroupId = groups.instances.id;
        this.launchTemplate = launchTemplate;
        this.autoScalingGroup = group;
        this.autoScalingGroupName = group.name;
        this.launchTemplateId = launchTemplate.id;
        this.registerOutputs({
            instanceSecurityGroupId: this.instanceSecurityGroupId,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            instanceRoleArn: role.arn,
            loadBalancerArn: this.loadBalancer?.arn,
            targetGroupArn: this.targetGroup?.arn,
            listenerArns: this.listeners.map((l) => l.arn),
            url: this.url,
            elasticIp: this.elasticIp,
            queueUrl: this.queueUrl,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            autoScalingGroupName: this.autoScalingGroupName,
            launchTemplateId: this.launchTemplateId,
            webAclArn: this.webAcl?.arn,
            distributionDomainName: this.distribution?.domainName,
        });
    }
}

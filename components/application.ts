import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { newDataKey } from "./kms";
import { newPrivateBucket } from "./private-bucket";
import { ProblemCollector } from "./validation";

/**
 * The Elastic Beanstalk "application": the named home of versions and environments. It owns what
 * they share: a KMS key, the bucket of source bundles and the managed policy of the grants every
 * environment's instances need (read the bundles, Session Manager, own logs). Each environment has
 * its own instance role, holding that policy plus its own grants only.
 */

export type EnvironmentClass = "development" | "production";

/** S3 lifecycle `NoncurrentVersionExpiration.NewerNoncurrentVersions` accepts at most 100 (S3 API reference, LifecycleRule). */
export const MAX_VERSIONS_TO_KEEP = 100;

/** Where every bundle of an application lives inside its bucket; the instance role may read this prefix only. */
export const BUNDLE_PREFIX = "versions/";

export interface ApplicationArgs {
    /** development (easy teardown) or production (key and bucket protected, longer retention). Defaults to "development". */
    environmentClass?: EnvironmentClass;
    /** Object versions kept per bundle key besides the current one (1–100). Defaults to 10. */
    versionsToKeep?: number;
    /** Days a superseded bundle object stays before the lifecycle may expire it. Defaults to 30. */
    noncurrentDays?: number;
    /** Tags for every child. Defaults to none. */
    tags?: Record<string, string>;
    /** AWS services that send into the application's encrypted queues (SNS subscriptions, S3 notifications): the key admits them. Defaults to none. */
    queueSenders?: ("sns" | "s3")[];
}

/** What environments and versions need from their application. */
export interface ApplicationRef {
    readonly name: string;
    readonly environmentClass: EnvironmentClass;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The managed policy every environment's instance role attaches: the application's shared grants. */
    readonly instancePolicyArn: pulumi.Output<string>;
    /** CloudWatch Logs group names of this application start with this prefix. */
    readonly logGroupPrefix: string;
    readonly tags: Record<string, string>;
}

/** Validates the arguments, collecting every problem. Pure; exported for tests. */
export function validateApplicationArgs(name: string, args: ApplicationArgs): ProblemCollector {
    const problems = new ProblemCollector();
    problems.check(!/^[a-z][a-z0-9-]{0,29}$/.test(name), "name", `expected 1-30 lowercase letters, digits or hyphens starting with a letter, got '${name}'`);
    const keep = args.versionsToKeep;
    problems.check(
        keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > MAX_VERSIONS_TO_KEEP),
        "versionsToKeep",
        `must be a whole number from 1 to ${MAX_VERSIONS_TO_KEEP} (S3 NewerNoncurrentVersions), got ${keep}`,
    );
    const days = args.noncurrentDays;
    problems.check(days !== undefined && (!Number.isInteger(days) || days < 1), "noncurrentDays", `must be a whole number of days ≥ 1, got ${days}`);
    return problems;
}

type Doc = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };

/**
 * The instance roles' base permissions, shared by every environment of the application: read its own
 * bundles, SSM Session Manager (the minimal set from the Session Manager guide, instead of SSH and
 * instead of the broader AmazonSSMManagedInstanceCore), and its own logs and agent metrics. Pure.
 */
export function baseInstancePolicy(p: {
    partition: string;
    account: string;
    region: string;
    bucketArn: string;
    kmsKeyArn: string;
    logGroupPrefix: string;
}): Doc {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadOwnBundles", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${p.bucketArn}/${BUNDLE_PREFIX}*` },
            {
                Sid: "DecryptOwnBundles",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: p.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
            },
            {
                Sid: "SessionManager",
                Effect: "Allow",
                Action: [
                    "ssm:UpdateInstanceInformation",
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                Resource: "*",
            },
            {
                Sid: "OwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: `arn:${p.partition}:logs:${p.region}:${p.account}:log-group:${p.logGroupPrefix}*`,
            },
            {
                Sid: "AgentMetrics",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } },
            },
        ],
    };
}

export class Application extends pulumi.ComponentResource implements ApplicationRef {
    readonly name: string;
    readonly environmentClass: EnvironmentClass;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly instancePolicyArn: pulumi.Output<string>;
    readonly logGroupPrefix: string;
    readonly tags: Record<string, string>;

    constructor(name: string, args: ApplicationArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("platform:application:Application", name, {}, opts);
        validateApplicationArgs(name, args).throwIfAny(`Application '${name}'`);

        this.name = name;
        this.environmentClass = args.environmentClass ?? "development";
        const production = this.environmentClass === "production";
        this.tags = { ...args.tags, "platform:application": name };
        this.logGroupPrefix = `/platform/${name}/`;
        const tags = this.tags;
        const keep = { parent: this, protect: production };

        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });

        // The Auto Scaling role encrypts the instances' volumes with it; CloudWatch Logs this application's log groups.
        const key = newDataKey(
            `${name}-key`,
            {
                description: `Application ${name}: source bundles, volumes, queues and logs`,
                production,
                grants: { autoScaling: true, logGroupPrefix: this.logGroupPrefix, queueSenders: args.queueSenders },
                tags,
            },
            keep,
        );

        const bucket = newPrivateBucket(
            `${name}-bundles`,
            {
                kmsKeyArn: key.arn,
                forceDestroy: !production,
                protect: production,
                tags,
                lifecycleRules: [
                    {
                        // Versions are keyed by label; re-uploading a label or deleting it leaves noncurrent
                        // object versions, of which the newest N are kept.
                        id: "keep-last-versions",
                        status: "Enabled",
                        filter: { prefix: BUNDLE_PREFIX },
                        noncurrentVersionExpiration: { newerNoncurrentVersions: args.versionsToKeep ?? 10, noncurrentDays: args.noncurrentDays ?? 30 },
                    },
                    { id: "expire-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            { parent: this },
        );

        const shared = new aws.iam.Policy(
            `${name}-instance-base`,
            {
                description: `Grants every environment of application ${name} shares`,
                policy: pulumi
                    .all([partition.partition, caller.accountId, region.region, bucket.arn, key.arn])
                    .apply(([p, account, r, bucketArn, kmsKeyArn]) =>
                        JSON.stringify(baseInstancePolicy({ partition: p, account, region: r, bucketArn, kmsKeyArn, logGroupPrefix: this.logGroupPrefix })),
                    ),
                tags,
            },
            { parent: this },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = key.arn;
        this.instancePolicyArn = shared.arn;
        this.registerOutputs({
            bucketName: this.bucketName,
            kmsKeyArn: this.kmsKeyArn,
            instancePolicyArn: this.instancePolicyArn,
        });
    }
}

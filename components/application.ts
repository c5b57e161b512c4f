import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ProblemCollector } from "./validation";

/**
 * The Elastic Beanstalk "application": the named home of versions and environments. It owns what
 * they share: a KMS key, the bucket of source bundles and the instance role and profile.
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
}

/** What environments and versions need from their application. */
export interface ApplicationRef {
    readonly name: string;
    readonly environmentClass: EnvironmentClass;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly instanceRoleName: pulumi.Output<string>;
    readonly instanceProfileArn: pulumi.Output<string>;
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
 * The key policy: the account administers the key through IAM; the Auto Scaling service-linked role
 * may use it for encrypted EBS volumes (required for CMK-encrypted launch templates, "Required KMS key
 * policy for use with encrypted volumes", EC2 Auto Scaling user guide); CloudWatch Logs may use it for
 * this application's log groups only. Pure; exported for tests.
 */
export function keyPolicy(p: { partition: string; account: string; region: string; logGroupPrefix: string }): Doc {
    const root = `arn:${p.partition}:iam::${p.account}:root`;
    const asgRole = `arn:${p.partition}:iam::${p.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
            {
                Sid: "AutoScalingUsesKeyForVolumes",
                Effect: "Allow",
                Principal: { AWS: asgRole },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
            },
            {
                Sid: "AutoScalingGrantsForVolumes",
                Effect: "Allow",
                Principal: { AWS: asgRole },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            {
                Sid: "LogsEncryptApplicationLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${p.region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${p.partition}:logs:${p.region}:${p.account}:log-group:${p.logGroupPrefix}*` },
                },
            },
        ],
    };
}

/**
 * The instance role's base permissions, shared by every environment of the application: read its own
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

/** Denies every request to the bucket that does not use TLS. Pure. */
export function tlsOnlyBucketPolicy(bucketArn: string): Doc {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
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
    readonly instanceRoleName: pulumi.Output<string>;
    readonly instanceRoleArn: pulumi.Output<string>;
    readonly instanceProfileArn: pulumi.Output<string>;
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

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Application ${name}: source bundles, volumes, queues and logs`,
                enableKeyRotation: true,
                deletionWindowInDays: production ? 30 : 7,
                policy: pulumi
                    .all([partition.partition, caller.accountId, region.region])
                    .apply(([p, account, r]) => JSON.stringify(keyPolicy({ partition: p, account, region: r, logGroupPrefix: this.logGroupPrefix }))),
                tags,
            },
            keep,
        );
        new aws.kms.Alias(`${name}-key`, { name: `alias/platform/${name}`, targetKeyId: key.keyId }, { parent: this });

        const bucket = new aws.s3.Bucket(`${name}-bundles`, { forceDestroy: !production, tags }, keep);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-bundles`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        new aws.s3.BucketOwnershipControls(`${name}-bundles`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        const versioning = new aws.s3.BucketVersioning(
            `${name}-bundles`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-bundles`,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
            },
            { parent: this },
        );
        new aws.s3.BucketPolicy(
            `${name}-bundles`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-bundles`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        // Versions are keyed by label; re-uploading a label or deleting it leaves noncurrent
                        // object versions, of which the newest N are kept.
                        id: "keep-last-versions",
                        status: "Enabled",
                        filter: { prefix: BUNDLE_PREFIX },
                        noncurrentVersionExpiration: { newerNoncurrentVersions: args.versionsToKeep ?? 10, noncurrentDays: args.noncurrentDays ?? 30 },
                    },
                    { id: "clean-up", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 }, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );

        const role = new aws.iam.Role(
            `${name}-instance`,
            {
                description: `Instances of application ${name}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-instance-base`,
            {
                role: role.name,
                policy: pulumi
                    .all([partition.partition, caller.accountId, region.region, bucket.arn, key.arn])
                    .apply(([p, account, r, bucketArn, kmsKeyArn]) =>
                        JSON.stringify(baseInstancePolicy({ partition: p, account, region: r, bucketArn, kmsKeyArn, logGroupPrefix: this.logGroupPrefix })),
                    ),
            },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name, tags }, { parent: this });

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = key.arn;
        this.instanceRoleName = role.name;
        this.instanceRoleArn = role.arn;
        this.instanceProfileArn = profile.arn;
        this.registerOutputs({
            bucketName: this.bucketName,
            kmsKeyArn: this.kmsKeyArn,
            instanceRoleArn: this.instanceRoleArn,
            instanceProfileArn: this.instanceProfileArn,
        });
    }
}

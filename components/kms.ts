import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * Customer-managed KMS keys, one way for the whole platform: symmetric, rotated yearly, an alias per
 * stack, a deletion window and state protection that follow the stack class, and a key policy that
 * names exactly the AWS services that need the key beyond the account's own IAM principals.
 */

/** Who besides the account's IAM principals may use a key. Each defaults to no access. */
export interface KeyGrants {
    /**
     * The EC2 Auto Scaling service-linked role, which needs the key to launch instances whose EBS
     * volumes it encrypts ("Required AWS KMS key policy for use with encrypted volumes", EC2 Auto
     * Scaling user guide). AWS Batch managed compute environments launch through Auto Scaling too.
     */
    autoScaling?: boolean;
    /** Principals of this account, through S3 only (`kms:ViaService`), e.g. FSx reading a linked bucket. */
    s3InAccount?: boolean;
    /** CloudWatch Logs, for the log groups whose names start with this prefix only. */
    logGroupPrefix?: string;
    /**
     * AWS services that send into queues encrypted with the key (SNS subscriptions, S3 event
     * notifications): they need kms:GenerateDataKey and kms:Decrypt in the key policy (SQS developer
     * guide, "Enable compatibility between event sources from AWS services and encrypted queues"),
     * on behalf of this account only.
     */
    queueSenders?: ("sns" | "s3")[];
}

/** KMS waits this many days before deleting a key (allowed range 7–30, per the KMS ScheduleKeyDeletion API). */
export function keyDeletionWindowDays(production: boolean): number {
    return production ? 30 : 7;
}

const USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** The key policy: the account administers the key through IAM, plus the grants. Pure; exported for tests. */
export function keyPolicy(where: { account: string; partition: string; region: string }, grants: KeyGrants): string {
    const { account, partition, region } = where;
    const statements: Record<string, unknown>[] = [
        { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
    ];
    if (grants.autoScaling) {
        // The Auto Scaling service-linked role exists only once the account has used Auto Scaling, and
        // a key policy naming a principal that does not exist is rejected at creation ("invalid
        // principals"). Matching the caller's ARN in a condition needs no existing principal: the
        // statement applies to the role as soon as AWS creates it, and to nothing else.
        const role = `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        const asRole = { StringEquals: { "kms:CallerAccount": account }, ArnEquals: { "aws:PrincipalArn": role } };
        statements.push({ Sid: "AutoScalingUsesKeyForVolumes", Effect: "Allow", Principal: { AWS: "*" }, Action: USE, Resource: "*", Condition: asRole });
        statements.push({
            Sid: "AutoScalingGrantsForVolumes",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { ...asRole, Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    }
    if (grants.s3InAccount) {
        statements.push({
            Sid: "UseThroughS3",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: USE,
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `s3.${region}.amazonaws.com` } },
        });
    }
    if (grants.logGroupPrefix !== undefined) {
        statements.push({
            Sid: "LogsEncryptOwnLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${account}:log-group:${grants.logGroupPrefix}*` } },
        });
    }
    if (grants.queueSenders?.length) {
        statements.push({
            Sid: "ServicesSendToEncryptedQueues",
            Effect: "Allow",
            Principal: { Service: grants.queueSenders.map((s) => `${s}.amazonaws.com`) },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export interface DataKeyArgs {
    /** What the key encrypts; shown in the console. */
    description: string;
    /** Production keys wait 30 days before deletion and are protected in the state; development keys 7 days. */
    production: boolean;
    /** Services that may use the key. Defaults to none: the KMS default policy (the account's IAM policies decide). */
    grants?: KeyGrants;
    tags?: Record<string, string>;
}

/**
 * A customer-managed symmetric KMS key with yearly rotation, plus an alias `alias/<name>-<stack>`
 * (aliases are unique per account and region, and stacks may share both). Pass a region's provider
 * in `opts` to create the key in another region (Aurora Global needs one key per region).
 * Children are named `name` (key and alias).
 */
export function newDataKey(name: string, args: DataKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    let policy: pulumi.Output<string> | undefined;
    if (args.grants && Object.values(args.grants).some((g) => g !== undefined && g !== false)) {
        const invokeOpts = { parent: opts.parent, provider: opts.provider };
        const identity = aws.getCallerIdentityOutput({}, invokeOpts);
        const partition = aws.getPartitionOutput({}, invokeOpts);
        const region = aws.getRegionOutput({}, invokeOpts);
        const grants = args.grants;
        policy = pulumi
            .all([identity.accountId, partition.partition, region.region])
            .apply(([account, part, reg]) => keyPolicy({ account, partition: part, region: reg }, grants));
    }
    const key = new aws.kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: keyDeletionWindowDays(args.production),
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            policy,
            tags: { ...args.tags, Name: name },
        },
        { ...opts, protect: args.production },
    );
    new aws.kms.Alias(name, { name: `alias/${name}-${pulumi.getStack()}`, targetKeyId: key.keyId }, { ...opts, protect: false });
    return key;
}

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** A key-policy statement beyond the account-root one, as IAM JSON. */
export type KeyPolicyStatement = Record<string, unknown>;

/** Who besides the account's IAM principals may use a key. */
export interface KmsKeyGrantees {
    /**
     * Let the EC2 Auto Scaling service-linked role use the key, which it needs to launch instances
     * with EBS volumes encrypted under a customer key (Auto Scaling guide, "Required AWS KMS key
     * policy for use with encrypted volumes"). Batch managed compute environments launch through
     * Auto Scaling too. Defaults to false.
     */
    autoScaling?: boolean;
    /** Let principals of this account use the key through S3 only (`kms:ViaService`), e.g. FSx reading a linked bucket. Defaults to false. */
    s3InAccount?: boolean;
}

/** The key policy: the account root (so IAM policies apply), plus the grantees. Pure; exported for tests. */
export function keyPolicy(account: string, partition: string, region: string, grantees: KmsKeyGrantees): string {
    const statements: KeyPolicyStatement[] = [
        { Sid: "AccountIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
    ];
    const use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
    if (grantees.autoScaling) {
        const asg = `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        statements.push({ Sid: "AutoScalingUse", Effect: "Allow", Principal: { AWS: asg }, Action: use, Resource: "*" });
        statements.push({
            Sid: "AutoScalingGrants",
            Effect: "Allow",
            Principal: { AWS: asg },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    }
    if (grantees.s3InAccount) {
        statements.push({
            Sid: "UseThroughS3",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: use,
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `s3.${region}.amazonaws.com` } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A symmetric customer key with yearly rotation and an alias, as a child of `parent`. */
export function createKmsKey(
    name: string,
    args: { description: string; tags?: Record<string, string>; protect?: boolean; grantees?: KmsKeyGrantees },
    parent: pulumi.Resource,
): aws.kms.Key {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const region = aws.getRegionOutput({}, { parent });
    const key = new aws.kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: args.protect ? 30 : 7,
            policy: pulumi
                .all([identity.accountId, partition.partition, region.region])
                .apply(([account, part, reg]) => keyPolicy(account, part, reg, args.grantees ?? {})),
            tags: { ...args.tags, Name: name },
        },
        { parent, protect: args.protect ?? false },
    );
    new aws.kms.Alias(name, { name: `alias/${name}`, targetKeyId: key.keyId }, { parent });
    return key;
}

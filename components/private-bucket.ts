import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Denies every request to the bucket that does not use TLS. Pure; exported for tests. */
export function tlsOnlyBucketPolicy(bucketArn: string): Record<string, unknown> {
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

export interface PrivateBucketArgs {
    /** The customer key objects are encrypted with (SSE-KMS, with an S3 bucket key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Lifecycle rules besides the one that aborts incomplete multipart uploads after 7 days. Defaults to none. */
    lifecycleRules?: aws.types.input.s3.BucketLifecycleConfigurationRule[];
    /** Delete the bucket with its objects (development). Defaults to false. */
    forceDestroy?: boolean;
    /** Protect the bucket in the Pulumi state (production). Defaults to false. */
    protect?: boolean;
    tags?: Record<string, string>;
}

/**
 * The platform's one way to make a bucket: versioned, KMS-encrypted, owner-enforced (no ACLs), every
 * kind of public access blocked, TLS required, incomplete uploads cleaned up. Children are all named
 * `name`; the bucket is returned.
 */
export function newPrivateBucket(name: string, args: PrivateBucketArgs, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy ?? false, tags: { ...args.tags, Name: name } }, { ...opts, protect: args.protect ?? false });
    const child = { ...opts, protect: false };
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
        child,
    );
    new aws.s3.BucketPolicy(name, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) }, { ...child, dependsOn: [publicAccess] });
    new aws.s3.BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [...(args.lifecycleRules ?? []), { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
        },
        { ...child, dependsOn: [versioning] },
    );
    return bucket;
}

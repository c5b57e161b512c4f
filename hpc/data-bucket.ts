import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ProblemCollector } from "../components/validation";
import { newDataKey } from "../components/kms";
import { newPrivateBucket } from "../components/private-bucket";

export interface HpcDataBucketArgs {
    /** Delete the objects with the bucket on teardown (development only). Defaults to false. */
    forceDestroy?: boolean;
    /** Production: `protect: true` in the Pulumi state for the bucket and its key. Defaults to false. */
    protect?: boolean;
    /** Days non-current object versions are kept. Defaults to 30. */
    noncurrentVersionDays?: number;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

/**
 * The S3 bucket an HPC cluster's Lustre file system is linked to: encrypted with a customer key
 * (usable by account principals through S3 only, so FSx can read and write it), versioned,
 * owner-enforced (no ACLs), every kind of public access blocked, TLS required.
 */
export class HpcDataBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: HpcDataBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("platform:hpc:HpcDataBucket", name, {}, opts);
        const days = args.noncurrentVersionDays ?? 30;
        const problems = new ProblemCollector();
        problems.check(!Number.isInteger(days) || days < 1, "noncurrentVersionDays", `expected a whole number of days >= 1, got ${days}`);
        problems.throwIfAny(`HpcDataBucket '${name}'`);
        const protect = args.protect ?? false;
        const tags = { ...args.tags };

        const key = newDataKey(`${name}-key`, { description: `HPC data bucket ${name}`, tags, production: protect, grants: { s3InAccount: true } }, { parent: this });
        this.bucket = newPrivateBucket(
            name,
            {
                kmsKeyArn: key.arn,
                forceDestroy: args.forceDestroy ?? false,
                protect,
                tags,
                lifecycleRules: [{ id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: days } }],
            },
            { parent: this },
        );

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn });
    }
}

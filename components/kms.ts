import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface DataKeyArgs {
    /** What the key encrypts; shown in the console. */
    description: string;
    /** Production keys wait 30 days before deletion and are protected in the state; development keys 7 days. */
    production: boolean;
    tags?: Record<string, string>;
}

/** KMS waits this many days before deleting a key (allowed range 7–30, per the KMS ScheduleKeyDeletion API). */
export function keyDeletionWindowDays(production: boolean): number {
    return production ? 30 : 7;
}

/**
 * A customer-managed symmetric KMS key with yearly rotation, plus an alias `alias/<name>-<stack>`
 * (aliases are unique per account and region, and stacks may share both). The key
 * policy is the KMS default (the account's IAM policies decide who may use it). Pass a region's
 * provider in `opts` to create the key in another region (Aurora Global needs one key per region).
 * Children are named `name` (key and alias).
 */
export function newDataKey(name: string, args: DataKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const key = new aws.kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: keyDeletionWindowDays(args.production),
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            tags: { ...args.tags, Name: name },
        },
        { ...opts, protect: args.production },
    );
    new aws.kms.Alias(name, { name: `alias/${name}-${pulumi.getStack()}`, targetKeyId: key.keyId }, { ...opts, protect: false });
    return key;
}

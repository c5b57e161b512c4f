import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { EnvironmentSettings } from "../environment-settings";
import type { EnvironmentArgs } from "./args";

/** What every builder of an Environment works from: its name, arguments, resolved settings, tags and the component itself as parent. */
export interface EnvironmentContext {
    name: string;
    args: EnvironmentArgs;
    s: EnvironmentSettings;
    web: boolean;
    ha: boolean;
    tags: Record<string, string>;
    /** `{ parent: <the Environment> }`. */
    parent: pulumi.CustomResourceOptions;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

/** An IAM policy document. */
export type PolicyDocument = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };
export const policyDocument = (...statements: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

export function environmentContext(name: string, args: EnvironmentArgs, s: EnvironmentSettings, component: pulumi.Resource): EnvironmentContext {
    const parent = { parent: component };
    return {
        name,
        args,
        s,
        web: s.tier === "web",
        ha: s.mode === "ha",
        tags: { ...args.application.tags, ...args.tags, "platform:environment": name, "platform:tier": s.tier, "platform:mode": s.mode },
        parent,
        region: aws.getRegionOutput({}, parent).region,
        accountId: aws.getCallerIdentityOutput({}, parent).accountId,
        partition: aws.getPartitionOutput({}, parent).partition,
    };
}

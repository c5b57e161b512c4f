import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentClass, ApplicationRef } from "../application";
import type { ApplicationVersionRef } from "../application-version";
import type { NetworkRef } from "../network";
import type { ServiceBinding } from "../binding";

export type { FileSystemMount, ServiceBinding } from "../binding";
import type { EnvironmentOptions, EnvironmentSettingsInput, Tier } from "../environment-settings";

/** The arguments of an Environment and what it needs from its application, version, worker and services. */


/** What a web environment needs from the worker environment it feeds. */
export interface WorkerRef {
    readonly tier: Tier;
    readonly queueUrl?: pulumi.Output<string>;
    readonly queueArn?: pulumi.Output<string>;
    /** The key the queue is encrypted with: producers need kms:GenerateDataKey and kms:Decrypt on it. */
    readonly queueKmsKeyArn?: pulumi.Output<string>;
}

export interface EnvironmentArgs extends EnvironmentOptions {
    network: NetworkRef;
    application: ApplicationRef;
    /** The version this environment runs; pointing at another version is a rolling deployment. */
    version: ApplicationVersionRef;
    /** Root device name of the image. Defaults to "/dev/xvda" (Amazon Linux). */
    rootDeviceName?: string;
    /** Public hosted zone for `domain`. Defaults to none. */
    hostedZoneId?: pulumi.Input<string>;
    /** A worker environment this web environment feeds: it gets sqs:SendMessage on that queue alone and WORKER_QUEUE_URL. Defaults to none. */
    worker?: WorkerRef;
    /** Plain environment variables. Defaults to none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** Backing services the instances reach (security-group chain, variables, secret read, EFS mount). Defaults to none. */
    services?: ServiceBinding[];
    /** Alarm actions (e.g. an SNS topic ARN). Defaults to none: alarms are visible in CloudWatch only. */
    alarmActions?: pulumi.Input<string>[];
    /** Tags for every child. Defaults to the application's tags. */
    tags?: Record<string, string>;
    /**
     * Earlier identities of the instance role and profile (`{ name, parent }`), so that a stack that
     * had them under another name updates them in place instead of replacing them. Defaults to none.
     */
    instanceRoleAliases?: pulumi.Input<pulumi.Alias>[];
}

/** What validation reads from the arguments: the plain parts plus a few facts about the references. */
export type EnvironmentSettingsSource = Omit<EnvironmentArgs, "network" | "application" | "version" | "worker" | "services"> & {
    network: { availabilityZones: string[] };
    application: { environmentClass: EnvironmentClass };
    worker?: { tier: Tier };
};

/** The settings input of an Environment's arguments (plain parts only). Pure; exported for the catalog. */
export function settingsInput(args: EnvironmentSettingsSource): EnvironmentSettingsInput {
    // Everything but the references and the Input-typed values is an option as given.
    const { network, application, worker, hostedZoneId, environment, rootDeviceName: _device, alarmActions: _alarms, tags: _tags, instanceRoleAliases: _aliases, ...options } = args;
    return {
        ...options,
        environmentClass: args.environmentClass ?? application.environmentClass,
        availabilityZoneCount: network.availabilityZones.length,
        hasHostedZoneId: hostedZoneId !== undefined,
        workerTier: worker?.tier,
        environment: Object.fromEntries(Object.entries(environment ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : undefined])),
    };
}

import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentClass, ApplicationRef } from "../application";
import type { ApplicationVersionRef } from "../application-version";
import type { NetworkRef } from "../network";
import type { ServiceBinding } from "../binding";

export type { FileSystemMount, ServiceBinding } from "../binding";
import type { EnvironmentOptions, EnvironmentSettingsInput, Tier } from "../environment-settings";
import type { BucketRef, EventSourcesArgs, EventSourcesInput, TopicRef } from "./events";
import type { CdnArgs, EdgeInput, WafArgs } from "./edge";

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
    /** Worker: SNS topics, bucket notifications and periodic tasks feeding its queue. Defaults to none. */
    events?: EventSourcesArgs;
    /** Topics the instances publish to (sns:Publish on these alone, `TOPIC_<NAME>_ARN`). Defaults to none. */
    publishTo?: TopicRef[];
    /** Buckets the instances write objects to (s3:PutObject on these alone, `BUCKET_<NAME>`). Defaults to none. */
    writeTo?: (BucketRef & { bucketName: pulumi.Input<string> })[];
    /** Worker: a FIFO queue (content-based deduplication) with a FIFO dead-letter queue. Defaults to false. */
    fifo?: boolean;
    /** Web, ha: a WAFv2 web ACL on the load balancer. Defaults to none. */
    waf?: WafArgs;
    /** Web, ha: CloudFront in front of the load balancer, which then admits only CloudFront. Defaults to none. */
    cdn?: CdnArgs;
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
    const { network, application, worker, hostedZoneId, environment, rootDeviceName: _device, alarmActions: _alarms, tags: _tags, instanceRoleAliases: _aliases, events: _events, publishTo: _publish, writeTo: _write, fifo: _fifo, waf: _waf, cdn: _cdn, ...options } = args;
    return {
        ...options,
        environmentClass: args.environmentClass ?? application.environmentClass,
        availabilityZoneCount: network.availabilityZones.length,
        hasHostedZoneId: hostedZoneId !== undefined,
        workerTier: worker?.tier,
        environment: Object.fromEntries(Object.entries(environment ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : undefined])),
    };
}

/** What event-source validation reads from the arguments. Pure; exported for the catalog. */
export function eventSourcesInput(args: Pick<EnvironmentArgs, "events" | "publishTo" | "fifo">, tier: Tier): EventSourcesInput {
    const ev = args.events;
    return {
        tier,
        fifo: args.fifo,
        events: ev && { topics: ev.topics?.map((t) => ({ name: t.name, fifo: t.fifo })), buckets: ev.buckets?.map(({ bucket: _b, ...rest }) => rest), schedules: ev.schedules },
        publishTo: args.publishTo?.map((t) => ({ name: t.name })),
    };
}

/** What edge validation reads from the arguments. Pure; exported for the catalog. */
export function edgeInput(args: Pick<EnvironmentArgs, "waf" | "cdn" | "domain" | "hostedZoneId" | "hostedZoneName">, tier: Tier, mode: "single" | "ha"): EdgeInput {
    return { tier, ha: mode === "ha", domain: args.domain, hasHostedZone: args.hostedZoneId !== undefined || args.hostedZoneName !== undefined, waf: args.waf, cdn: args.cdn };
}

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ApplicationConfig, EnvironmentConfig } from "../config/applications";
import type { ConfigProblem } from "../config/validation";
import type { Application, EnvironmentClass } from "../components/application";
import { newPrivateBucket } from "../components/private-bucket";
import {
    BucketRef,
    Environment,
    EnvironmentArgs,
    TopicRef,
    edgeInput,
    eventSourcesInput,
} from "../components/environment";
import { DEFAULT_S3_EVENTS, SQS_QUEUE_NAME_MAX, eventsOverlap, fifoQueueName, filtersOverlap, validateEventSources } from "../components/environment/events";
import { CdnArgs, validateEdge } from "../components/environment/edge";
import { defaultMode } from "../components/environment-settings";

/**
 * The catalog's event sources and edge: an application's SNS topics and event buckets (children of
 * the application, encrypted with its key), the Environment arguments an environment's `publishes`,
 * `writes`, `subscribe`, `s3Events`, `schedule`, `fifo`, `maxReceiveCount`, `waf` and `cdn` ask for,
 * one notification configuration per bucket (S3 keeps one per bucket, so it is built here, over
 * every worker it feeds), and their validation against the config paths.
 */

/** What the application's topics and buckets are, once built. */
export interface ApplicationEvents {
    topics: Map<string, TopicRef>;
    buckets: Map<string, BucketRef & { bucketName: pulumi.Output<string> }>;
}

/** The AWS services that send into this application's encrypted queues, for its key policy. Pure. */
export function queueSenders(app: ApplicationConfig): ("sns" | "s3")[] {
    const envs = app.environments;
    return [...(envs.some((e) => (e.subscribe?.length ?? 0) > 0) ? (["sns"] as const) : []), ...(envs.some((e) => (e.s3Events?.length ?? 0) > 0) ? (["s3"] as const) : [])];
}

/** A schedule's expression from its config: `cron(...)` or `rate(...)` (the wrapper may be given or not). Pure. */
export function scheduleExpression(s: { cron?: string; rate?: string }): string {
    if (s.cron !== undefined) return s.cron.startsWith("cron(") ? s.cron : `cron(${s.cron})`;
    const rate = s.rate ?? "";
    return rate.startsWith("rate(") ? rate : `rate(${rate})`;
}

/** The plain (reference-free) Environment arguments of the event and edge keys. Pure. */
export function eventAndEdgeArgsFromConfig(env: EnvironmentConfig): Pick<EnvironmentArgs, "fifo" | "queue" | "waf" | "cdn"> {
    const geo = env.cdn?.geoRestriction;
    const cdn: CdnArgs | undefined = env.cdn && { priceClass: env.cdn.priceClass as CdnArgs["priceClass"], allowCountries: geo?.allowCountries, blockCountries: geo?.blockCountries };
    return {
        ...(env.fifo !== undefined ? { fifo: env.fifo } : {}),
        ...(env.maxReceiveCount !== undefined ? { queue: { maxReceiveCount: env.maxReceiveCount } } : {}),
        ...(env.waf ? { waf: env.waf } : {}),
        ...(cdn ? { cdn } : {}),
    };
}

/** The Environment arguments referring to the application's topics and buckets. */
export function environmentEventArgs(env: EnvironmentConfig, events: ApplicationEvents): Pick<EnvironmentArgs, "events" | "publishTo" | "writeTo"> {
    const topic = (n: string) => events.topics.get(n)!;
    const bucket = (n: string) => events.buckets.get(n)!;
    return {
        publishTo: (env.publishes ?? []).map(topic),
        writeTo: (env.writes ?? []).map(bucket),
        events: {
            topics: (env.subscribe ?? []).map(topic),
            buckets: (env.s3Events ?? []).map((e) => ({ bucket: bucket(e.bucket), events: e.events, prefix: e.prefix, suffix: e.suffix })),
            schedules: (env.schedule ?? []).map((s) => ({ name: s.name, expression: scheduleExpression(s), message: s.message, timezone: s.timezone })),
        },
    };
}

/** Component argument paths of the event and edge checks → the config keys a user edits. */
function configPath(base: string, propertyPath: string): string {
    return `${base}.${propertyPath.replace(/^cdn\.(allow|block)Countries/, "cdn.geoRestriction.$1Countries")}`;
}

/**
 * Every problem of an application's topics, buckets, event sources and edge, with config paths:
 * names that must exist and be unique, FIFO pairing and queue name lengths, overlapping S3
 * notifications on a bucket, and each environment's own checks. Pure.
 */
export function validateApplicationEvents(app: ApplicationConfig, appPath: string, ctx: { stack: string; environmentClass: EnvironmentClass }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const topics = new Map<string, boolean>();
    (app.topics ?? []).forEach((t, k) => {
        if (topics.has(t.name)) problems.push({ path: `${appPath}.topics[${k}].name`, message: `duplicate topic name '${t.name}'` });
        topics.set(t.name, t.fifo === true);
    });
    const buckets = new Set<string>();
    (app.buckets ?? []).forEach((b, k) => {
        if (buckets.has(b.name)) problems.push({ path: `${appPath}.buckets[${k}].name`, message: `duplicate bucket name '${b.name}'` });
        buckets.add(b.name);
    });
    const notifications: { bucket: string; events: string[]; prefix?: string; suffix?: string; path: string }[] = [];
    app.environments.forEach((env, j) => {
        const base = `${appPath}.environments[${j}]`;
        const missingTopic = (list: string[] | undefined, key: string) =>
            (list ?? []).forEach((n, k) => {
                if (!topics.has(n)) problems.push({ path: `${base}.${key}[${k}]`, message: `application '${app.name}' has no topic '${n}'; declare it in ${appPath}.topics` });
            });
        missingTopic(env.publishes, "publishes");
        missingTopic(env.subscribe, "subscribe");
        (env.writes ?? []).forEach((n, k) => {
            if (!buckets.has(n)) problems.push({ path: `${base}.writes[${k}]`, message: `application '${app.name}' has no bucket '${n}'; declare it in ${appPath}.buckets` });
        });
        (env.s3Events ?? []).forEach((e, k) => {
            if (!buckets.has(e.bucket)) problems.push({ path: `${base}.s3Events[${k}].bucket`, message: `application '${app.name}' has no bucket '${e.bucket}'; declare it in ${appPath}.buckets` });
            notifications.push({ bucket: e.bucket, events: e.events ?? DEFAULT_S3_EVENTS, prefix: e.prefix, suffix: e.suffix, path: `${base}.s3Events[${k}]` });
        });
        const name = `${app.name}-${env.name}`;
        if (env.fifo) {
            const queueName = fifoQueueName(name, ctx.stack, "queue");
            if (queueName.length > SQS_QUEUE_NAME_MAX) problems.push({ path: `${base}.fifo`, message: `the FIFO queue name '${queueName}' exceeds ${SQS_QUEUE_NAME_MAX} characters (SQS); shorten the application or environment name` });
        }
        const tier = env.tier;
        const refs = {
            fifo: env.fifo,
            publishTo: (env.publishes ?? []).map((n) => ({ name: n, arn: "", fifo: topics.get(n) === true })),
            events: {
                topics: (env.subscribe ?? []).filter((n) => topics.has(n)).map((n) => ({ name: n, arn: "", fifo: topics.get(n) === true })),
                buckets: (env.s3Events ?? []).map((e) => ({ bucket: { name: e.bucket, arn: "" }, events: e.events, prefix: e.prefix, suffix: e.suffix })),
                schedules: (env.schedule ?? []).map((s) => ({ name: s.name, expression: scheduleExpression(s), message: s.message })),
            },
        };
        for (const e of validateEventSources(eventSourcesInput(refs, tier)).problems) problems.push({ path: configPath(base, e.propertyPath), message: e.reason });
        const mode = env.mode ?? defaultMode(ctx.environmentClass);
        const edge = edgeInput({ ...eventAndEdgeArgsFromConfig(env), domain: env.domain, hostedZoneName: env.hostedZone }, tier, mode);
        for (const e of validateEdge(edge).problems) problems.push({ path: configPath(base, e.propertyPath), message: e.reason });
    });
    // S3 rejects a notification configuration whose rules for one event type have overlapping filters.
    notifications.forEach((a, x) => {
        for (const b of notifications.slice(0, x)) {
            if (a.bucket === b.bucket && eventsOverlap(a.events, b.events) && filtersOverlap(a, b)) {
                problems.push({ path: a.path, message: `overlaps ${b.path} on bucket '${a.bucket}' (same event types, overlapping prefix/suffix): S3 rejects overlapping notifications; narrow the prefix or suffix` });
            }
        }
    });
    return problems;
}

/** The application's topics (encrypted with its key; FIFO ones ordered and deduplicated by content) and buckets. */
export function buildApplicationEvents(cfg: ApplicationConfig, app: Application, stack: string, production: boolean): ApplicationEvents {
    const parent = { parent: app };
    const topics = new Map<string, TopicRef>();
    for (const t of cfg.topics ?? []) {
        const name = `${cfg.name}-${t.name}`;
        const fifo = t.fifo === true;
        const topic = new aws.sns.Topic(
            name,
            {
                // FIFO topic names end in ".fifo" (SNS API reference, CreateTopic).
                ...(fifo ? { name: `${name}-${stack}.fifo`, fifoTopic: true, contentBasedDeduplication: true } : {}),
                kmsMasterKeyId: app.kmsKeyArn,
                tags: { ...app.tags, Name: name },
            },
            parent,
        );
        topics.set(t.name, { name: t.name, arn: topic.arn, fifo });
    }
    const buckets = new Map<string, BucketRef & { bucketName: pulumi.Output<string> }>();
    for (const b of cfg.buckets ?? []) {
        const name = `${cfg.name}-${b.name}`;
        const bucket = newPrivateBucket(name, { kmsKeyArn: app.kmsKeyArn, forceDestroy: !production, protect: production, tags: app.tags }, parent);
        buckets.set(b.name, { name: b.name, arn: bucket.arn, bucketName: bucket.bucket });
    }
    return { topics, buckets };
}

/** One notification configuration per bucket, over every worker its events feed (after their queue policies). */
export function buildBucketNotifications(cfg: ApplicationConfig, app: Application, events: ApplicationEvents, built: Map<string, Environment>): void {
    for (const [bucketName, bucket] of events.buckets) {
        const queues: aws.types.input.s3.BucketNotificationQueue[] = [];
        const workers: Environment[] = [];
        for (const env of cfg.environments) {
            const e = built.get(env.name);
            const rules = (env.s3Events ?? []).filter((r) => r.bucket === bucketName);
            if (!e?.queueArn || rules.length === 0) continue;
            workers.push(e);
            rules.forEach((r, k) =>
                queues.push({ id: `${env.name}-${k}`, queueArn: e.queueArn!, events: r.events ?? DEFAULT_S3_EVENTS, filterPrefix: r.prefix, filterSuffix: r.suffix }),
            );
        }
        if (queues.length === 0) continue;
        new aws.s3.BucketNotification(`${cfg.name}-${bucketName}`, { bucket: bucket.bucketName, queues }, { parent: app, dependsOn: workers });
    }
}

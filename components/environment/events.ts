import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ProblemCollector } from "../validation";
import { EnvironmentContext, policyDocument } from "./context";
import { grant } from "./iam";

/**
 * How events reach a worker's queue besides its web environment (Elastic Beanstalk's worker
 * sources): SNS fan-out (raw delivery, the queue admitting only that topic), S3 event notifications
 * from a bucket the application owns, and periodic tasks posted by EventBridge Scheduler under a role
 * that may only send to this queue. Producers get `sns:Publish` on their topics and nothing else.
 */

/** An SNS topic of the application. */
export interface TopicRef {
    /** Short name, part of child names and of the `TOPIC_<NAME>_ARN` variable. */
    name: string;
    arn: pulumi.Input<string>;
    fifo: boolean;
}

/** A bucket of the application that sends notifications to a worker's queue. */
export interface BucketRef {
    name: string;
    arn: pulumi.Input<string>;
}

/** S3 notifications into the worker's queue. */
export interface BucketEventsArgs {
    bucket: BucketRef;
    /** S3 event types, e.g. "s3:ObjectCreated:*". Defaults to ["s3:ObjectCreated:*"]. */
    events?: string[];
    /** Key prefix filter. Defaults to none. */
    prefix?: string;
    /** Key suffix filter. Defaults to none. */
    suffix?: string;
}

/** A periodic task: EventBridge Scheduler posts `message` to the worker's queue. */
export interface ScheduleArgs {
    /** 1–64 letters, digits, `-`, `_` or `.` (EventBridge Scheduler schedule names). */
    name: string;
    /** `rate(<n> minute(s)|hour(s)|day(s))` or `cron(<6 fields>)`. */
    expression: string;
    /** The message body. Defaults to `{"task":"<name>"}`. */
    message?: string;
    /** IANA time zone of a cron expression. Defaults to UTC. */
    timezone?: string;
}

/** The event sources of a worker. */
export interface EventSourcesArgs {
    /** Topics whose messages the queue receives (raw delivery). Defaults to none. */
    topics?: TopicRef[];
    /** Bucket notifications the queue receives (the bucket's notification resource is its owner's). Defaults to none. */
    buckets?: BucketEventsArgs[];
    /** Periodic tasks. Defaults to none. */
    schedules?: ScheduleArgs[];
}

/** What validation needs to know of the sources and the queue. */
export interface EventSourcesInput {
    tier: "web" | "worker";
    fifo?: boolean;
    events?: { topics?: { name: string; fifo: boolean }[]; buckets?: Omit<BucketEventsArgs, "bucket">[]; schedules?: ScheduleArgs[] };
    publishTo?: { name: string }[];
}

/** S3 event types a notification may name (S3 user guide, "Supported event types for SQS, SNS and Lambda"). */
export const S3_EVENT_TYPES = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*",
    "s3:LifecycleExpiration:*",
    "s3:LifecycleTransition",
    "s3:IntelligentTiering",
    "s3:ObjectTagging:*",
    "s3:ObjectAcl:Put",
] as const;

/** The default event types of a bucket notification. */
export const DEFAULT_S3_EVENTS = ["s3:ObjectCreated:*"];

/** SQS queue names: 1-80 characters; a FIFO queue's end in ".fifo" (SQS API reference, CreateQueue). */
export const SQS_QUEUE_NAME_MAX = 80;

/** The name of a worker's FIFO queue (`suffix` "queue" or "dlq"): environment and stack, so stacks sharing an account never collide. Pure. */
export function fifoQueueName(environment: string, stack: string, suffix: "queue" | "dlq"): string {
    return `${environment}-${stack}-${suffix}.fifo`;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+ \S+ \S+ \S+ \S+ \S+)\)$/;

/**
 * Checks a Scheduler expression: `rate(value unit)` with a positive whole value (singular unit for 1,
 * plural otherwise) or `cron(minutes hours day-of-month month day-of-week year)` with `?` in one of
 * day-of-month and day-of-week (EventBridge Scheduler user guide, "Schedule types"). Returns the
 * problem, or undefined. Pure.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
    const rate = RATE.exec(expression);
    if (rate) {
        const n = Number(rate[1]);
        if (n < 1) return `a rate must be at least 1, got ${n}`;
        const plural = rate[2].endsWith("s");
        if (n === 1 && plural) return `use the singular unit for 1 (rate(1 ${rate[2].slice(0, -1)}))`;
        if (n > 1 && !plural) return `use the plural unit for ${n} (rate(${n} ${rate[2]}s))`;
        return undefined;
    }
    const cron = CRON.exec(expression);
    if (cron) {
        const [, , dayOfMonth, , dayOfWeek] = cron[1].split(" ");
        if ((dayOfMonth === "?") === (dayOfWeek === "?")) return "a cron expression needs '?' in exactly one of day-of-month (3rd field) and day-of-week (5th field)";
        return undefined;
    }
    return `expected rate(<n> minutes|hours|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), got '${expression}'`;
}

/** Whether two S3 filters can match the same key: prefixes where one starts the other and suffixes where one ends the other. Pure. */
export function filtersOverlap(a: { prefix?: string; suffix?: string }, b: { prefix?: string; suffix?: string }): boolean {
    const pa = a.prefix ?? "";
    const pb = b.prefix ?? "";
    const sa = a.suffix ?? "";
    const sb = b.suffix ?? "";
    return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

/** Whether two S3 event type lists share a type (a wildcard covers its family). Pure. */
export function eventsOverlap(a: string[], b: string[]): boolean {
    const covers = (x: string, y: string) => x === y || (x.endsWith(":*") && y.startsWith(x.slice(0, -1)));
    return a.some((x) => b.some((y) => covers(x, y) || covers(y, x)));
}

/** Validates a worker's event sources and a producer's topics, collecting every problem. Pure; exported for the catalog. */
export function validateEventSources(input: EventSourcesInput): ProblemCollector {
    const p = new ProblemCollector();
    const ev = input.events ?? {};
    const worker = input.tier === "worker";
    p.check(!worker && (ev.topics?.length ?? 0) > 0, "subscribe", "only a worker environment subscribes: it has the queue");
    p.check(!worker && (ev.buckets?.length ?? 0) > 0, "s3Events", "only a worker environment receives S3 events: it has the queue");
    p.check(!worker && (ev.schedules?.length ?? 0) > 0, "schedule", "only a worker environment runs periodic tasks: it has the queue");
    p.check(!worker && input.fifo === true, "fifo", "only a worker environment has a queue");
    (ev.topics ?? []).forEach((t, i) => {
        // SNS: a FIFO topic delivers to FIFO queues; a standard topic cannot deliver to a FIFO queue.
        p.check(t.fifo !== (input.fifo === true), `subscribe[${i}]`, `topic '${t.name}' is ${t.fifo ? "FIFO" : "standard"} but the queue is ${input.fifo ? "FIFO" : "standard"}: SNS FIFO topics feed FIFO queues, standard topics standard queues`);
    });
    const seenTopics = new Set<string>();
    (ev.topics ?? []).forEach((t, i) => {
        p.check(seenTopics.has(t.name), `subscribe[${i}]`, `topic '${t.name}' is listed twice`);
        seenTopics.add(t.name);
    });
    const buckets = ev.buckets ?? [];
    buckets.forEach((b, i) => {
        // S3 event notifications cannot target FIFO queues (S3 user guide, "Event notification destinations").
        p.check(input.fifo === true, `s3Events[${i}]`, "S3 event notifications cannot be delivered to a FIFO queue; use a standard queue for this worker");
        for (const e of b.events ?? []) {
            p.check(!(S3_EVENT_TYPES as readonly string[]).includes(e), `s3Events[${i}].events`, `unknown S3 event type '${e}'; expected one of ${S3_EVENT_TYPES.join(", ")}`);
        }
        p.check(b.events !== undefined && b.events.length === 0, `s3Events[${i}].events`, "name at least one event type (default: s3:ObjectCreated:*)");
        p.check(b.prefix !== undefined && (b.prefix.length === 0 || b.prefix.length > 1024), `s3Events[${i}].prefix`, "must be 1-1024 characters (an S3 key prefix)");
        p.check(b.suffix !== undefined && (b.suffix.length === 0 || b.suffix.length > 1024), `s3Events[${i}].suffix`, "must be 1-1024 characters (an S3 key suffix)");
    });
    const schedules = ev.schedules ?? [];
    const names = new Set<string>();
    schedules.forEach((s, i) => {
        p.check(!/^[0-9a-zA-Z_.-]{1,64}$/.test(s.name), `schedule[${i}].name`, `expected 1-64 letters, digits, '-', '_' or '.', got '${s.name}'`);
        p.check(names.has(s.name), `schedule[${i}].name`, `schedule '${s.name}' is listed twice`);
        names.add(s.name);
        const problem = scheduleExpressionProblem(s.expression);
        if (problem) p.add(`schedule[${i}]`, problem);
        // SQS SendMessage: a message is 1 byte to 1 MiB (SQS developer guide, message quotas); keep periodic-task messages small.
        p.check(s.message !== undefined && (s.message.length === 0 || s.message.length > 8192), `schedule[${i}].message`, "must be 1-8192 characters");
    });
    const seenPublish = new Set<string>();
    (input.publishTo ?? []).forEach((t, i) => {
        p.check(seenPublish.has(t.name), `publishes[${i}]`, `topic '${t.name}' is listed twice`);
        seenPublish.add(t.name);
    });
    return p;
}

/** The statements the worker's queue policy adds for its sources: each service admitted for its own source ARN, in this account. Pure. */
export function sourceStatements(p: { queueArn: string; account: string; topicArns: string[]; bucketArns: string[] }): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    if (p.topicArns.length > 0) {
        out.push({ Sid: "FromSubscribedTopics", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: p.queueArn, Condition: { ArnEquals: { "aws:SourceArn": p.topicArns } } });
    }
    if (p.bucketArns.length > 0) {
        out.push({
            Sid: "FromOwnBuckets",
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: p.queueArn,
            Condition: { ArnEquals: { "aws:SourceArn": p.bucketArns }, StringEquals: { "aws:SourceAccount": p.account } },
        });
    }
    return out;
}

/**
 * The queue policy statements of the worker's sources (empty without SNS or S3 sources). The
 * dead-letter queue admits the topics only: SNS moves messages it cannot deliver there.
 */
export function queueSourceStatements(c: EnvironmentContext, queueArn: pulumi.Output<string>, kind: "queue" | "dlq"): pulumi.Output<Record<string, unknown>[]> {
    const ev = c.args.events ?? {};
    const buckets = kind === "queue" ? (ev.buckets ?? []) : [];
    return pulumi
        .all([queueArn, c.accountId, pulumi.all((ev.topics ?? []).map((t) => t.arn)), pulumi.all(buckets.map((b) => b.bucket.arn))])
        .apply(([q, account, topicArns, bucketArns]) => sourceStatements({ queueArn: q, account, topicArns, bucketArns: [...new Set(bucketArns)] }));
}

/** Subscriptions and schedules feeding the worker's queue. */
export function buildEventSources(c: EnvironmentContext, queue: aws.sqs.Queue, deadLetterQueue: aws.sqs.Queue, queuePolicies: pulumi.Resource[]): void {
    const ev = c.args.events ?? {};
    for (const t of ev.topics ?? []) {
        // Raw delivery: the worker reads the published body, not SNS's envelope. Messages SNS cannot
        // deliver go to the worker's dead-letter queue.
        new aws.sns.TopicSubscription(
            `${c.name}-from-${t.name}`,
            {
                topic: t.arn,
                protocol: "sqs",
                endpoint: queue.arn,
                rawMessageDelivery: true,
                redrivePolicy: deadLetterQueue.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn })),
            },
            { ...c.parent, dependsOn: queuePolicies },
        );
    }
    const schedules = ev.schedules ?? [];
    if (schedules.length === 0) return;
    const role = new aws.iam.Role(
        `${c.name}-scheduler`,
        {
            description: `EventBridge Scheduler posting the periodic tasks of ${c.name} to its queue`,
            assumeRolePolicy: c.accountId.apply((account) =>
                JSON.stringify(policyDocument({ Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } })),
            ),
            tags: c.tags,
        },
        c.parent,
    );
    const send = grant(
        c,
        role,
        "scheduler-send",
        pulumi.all([queue.arn, c.args.application.kmsKeyArn]).apply(([q, k]) =>
            policyDocument(
                { Sid: "SendToWorkerQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: q },
                { Sid: "EncryptForWorkerQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: k },
            ),
        ),
    );
    for (const s of schedules) {
        new aws.scheduler.Schedule(
            `${c.name}-${s.name}`,
            {
                description: `Periodic task ${s.name} of ${c.name}`,
                scheduleExpression: s.expression,
                scheduleExpressionTimezone: s.timezone ?? "UTC",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: queue.arn,
                    roleArn: role.arn,
                    input: s.message ?? JSON.stringify({ task: s.name }),
                    ...(c.args.fifo ? { sqsParameters: { messageGroupId: s.name } } : {}),
                    retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
                },
            },
            { ...c.parent, dependsOn: [send] },
        );
    }
}

/** Publish to the topics the environment names (and encrypt for them), nothing else of SNS. */
export function grantPublish(c: EnvironmentContext, role: aws.iam.Role, topics: TopicRef[]): void {
    if (topics.length === 0) return;
    grant(
        c,
        role,
        "publish",
        pulumi.all([pulumi.all(topics.map((t) => t.arn)), c.args.application.kmsKeyArn]).apply(([arns, k]) =>
            policyDocument(
                { Sid: "PublishToOwnTopics", Effect: "Allow", Action: "sns:Publish", Resource: arns },
                { Sid: "EncryptForOwnTopics", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: k },
            ),
        ),
    );
}

/** Read the objects whose notifications the worker receives. */
export function grantReadEventBuckets(c: EnvironmentContext, role: aws.iam.Role): void {
    const buckets = c.args.events?.buckets ?? [];
    if (buckets.length === 0) return;
    grant(
        c,
        role,
        "read-event-buckets",
        pulumi.all([pulumi.all(buckets.map((b) => b.bucket.arn)), c.args.application.kmsKeyArn, c.region]).apply(([arns, k, r]) =>
            policyDocument(
                { Sid: "ReadNotifiedObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [...new Set(arns)].map((a) => `${a}/*`) },
                { Sid: "DecryptNotifiedObjects", Effect: "Allow", Action: "kms:Decrypt", Resource: k, Condition: { StringEquals: { "kms:ViaService": `s3.${r}.amazonaws.com` } } },
            ),
        ),
    );
}

/** Write objects to the application's buckets the environment names (e.g. uploads that notify a worker). */
export function grantWriteBuckets(c: EnvironmentContext, role: aws.iam.Role, buckets: BucketRef[]): void {
    if (buckets.length === 0) return;
    grant(
        c,
        role,
        "write-buckets",
        pulumi.all([pulumi.all(buckets.map((b) => b.arn)), c.args.application.kmsKeyArn, c.region]).apply(([arns, k, r]) =>
            policyDocument(
                { Sid: "WriteOwnBuckets", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: arns.map((a) => `${a}/*`) },
                { Sid: "EncryptOwnBuckets", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: k, Condition: { StringEquals: { "kms:ViaService": `s3.${r}.amazonaws.com` } } },
            ),
        ),
    );
}

/** The variables naming the topics an environment publishes to: `TOPIC_<NAME>_ARN`. */
export function topicVariables(topics: TopicRef[]): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(topics.map((t) => [`TOPIC_${t.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_ARN`, t.arn]));
}

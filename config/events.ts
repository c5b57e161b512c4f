import { z } from "zod";
import { bool, int, resourceName } from "./primitives";

/**
 * Worker event sources in the catalog (see docs/add-your-application.md): application-level SNS
 * topics and event buckets, and per environment `publishes`, `writes`, `subscribe`, `s3Events`,
 * `schedule`, `fifo` and `maxReceiveCount`. The Environment component checks the AWS constraints
 * (FIFO pairing, S3 event types, schedule expressions); the catalog checks the names.
 *
 * Example:
 *   topics: [{ name: orders }]
 *   buckets: [{ name: uploads }]
 *   environments:
 *     - { name: web, tier: web, publishes: [orders], writes: [uploads] }
 *     - { name: billing, tier: worker, subscribe: [orders] }
 *     - name: thumbnails
 *       tier: worker
 *       s3Events: [{ bucket: uploads, prefix: images/, suffix: .jpg }]
 *       schedule: [{ name: nightly-cleanup, cron: "0 3 * * ? *" }]
 */

/** An application's SNS topic, encrypted with the application's key. */
export const topicConfigSchema = z.strictObject({
    /** Short name: the topic is `<app>-<name>`, publishers get `TOPIC_<NAME>_ARN`. */
    name: resourceName(20),
    /** A FIFO topic (ordered, content-based deduplication): its subscribers must be fifo workers. Defaults to false. */
    fifo: bool().optional(),
});

/** A bucket the application owns (private, versioned, encrypted with its key) whose events may feed workers. */
export const bucketConfigSchema = z.strictObject({
    /** Short name: the bucket is `<app>-<name>`, writers get `BUCKET_<NAME>`. */
    name: resourceName(20),
});

export const s3EventConfigSchema = z.strictObject({
    /** A bucket of the application's `buckets`. */
    bucket: z.string().min(1),
    /** S3 event types. Defaults to ["s3:ObjectCreated:*"]. */
    events: z.array(z.string()).optional(),
    /** Key prefix filter, e.g. "uploads/". Defaults to none. */
    prefix: z.string().optional(),
    /** Key suffix filter, e.g. ".jpg". Defaults to none. */
    suffix: z.string().optional(),
});

export const scheduleConfigSchema = z
    .strictObject({
        /** The schedule's name (letters, digits, -, _, .). */
        name: z.string().min(1),
        /** A cron expression of six fields (EventBridge Scheduler), e.g. "0 3 * * ? *". */
        cron: z.string().min(1).optional(),
        /** A rate, e.g. "5 minutes" or "1 hour". */
        rate: z.string().min(1).optional(),
        /** The message body posted to the queue. Defaults to {"task":"<name>"}. */
        message: z.string().optional(),
        /** IANA time zone of a cron schedule. Defaults to UTC. */
        timezone: z.string().min(1).optional(),
    })
    .refine((s) => (s.cron === undefined) !== (s.rate === undefined), { message: "give exactly one of cron and rate" });

/** The event keys of an environment. */
export const environmentEventKeys = {
    /** Application topics this environment publishes to (sns:Publish on these alone). Defaults to none. */
    publishes: z.array(z.string().min(1)).optional(),
    /** Application buckets this environment writes to (s3:PutObject on these alone). Defaults to none. */
    writes: z.array(z.string().min(1)).optional(),
    /** Worker: application topics whose messages its queue receives (raw delivery). Defaults to none. */
    subscribe: z.array(z.string().min(1)).optional(),
    /** Worker: S3 notifications from application buckets into its queue. Defaults to none. */
    s3Events: z.array(s3EventConfigSchema).optional(),
    /** Worker: periodic tasks (EventBridge Scheduler posting to its queue, like Beanstalk's cron.yaml). Defaults to none. */
    schedule: z.array(scheduleConfigSchema).optional(),
    /** Worker: FIFO queue and dead-letter queue, content-based deduplication. Defaults to false. */
    fifo: bool().optional(),
    /** Worker: receives before a message moves to the dead-letter queue (1-1000). Defaults to 5. */
    maxReceiveCount: int().optional(),
};

/** The event keys of an application. */
export const applicationEventKeys = {
    /** SNS topics of the application, encrypted with its key. Defaults to none. */
    topics: z.array(topicConfigSchema).optional(),
    /** Buckets of the application whose events feed workers. Defaults to none. */
    buckets: z.array(bucketConfigSchema).optional(),
};

export type TopicConfig = z.output<typeof topicConfigSchema>;
export type BucketConfig = z.output<typeof bucketConfigSchema>;
export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EnvironmentContext, policyDocument } from "./context";
import { fifoQueueName, queueSourceStatements } from "./events";

/**
 * A worker's encrypted SQS queue with its dead-letter queue (redrive allowed from the queue alone),
 * both refusing anything but TLS. Protected in production.
 */
export interface WorkerQueues {
    queue: aws.sqs.Queue;
    deadLetterQueue: aws.sqs.Queue;
    /** The queue policies (the queue's admits its event sources): subscriptions wait for them. */
    policies: aws.sqs.QueuePolicy[];
}

export function buildWorkerQueues(c: EnvironmentContext): WorkerQueues {
    const { name, s, tags, parent } = c;
    const keyArn = c.args.application.kmsKeyArn;
    const keep = { ...parent, protect: s.production };
    // A FIFO queue needs a FIFO dead-letter queue, and FIFO queue names end in ".fifo".
    const fifo = c.args.fifo ? (suffix: "queue" | "dlq") => ({ name: fifoQueueName(name, pulumi.getStack(), suffix), fifoQueue: true, contentBasedDeduplication: true }) : (_suffix: "queue" | "dlq") => ({});
    const dlq = new aws.sqs.Queue(`${name}-dlq`, { ...fifo("dlq"), kmsMasterKeyId: keyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 1209600, tags }, keep);
    const queue = new aws.sqs.Queue(
        `${name}-queue`,
        {
            ...fifo("queue"),
            kmsMasterKeyId: keyArn,
            kmsDataKeyReusePeriodSeconds: 300,
            visibilityTimeoutSeconds: s.queue.visibilityTimeoutSeconds,
            messageRetentionSeconds: s.queue.messageRetentionSeconds,
            receiveWaitTimeSeconds: 20,
            redrivePolicy: dlq.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: s.queue.maxReceiveCount })),
            tags,
        },
        keep,
    );
    new aws.sqs.RedriveAllowPolicy(
        `${name}-dlq`,
        { queueUrl: dlq.url, redriveAllowPolicy: queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })) },
        parent,
    );
    // A queue has one policy: it also admits the event sources (SNS topics, buckets; the DLQ: topics).
    const policies = ([["queue", queue], ["dlq", dlq]] as [("queue" | "dlq"), aws.sqs.Queue][]).map(([suffix, q]) => {
        const sources = queueSourceStatements(c, q.arn, suffix);
        return new aws.sqs.QueuePolicy(
            `${name}-${suffix}-tls-only`,
            {
                queueUrl: q.url,
                policy: pulumi.all([q.arn, sources]).apply(([arn, extra]) =>
                    JSON.stringify(
                        policyDocument(
                            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            ...extra,
                        ),
                    ),
                ),
            },
            parent,
        );
    });
    return { queue, deadLetterQueue: dlq, policies };
}

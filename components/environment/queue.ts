import * as aws from "@pulumi/aws";
import { EnvironmentContext, policyDocument } from "./context";

/**
 * A worker's encrypted SQS queue with its dead-letter queue (redrive allowed from the queue alone),
 * both refusing anything but TLS. Protected in production.
 */
export interface WorkerQueues {
    queue: aws.sqs.Queue;
    deadLetterQueue: aws.sqs.Queue;
}

export function buildWorkerQueues(c: EnvironmentContext): WorkerQueues {
    const { name, s, tags, parent } = c;
    const keyArn = c.args.application.kmsKeyArn;
    const keep = { ...parent, protect: s.production };
    const dlq = new aws.sqs.Queue(`${name}-dlq`, { kmsMasterKeyId: keyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 1209600, tags }, keep);
    const queue = new aws.sqs.Queue(
        `${name}-queue`,
        {
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
    for (const [suffix, q] of [["queue", queue], ["dlq", dlq]] as const) {
        new aws.sqs.QueuePolicy(
            `${name}-${suffix}-tls-only`,
            {
                queueUrl: q.url,
                policy: q.arn.apply((arn) =>
                    JSON.stringify(
                        policyDocument({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
                    ),
                ),
            },
            parent,
        );
    }
    return { queue, deadLetterQueue: dlq };
}

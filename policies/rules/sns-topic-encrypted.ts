import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, raw, str } from "../lib/values";

const SNS_TOPIC = "aws:sns/topic:Topic";

/** Whether a topic's inputs name a KMS key (a known value or one not known until the update). Pure; exported for tests. */
export function topicEncrypted(props: Record<string, unknown>): boolean {
    return isUnknown(props.kmsMasterKeyId) || str(props.kmsMasterKeyId) !== undefined;
}

export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted at rest with a KMS key (kmsMasterKeyId).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== SNS_TOPIC) return;
        if (!topicEncrypted(raw(args.props))) {
            reportViolation(
                `SNS topic '${args.name}' is not encrypted at rest. Fix: set kmsMasterKeyId to a customer-managed key (the application's key), or alias/aws/sns.`,
            );
        }
    },
};

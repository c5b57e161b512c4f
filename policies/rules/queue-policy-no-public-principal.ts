import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, obj, raw, str } from "../lib/values";

const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const QUEUE = "aws:sqs/queue:Queue";

/**
 * Condition keys that tie an Allow for any principal to this account or to one source: with one of
 * them the statement admits a known sender (an SNS topic, a bucket, an organization), not anyone.
 * (IAM user guide, "AWS global condition context keys".)
 */
export const SCOPING_KEYS = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:sourcevpce", "aws:sourcevpc"];

const anyone = (principal: unknown): boolean => {
    if (principal === "*") return true;
    const aws = obj(principal).AWS;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
};

const scoped = (condition: unknown): boolean =>
    Object.values(obj(condition)).some((byKey) => Object.keys(obj(byKey)).some((k) => SCOPING_KEYS.includes(k.toLowerCase())));

/**
 * The Sids (or indexes) of a queue policy's statements that allow any principal with nothing
 * scoping them; undefined when the policy is not known yet (a preview computes it). Pure; exported for tests.
 */
export function publicStatements(policy: unknown): string[] | undefined {
    if (isUnknown(policy)) return undefined;
    const text = str(policy);
    let doc: unknown = policy;
    if (text !== undefined) {
        try {
            doc = JSON.parse(text);
        } catch {
            return undefined;
        }
    }
    const statements = obj(doc).Statement;
    const list = Array.isArray(statements) ? statements : statements !== undefined ? [statements] : [];
    return list
        .map((s, i) => ({ s: obj(s), i }))
        .filter(({ s }) => s.Effect === "Allow" && (anyone(s.Principal) || s.NotPrincipal !== undefined) && !scoped(s.Condition))
        .map(({ s, i }) => str(s.Sid) ?? `#${i}`);
}

export const queuePolicyNoPublicPrincipal: ResourceValidationPolicy = {
    name: "queue-policy-no-public-principal",
    description: "SQS queue policies never allow any principal (\"*\") unless a condition ties it to a source (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, …).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== QUEUE_POLICY && args.type !== QUEUE) return;
        const policy = raw(args.props).policy;
        if (policy === undefined) return;
        const open = publicStatements(policy);
        if (open && open.length > 0) {
            reportViolation(
                `${args.type === QUEUE ? "queue" : "queue policy"} '${args.name}' allows any principal in statement(s) ${open.join(", ")}. Fix: name the principal (a role, or the service with aws:SourceArn of the topic or bucket that sends).`,
            );
        }
    },
};

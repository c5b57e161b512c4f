import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ServiceBinding } from "./args";
import { EnvironmentContext, PolicyDocument, policyDocument } from "./context";

/**
 * The environment's own instance role and profile: the application's shared grants (a managed
 * policy: bundles, Session Manager, own logs) plus this environment's grants only — its queue, the
 * worker queue it feeds, its secrets, its services' secrets, its Elastic IP. Sibling environments
 * never share a role, so a web tier cannot consume its worker's queue nor read what the worker reads.
 */
export interface InstanceIdentity {
    role: aws.iam.Role;
    profile: aws.iam.InstanceProfile;
}

export function buildInstanceRole(c: EnvironmentContext): InstanceIdentity {
    const { name, args, tags, parent } = c;
    const opts = args.instanceRoleAliases?.length ? { ...parent, aliases: args.instanceRoleAliases } : parent;
    const role = new aws.iam.Role(
        `${name}-instance`,
        {
            description: `Instances of environment ${name} (application ${args.application.name})`,
            assumeRolePolicy: JSON.stringify(policyDocument({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })),
            tags,
        },
        opts,
    );
    new aws.iam.RolePolicyAttachment(`${name}-shared`, { role: role.name, policyArn: args.application.instancePolicyArn }, parent);
    if (args.version.readPolicyArn) {
        new aws.iam.RolePolicyAttachment(`${name}-read-bundle`, { role: role.name, policyArn: args.version.readPolicyArn }, parent);
    }
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name, tags }, opts);
    return { role, profile };
}

/** An inline policy of this environment's role. */
export function grant(c: EnvironmentContext, role: aws.iam.Role, suffix: string, policy: pulumi.Input<PolicyDocument>): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(`${c.name}-${suffix}`, { role: role.name, policy: pulumi.output(policy).apply((d) => JSON.stringify(d)) }, c.parent);
}

/** Receive from and manage the environment's own queue. */
export function grantConsume(c: EnvironmentContext, role: aws.iam.Role, queue: aws.sqs.Queue): void {
    grant(
        c,
        role,
        "consume",
        pulumi.all([queue.arn, c.args.application.kmsKeyArn]).apply(([queueArn, keyArn]) =>
            policyDocument(
                { Sid: "ConsumeOwnQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], Resource: queueArn },
                { Sid: "DecryptOwnQueue", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
            ),
        ),
    );
}

/** Send to the queue of the worker this environment feeds, and nothing else of it. */
export function grantSendToWorker(c: EnvironmentContext, role: aws.iam.Role, queueArn: pulumi.Input<string>, keyArn: pulumi.Input<string>): void {
    grant(
        c,
        role,
        "send-to-worker",
        pulumi.all([queueArn, keyArn]).apply(([q, k]) =>
            policyDocument(
                { Sid: "SendToWorkerQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: q },
                { Sid: "EncryptForWorkerQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: k },
            ),
        ),
    );
}

/** Read exactly the secrets and parameters the environment names. */
export function grantSecrets(c: EnvironmentContext, role: aws.iam.Role, secrets: Record<string, string>): void {
    const arns = Object.values(secrets);
    if (arns.length === 0) return;
    const sm = arns.filter((a) => a.includes(":secretsmanager:"));
    const ssm = arns.filter((a) => a.includes(":ssm:"));
    grant(
        c,
        role,
        "secrets",
        policyDocument(
            ...(sm.length ? [{ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: sm }] : []),
            ...(ssm.length ? [{ Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameter", Resource: ssm }] : []),
        ),
    );
}

/** Read the secrets of the services the environment uses, decrypting through Secrets Manager only. */
export function grantServiceSecrets(c: EnvironmentContext, role: aws.iam.Role, services: ServiceBinding[]): void {
    const secrets = services.flatMap((svc) => svc.secretArns ?? []);
    const keys = services.flatMap((svc) => svc.secretKmsKeyArns ?? []);
    if (secrets.length === 0) return;
    grant(
        c,
        role,
        "service-secrets",
        pulumi.all([pulumi.all(secrets), pulumi.all(keys), c.region]).apply(([secretArns, keyArns, r]) =>
            policyDocument(
                { Sid: "ReadServiceSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
                ...(keyArns.length
                    ? [{ Sid: "DecryptServiceSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArns, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${r}.amazonaws.com` } } }]
                    : []),
            ),
        ),
    );
}

/** Take over the environment's own Elastic IP, onto the environment's own instances. */
export function grantTakeOverEip(c: EnvironmentContext, role: aws.iam.Role, eip: aws.ec2.Eip): aws.iam.RolePolicy {
    return grant(
        c,
        role,
        "take-over-eip",
        pulumi.all([eip.arn, c.partition, c.region, c.accountId]).apply(([eipArn, p, r, account]) =>
            policyDocument(
                { Sid: "AssociateOwnElasticIp", Effect: "Allow", Action: "ec2:AssociateAddress", Resource: eipArn },
                {
                    Sid: "OntoOwnInstances",
                    Effect: "Allow",
                    Action: "ec2:AssociateAddress",
                    Resource: [`arn:${p}:ec2:${r}:${account}:instance/*`, `arn:${p}:ec2:${r}:${account}:network-interface/*`],
                    Condition: { StringEquals: { "aws:ResourceTag/platform:environment": c.name } },
                },
            ),
        ),
    );
}

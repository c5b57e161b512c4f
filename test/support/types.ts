import * as aws from "@pulumi/aws";

/**
 * Resource type tokens for the tests, in one place and taken from the provider's own classes (each
 * carries its token), so a misspelt resource fails to compile instead of matching nothing.
 */
type ResourceClass = abstract new (...args: never[]) => unknown;
export const tokenOf = (cls: ResourceClass): string => {
    const token = (cls as unknown as { __pulumiType?: string }).__pulumiType;
    if (!token) throw new Error(`${cls.name} carries no type token`);
    return token;
};

export const T = {
    securityGroup: tokenOf(aws.ec2.SecurityGroup),
    ingressRule: tokenOf(aws.vpc.SecurityGroupIngressRule),
    egressRule: tokenOf(aws.vpc.SecurityGroupEgressRule),
    launchTemplate: tokenOf(aws.ec2.LaunchTemplate),
    autoScalingGroup: tokenOf(aws.autoscaling.Group),
    role: tokenOf(aws.iam.Role),
    instanceProfile: tokenOf(aws.iam.InstanceProfile),
    rolePolicy: tokenOf(aws.iam.RolePolicy),
    managedPolicy: tokenOf(aws.iam.Policy),
    rolePolicyAttachment: tokenOf(aws.iam.RolePolicyAttachment),
    queue: tokenOf(aws.sqs.Queue),
    kmsKey: tokenOf(aws.kms.Key),
    lustre: tokenOf(aws.fsx.LustreFileSystem),
    efs: tokenOf(aws.efs.FileSystem),
    secret: tokenOf(aws.secretsmanager.Secret),
    replicationGroup: tokenOf(aws.elasticache.ReplicationGroup),
    dbInstance: tokenOf(aws.rds.Instance),
    targetGroup: tokenOf(aws.lb.TargetGroup),
} as const;

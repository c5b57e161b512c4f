import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/**
 * Every resource type the hand-built policy fixtures use, keyed by its Pulumi type token and mapped
 * to the provider class that carries it: the class gives the props' type (its Args, unwrapped), and
 * `spec-types.test.ts` checks at run time that each key is the class's own token. A token missing
 * here fails to compile in a fixture: add the class here rather than loosening `Spec`.
 */
export const RESOURCES = {
    "aws:alb/loadBalancer:LoadBalancer": aws.alb.LoadBalancer,
    "aws:autoscaling/group:Group": aws.autoscaling.Group,
    "aws:cloudfront/distribution:Distribution": aws.cloudfront.Distribution,
    "aws:ec2/launchTemplate:LaunchTemplate": aws.ec2.LaunchTemplate,
    "aws:ec2/natGateway:NatGateway": aws.ec2.NatGateway,
    "aws:ec2/placementGroup:PlacementGroup": aws.ec2.PlacementGroup,
    "aws:ec2/securityGroup:SecurityGroup": aws.ec2.SecurityGroup,
    "aws:ec2/securityGroupRule:SecurityGroupRule": aws.ec2.SecurityGroupRule,
    "aws:ec2/subnet:Subnet": aws.ec2.Subnet,
    "aws:efs/fileSystem:FileSystem": aws.efs.FileSystem,
    "aws:efs/mountTarget:MountTarget": aws.efs.MountTarget,
    "aws:elasticache/replicationGroup:ReplicationGroup": aws.elasticache.ReplicationGroup,
    "aws:fsx/lustreFileSystem:LustreFileSystem": aws.fsx.LustreFileSystem,
    "aws:lb/listener:Listener": aws.lb.Listener,
    "aws:lb/loadBalancer:LoadBalancer": aws.lb.LoadBalancer,
    "aws:rds/cluster:Cluster": aws.rds.Cluster,
    "aws:rds/clusterInstance:ClusterInstance": aws.rds.ClusterInstance,
    "aws:rds/globalCluster:GlobalCluster": aws.rds.GlobalCluster,
    "aws:rds/instance:Instance": aws.rds.Instance,
    "aws:sns/topic:Topic": aws.sns.Topic,
    "aws:sqs/queue:Queue": aws.sqs.Queue,
    "aws:sqs/queuePolicy:QueuePolicy": aws.sqs.QueuePolicy,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": aws.vpc.SecurityGroupEgressRule,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": aws.vpc.SecurityGroupIngressRule,
    "aws:wafv2/webAclAssociation:WebAclAssociation": aws.wafv2.WebAclAssociation,
    "awsx:ec2:Vpc": awsx.ec2.Vpc,
    "awsx:ecs:FargateService": awsx.ecs.FargateService,
    "awsx:lb:ApplicationLoadBalancer": awsx.lb.ApplicationLoadBalancer,
} as const;

export type Registry = typeof RESOURCES;
/** A type token the fixtures may use. */
export type Token = keyof Registry;

/**
 * A value as a fixture writes it (wire form): every `Input<X>` (X, a Promise or an Output of X) becomes
 * X, deeply, and every property is optional, since a fixture sets only what the rule under test reads.
 * (`pulumi.Unwrap` unwraps the same way but keeps required properties required.)
 */
export type Unwrapped<T> = T extends string | number | boolean | null | undefined
    ? T
    : T extends pulumi.OutputInstance<infer U> | Promise<infer U>
      ? Unwrapped<U>
      : T extends pulumi.Resource
        ? T
        : T extends readonly (infer E)[]
          ? Unwrapped<E>[]
          : T extends object
            ? { [K in keyof T]?: Unwrapped<T[K]> }
            : T;

/** A resource's Args (its constructor's second parameter), in wire form. */
export type Props<T extends Token> = Unwrapped<NonNullable<ConstructorParameters<Registry[T]>[1]>>;

/** A resource in compact form, its props checked against its type's Args (see `Spec` in support.ts). */
export interface SpecOf<T extends Token> {
    type: T;
    name: string;
    props?: Props<T>;
    /** Property name -> NAMES of the resources it depends on. */
    deps?: { [K in keyof Props<T>]?: string[] };
    parent?: string;
    protect?: boolean;
    read?: boolean;
}

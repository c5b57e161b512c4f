/**
 * Type tokens the rules look at. Rules match tokens rather than importing `@pulumi/aws` at run time,
 * so the pack stays light and sees `aws:alb/*` (the alias module) exactly as `aws:lb/*`.
 */
export const T = {
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    prefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    natGateway: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    spotFleetRequest: "aws:ec2/spotFleetRequest:SpotFleetRequest",
    ec2Fleet: "aws:ec2/fleet:Fleet",
    batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
    asgSchedule: "aws:autoscaling/schedule:Schedule",
    asgAttachment: "aws:autoscaling/attachment:Attachment",
    elbClassic: "aws:elb/loadBalancer:LoadBalancer",
    memorydbCluster: "aws:memorydb/cluster:Cluster",
    networkInterface: "aws:ec2/networkInterface:NetworkInterface",
    placementGroup: "aws:ec2/placementGroup:PlacementGroup",
    ebsVolume: "aws:ebs/volume:Volume",
    autoScalingGroup: "aws:autoscaling/group:Group",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    rdsGlobalCluster: "aws:rds/globalCluster:GlobalCluster",
    cacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    efsFileSystem: "aws:efs/fileSystem:FileSystem",
    efsMountTarget: "aws:efs/mountTarget:MountTarget",
    lustre: "aws:fsx/lustreFileSystem:LustreFileSystem",
    sqsQueue: "aws:sqs/queue:Queue",
    ecsService: "aws:ecs/service:Service",
    lambdaFunction: "aws:lambda/function:Function",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    awsxVpc: "awsx:ec2:Vpc",
    awsxAlb: "awsx:lb:ApplicationLoadBalancer",
    awsxNlb: "awsx:lb:NetworkLoadBalancer",
    awsxFargateService: "awsx:ecs:FargateService",
} as const;

/** `aws:lb/...` and its alias module `aws:alb/...`. */
export const isLoadBalancer = (type: string): boolean => type === "aws:lb/loadBalancer:LoadBalancer" || type === "aws:alb/loadBalancer:LoadBalancer";
export const isListener = (type: string): boolean => type === "aws:lb/listener:Listener" || type === "aws:alb/listener:Listener";
export const isListenerRule = (type: string): boolean => type === "aws:lb/listenerRule:ListenerRule" || type === "aws:alb/listenerRule:ListenerRule";
export const isTargetGroupAttachment = (type: string): boolean => type === "aws:lb/targetGroupAttachment:TargetGroupAttachment" || type === "aws:alb/targetGroupAttachment:TargetGroupAttachment";
export const isTargetGroup = (type: string): boolean => type === "aws:lb/targetGroup:TargetGroup" || type === "aws:alb/targetGroup:TargetGroup";

/** The tag that exempts a resource from the Multi-AZ rules only; its value says why. */
export const MULTI_AZ_EXEMPT_TAG = "platform:multi-az-exempt";
/** The tag that marks a single-instance web environment's group as deliberately internet-facing. */
export const EXPOSURE_TAG = "platform:exposure";

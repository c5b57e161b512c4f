import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { NetworkRef } from "../components/network";
import { allowEgressToWorld, allowFrom, allowSelf, allTraffic, newSecurityGroup, tcp } from "../components/security-groups";
import { ProblemCollector } from "../components/validation";
import { ec2InstanceTypeProblem } from "../components/instance-types";
import { architectureOf, efaNetworkInterfaces, efaProblem, maxEfaInterfaces, vcpusFromSize } from "./efa";
import { newDataKey } from "../components/kms";
import { LustreFileSystem, LustreFileSystemArgs, validateLustreArgs } from "./lustre";
import { placementGroupExemption } from "./tags";
import { al2023AmiParameter, ecsAmiParameter, multiNodeProperties, renderUserData } from "./node-setup";

/** The Lustre arguments an HpcCluster takes: network, clients, key and protection come from the cluster. */
export type ClusterLustreArgs = Omit<LustreFileSystemArgs, "vpcId" | "subnetId" | "clients" | "kmsKeyArn" | "protect" | "tags">;

export interface HpcClusterArgs {
    network: NetworkRef;
    /** The one AZ of the cluster; must be one of `network.availabilityZones`. Defaults to the first of them. */
    availabilityZone?: string;
    /** Compute instance type; must support EFA (see ./efa-instance-types.ts). */
    instanceType: string;
    compute: {
        /** Defaults to 0, so that an idle cluster costs nothing. */
        minSize?: number;
        maxSize: number;
        /** Run the Auto Scaling fleet on Spot (capacity-optimized). Batch stays On-Demand: multi-node parallel jobs don't run on Spot. Defaults to false. */
        spot?: boolean;
    };
    /** The login/head node. Defaults to enabled, c6i.xlarge (x86_64 clusters) or c7g.xlarge (arm64). */
    headNode?: { enabled?: boolean; instanceType?: string };
    /** AMI of head and compute nodes. Defaults to the latest Amazon Linux 2023 of the architecture; user data installs the EFA software when absent. */
    amiId?: pulumi.Input<string>;
    /** Root volume size in GiB. Defaults to 64. */
    rootVolumeGiB?: number;
    /** An FSx for Lustre file system in the cluster's subnet, mounted at /fsx. Defaults to none. */
    lustre?: ClusterLustreArgs;
    /** An EFS file system mounted at /home; when its security group is given, NFS (2049) is chained from the cluster. Defaults to none. */
    efsHome?: { fileSystemId: pulumi.Input<string>; securityGroupId?: pulumi.Input<string> };
    /** AWS Batch over the same launch template and placement group. Defaults to enabled. */
    batch?: {
        enabled?: boolean;
        /** Upper bound of the compute environment. Defaults to compute.maxSize × the type's vCPUs (required where the size name does not tell them). */
        maxVcpus?: number;
        /** Nodes of the multi-node parallel job definition. Defaults to 2. */
        numNodes?: number;
        /** Container image of the job definition. Defaults to public.ecr.aws/amazonlinux/amazonlinux:2023. */
        containerImage?: string;
        /** Memory per node container, MiB. Defaults to 8192; jobs override it at submission. */
        memoryMiB?: number;
    };
    /** Customer KMS key for EBS (and persistent Lustre). Defaults to a key created for the cluster. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Production: `protect: true` on the key and the Lustre file system, Lustre backups. Defaults to false. */
    protect?: boolean;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

const instanceTypePattern = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/** Default head node per architecture: small, current generation, not EFA (it only logs in and submits). */
export const DEFAULT_HEAD_NODE: Record<"arm64" | "x86_64", string> = { x86_64: "c6i.xlarge", arm64: "c7g.xlarge" };

/** Validates the arguments, collecting every problem. Pure; exported for tests. */
export function validateHpcClusterArgs(args: HpcClusterArgs): ProblemCollector {
    const problems = new ProblemCollector();
    const zones = args.network.availabilityZones;
    if (args.availabilityZone !== undefined) {
        problems.check(
            !zones.includes(args.availabilityZone),
            "availabilityZone",
            `${args.availabilityZone} is not one of the network's AZs (${zones.join(", ")}); a cluster placement group lives in one of them`,
        );
    }
    problems.check(zones.length === 0, "network.availabilityZones", "the network has no AZ");
    if (!instanceTypePattern.test(args.instanceType)) {
        problems.add("instanceType", `expected an EC2 instance type such as c5n.18xlarge, got "${args.instanceType}"`);
    }
    const efa = instanceTypePattern.test(args.instanceType) ? efaProblem(args.instanceType) : undefined;
    if (efa) problems.add("instanceType", efa);
    const efaCapable = maxEfaInterfaces(args.instanceType) !== undefined;
    const min = args.compute.minSize ?? 0;
    const max = args.compute.maxSize;
    problems.check(!Number.isInteger(min) || min < 0, "compute.minSize", `expected a whole number >= 0, got ${min}`);
    problems.check(!Number.isInteger(max) || max < 1 || max < min, "compute.maxSize", `expected a whole number >= 1 and >= minSize (${min}), got ${max}`);
    const head = args.headNode?.instanceType;
    problems.check(head !== undefined && !instanceTypePattern.test(head), "headNode.instanceType", `expected an EC2 instance type such as c6i.xlarge, got "${head}"`);
    const headUnknown = head !== undefined && instanceTypePattern.test(head) ? ec2InstanceTypeProblem(head) : undefined;
    if (headUnknown) problems.add("headNode.instanceType", headUnknown);
    const root = args.rootVolumeGiB ?? 64;
    problems.check(!Number.isInteger(root) || root < 8 || root > 16384, "rootVolumeGiB", `expected 8-16384 GiB, got ${root}`);

    // Batch sizing only makes sense for a valid instance type (already reported otherwise).
    if ((args.batch?.enabled ?? true) && efaCapable) {
        const vcpus = vcpusFromSize(args.instanceType);
        const maxVcpus = args.batch?.maxVcpus;
        const numNodes = args.batch?.numNodes ?? 2;
        if (maxVcpus === undefined) {
            problems.check(vcpus === undefined, "batch.maxVcpus", `required for ${args.instanceType}: its vCPU count cannot be told from the size name`);
        } else {
            problems.check(!Number.isInteger(maxVcpus) || maxVcpus < 1, "batch.maxVcpus", `expected a whole number >= 1, got ${maxVcpus}`);
        }
        problems.check(!Number.isInteger(numNodes) || numNodes < 1, "batch.numNodes", `expected a whole number >= 1, got ${numNodes}`);
        const ceiling = maxVcpus ?? (vcpus !== undefined ? vcpus * max : undefined);
        if (vcpus !== undefined && ceiling !== undefined && Number.isInteger(numNodes)) {
            problems.check(
                numNodes * vcpus > ceiling,
                "batch.numNodes",
                `${numNodes} nodes of ${args.instanceType} need ${numNodes * vcpus} vCPUs, more than the compute environment's ${ceiling}`,
            );
        }
        const memory = args.batch?.memoryMiB;
        problems.check(memory !== undefined && (!Number.isInteger(memory) || memory < 4), "batch.memoryMiB", `expected a whole number of MiB >= 4, got ${memory}`);
    }
    if (args.lustre) {
        validateLustreArgs(args.lustre, problems, "lustre.");
    }
    return problems;
}

const assumeRole = (service: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

const MANAGED = {
    ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ecsInstance: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    batchService: "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole",
};

/**
 * An EFA cluster in one AZ: a cluster placement group; one security group that admits all traffic
 * from itself and leaves only to itself, to HTTPS (SSM, package repositories) and to the file
 * systems (no SSH: SSM Session Manager); an EFA launch template (IMDSv2, encrypted root, Lustre and
 * EFS mounts); a head node; a compute Auto Scaling group in the placement group (min 0, Spot
 * optional); an AWS Batch compute environment over the same launch template and placement group,
 * a job queue and a multi-node parallel job definition; optionally FSx for Lustre in the subnet.
 * Every single-AZ-by-design child carries the Multi-AZ exemption tag.
 */
export class HpcCluster extends pulumi.ComponentResource {
    readonly availabilityZone: string;
    readonly subnetId: pulumi.Output<string>;
    readonly placementGroup: aws.ec2.PlacementGroup;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly computeGroup: aws.autoscaling.Group;
    readonly headNode?: aws.ec2.Instance;
    readonly lustre?: LustreFileSystem;
    readonly computeEnvironment?: aws.batch.ComputeEnvironment;
    readonly jobQueue?: aws.batch.JobQueue;
    readonly jobDefinition?: aws.batch.JobDefinition;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: HpcClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:hpc:HpcCluster", name, {}, opts);
        validateHpcClusterArgs(args).throwIfAny(`HpcCluster '${name}'`);

        const protect = args.protect ?? false;
        const tags = { ...args.tags };
        const exempt = { ...tags, ...placementGroupExemption() };
        const zones = args.network.availabilityZones;
        this.availabilityZone = args.availabilityZone ?? zones[0];
        const zoneIndex = zones.indexOf(this.availabilityZone);
        this.subnetId = pulumi.output(args.network.privateSubnetIds).apply((ids) => {
            if (ids.length !== zones.length) {
                throw new Error(`HpcCluster '${name}': the network has ${ids.length} private subnets for ${zones.length} AZs`);
            }
            return ids[zoneIndex];
        });
        const efaCount = maxEfaInterfaces(args.instanceType) ?? 1;
        const arch = architectureOf(args.instanceType);

        // Placement and network.
        this.placementGroup = new aws.ec2.PlacementGroup(`${name}-pg`, { strategy: "cluster", tags: { ...exempt, Name: `${name}-pg` } }, { parent: this });
        this.securityGroup = newSecurityGroup(
            `${name}-sg`,
            { vpcId: args.network.vpcId, description: `HPC cluster ${name}: all traffic within the group (EFA), HTTPS out, no SSH`, tags: { ...tags, Name: `${name}-sg` } },
            { parent: this },
        );
        allowSelf(`${name}-efa`, { group: this.securityGroup.id, port: allTraffic, description: "EFA: all traffic to and from the cluster group itself" }, { parent: this });
        allowEgressToWorld(`${name}-https`, { group: this.securityGroup.id, ports: [443], description: "SSM Session Manager, AWS APIs and package repositories" }, { parent: this });
        if (args.efsHome?.securityGroupId !== undefined) {
            allowFrom(`${name}-efs-home`, { target: args.efsHome.securityGroupId, source: this.securityGroup.id, port: tcp(2049), description: "cluster nodes to EFS home directories" }, { parent: this });
        }

        const kmsKeyArn = args.kmsKeyArn ?? newDataKey(`${name}-key`, { description: `HPC cluster ${name}: EBS volumes`, tags, production: protect, grants: { autoScaling: true } }, { parent: this }).arn;

        if (args.lustre) {
            this.lustre = new LustreFileSystem(
                `${name}-lustre`,
                {
                    ...args.lustre,
                    vpcId: args.network.vpcId,
                    subnetId: this.subnetId,
                    clients: [{ name: "cluster", securityGroupId: this.securityGroup.id, formerIndex: 0 }],
                    // SCRATCH_2 takes the FSx service key only.
                    kmsKeyArn: args.lustre.deploymentType === "SCRATCH_2" ? undefined : kmsKeyArn,
                    protect,
                    tags,
                },
                { parent: this },
            );
        }
        const userData = pulumi
            .all([this.lustre?.dnsName, this.lustre?.mountName, args.efsHome?.fileSystemId])
            .apply(([dnsName, mountName, efs]) =>
                Buffer.from(renderUserData({ lustre: dnsName && mountName ? { dnsName, mountName } : undefined, efsFileSystemId: efs })).toString("base64"),
            );

        // Identity: nodes get SSM only; Batch instances also run the ECS agent.
        const nodeRole = new aws.iam.Role(`${name}-node`, { assumeRolePolicy: assumeRole("ec2.amazonaws.com"), tags }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-node-ssm`, { role: nodeRole.name, policyArn: MANAGED.ssm }, { parent: this });
        const nodeProfile = new aws.iam.InstanceProfile(`${name}-node`, { role: nodeRole.name, tags }, { parent: this });

        const ami = (a: "arm64" | "x86_64") => args.amiId ?? aws.ssm.getParameterOutput({ name: al2023AmiParameter(a) }, { parent: this }).value;
        // Without amiId the image is "the latest Amazon Linux 2023" at creation: a newer image AWS publishes
        // later must not replace the head node or roll the fleet on its own. Updating is deliberate: set amiId.
        const latestImage = args.amiId === undefined;
        const rootVolume = (size: number) => ({ volumeSize: size, volumeType: "gp3", encrypted: true, kmsKeyId: kmsKeyArn, deleteOnTermination: true });
        const rootGiB = args.rootVolumeGiB ?? 64;

        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-compute`,
            {
                description: `EFA compute nodes of ${name} (${args.instanceType}, ${efaCount} EFA interface${efaCount === 1 ? "" : "s"})`,
                imageId: ami(arch),
                instanceType: args.instanceType,
                updateDefaultVersion: true,
                iamInstanceProfile: { arn: nodeProfile.arn },
                // Hop limit 2 so that Batch's containers reach IMDSv2 too.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: { volumeSize: rootGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn, deleteOnTermination: "true" },
                    },
                ],
                networkInterfaces: efaNetworkInterfaces(efaCount, this.securityGroup.id),
                monitoring: { enabled: true },
                userData,
                tagSpecifications: [
                    { resourceType: "instance", tags: { ...exempt, Name: `${name}-compute` } },
                    { resourceType: "volume", tags: { ...tags, Name: `${name}-compute` } },
                ],
                tags: { ...exempt, Name: `${name}-compute` },
            },
            { parent: this, ignoreChanges: latestImage ? ["imageId"] : [] },
        );

        if (args.headNode?.enabled ?? true) {
            const headType = args.headNode?.instanceType ?? DEFAULT_HEAD_NODE[arch];
            this.headNode = new aws.ec2.Instance(
                `${name}-head`,
                {
                    ami: ami(architectureOf(headType)),
                    instanceType: headType,
                    subnetId: this.subnetId,
                    vpcSecurityGroupIds: [this.securityGroup.id],
                    associatePublicIpAddress: false,
                    iamInstanceProfile: nodeProfile.name,
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                    rootBlockDevice: rootVolume(rootGiB),
                    monitoring: true,
                    userDataBase64: userData,
                    userDataReplaceOnChange: false,
                    tags: { ...exempt, Name: `${name}-head` },
                    volumeTags: { ...tags, Name: `${name}-head` },
                },
                { parent: this, ignoreChanges: latestImage ? ["ami"] : [] },
            );
        }

        const min = args.compute.minSize ?? 0;
        const spot = args.compute.spot ?? false;
        // An explicit version: "$Latest" is resolved once, when Batch creates its compute environment, so
        // later launch template changes would never reach Batch's instances; a number is updated in place.
        const ltVersion = this.launchTemplate.latestVersion.apply(String);
        const ltSpec = { launchTemplateId: this.launchTemplate.id, version: ltVersion };
        this.computeGroup = new aws.autoscaling.Group(
            `${name}-compute`,
            {
                minSize: min,
                maxSize: args.compute.maxSize,
                placementGroup: this.placementGroup.name,
                vpcZoneIdentifiers: [this.subnetId],
                ...(spot
                    ? {
                          capacityRebalance: true,
                          mixedInstancesPolicy: {
                              launchTemplate: { launchTemplateSpecification: ltSpec },
                              instancesDistribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: "capacity-optimized" },
                          },
                      }
                    : { launchTemplate: { id: ltSpec.launchTemplateId, version: ltSpec.version } }),
                healthCheckType: "EC2",
                tags: Object.entries({ ...exempt, Name: `${name}-compute` }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            },
            { parent: this },
        );

        if (args.batch?.enabled ?? true) {
            const batchInstanceRole = new aws.iam.Role(`${name}-batch-instance`, { assumeRolePolicy: assumeRole("ec2.amazonaws.com"), tags }, { parent: this });
            new aws.iam.RolePolicyAttachment(`${name}-batch-instance-ecs`, { role: batchInstanceRole.name, policyArn: MANAGED.ecsInstance }, { parent: this });
            new aws.iam.RolePolicyAttachment(`${name}-batch-instance-ssm`, { role: batchInstanceRole.name, policyArn: MANAGED.ssm }, { parent: this });
            const batchProfile = new aws.iam.InstanceProfile(`${name}-batch-instance`, { role: batchInstanceRole.name, tags }, { parent: this });
            const serviceRole = new aws.iam.Role(`${name}-batch-service`, { assumeRolePolicy: assumeRole("batch.amazonaws.com"), tags }, { parent: this });
            const serviceAttachment = new aws.iam.RolePolicyAttachment(`${name}-batch-service`, { role: serviceRole.name, policyArn: MANAGED.batchService }, { parent: this });

            const vcpus = vcpusFromSize(args.instanceType);
            const maxVcpus = args.batch?.maxVcpus ?? (vcpus ?? 0) * args.compute.maxSize;
            this.computeEnvironment = new aws.batch.ComputeEnvironment(
                `${name}-batch`,
                {
                    type: "MANAGED",
                    state: "ENABLED",
                    serviceRole: serviceRole.arn,
                    computeResources: {
                        // Multi-node parallel jobs are not supported on Spot (AWS Batch guide, "Compute
                        // environment considerations for MNP"), so this is On-Demand whatever compute.spot says.
                        type: "EC2",
                        allocationStrategy: "BEST_FIT_PROGRESSIVE",
                        instanceTypes: [args.instanceType],
                        minVcpus: 0,
                        maxVcpus,
                        placementGroup: this.placementGroup.name,
                        subnets: [this.subnetId],
                        // No securityGroupIds: the launch template's network interfaces carry the group
                        // (Batch rejects groups in both places).
                        instanceRole: batchProfile.arn,
                        launchTemplate: { launchTemplateId: this.launchTemplate.id, version: ltVersion },
                        ec2Configurations: [{ imageType: "ECS_AL2023", imageIdOverride: aws.ssm.getParameterOutput({ name: ecsAmiParameter(arch) }, { parent: this }).value }],
                        tags: { ...exempt, Name: `${name}-batch` },
                    },
                    tags: { ...exempt, Name: `${name}-batch` },
                },
                // The ECS-optimised image is looked up like the node image: a newer one is taken deliberately.
                { parent: this, dependsOn: [serviceAttachment], ignoreChanges: ["computeResources.ec2Configurations"] },
            );
            this.jobQueue = new aws.batch.JobQueue(
                `${name}-queue`,
                { state: "ENABLED", priority: 1, computeEnvironmentOrders: [{ order: 1, computeEnvironment: this.computeEnvironment.arn }], tags },
                { parent: this },
            );
            this.jobDefinition = new aws.batch.JobDefinition(
                `${name}-mpi`,
                {
                    type: "multinode",
                    platformCapabilities: ["EC2"],
                    nodeProperties: multiNodeProperties({
                        numNodes: args.batch?.numNodes ?? 2,
                        image: args.batch?.containerImage ?? "public.ecr.aws/amazonlinux/amazonlinux:2023",
                        vcpus: vcpus ?? Math.max(1, Math.floor(maxVcpus / args.compute.maxSize)),
                        memoryMiB: args.batch?.memoryMiB ?? 8192,
                        efaInterfaces: efaCount,
                        lustre: args.lustre !== undefined,
                    }),
                    retryStrategy: { attempts: 1 },
                    propagateTags: true,
                    tags,
                },
                { parent: this },
            );
        }

        this.securityGroupId = this.securityGroup.id;
        this.registerOutputs({
            availabilityZone: this.availabilityZone,
            subnetId: this.subnetId,
            placementGroupName: this.placementGroup.name,
            securityGroupId: this.securityGroupId,
            launchTemplateId: this.launchTemplate.id,
            computeGroupName: this.computeGroup.name,
            headNodeId: this.headNode?.id,
            lustreDnsName: this.lustre?.dnsName,
            jobQueueArn: this.jobQueue?.arn,
            jobDefinitionArn: this.jobDefinition?.arn,
        });
    }
}

import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { caught, forBothModes } from "./support";

/** Multi-AZ and HPC rules on small programs, in both modes, on a production stack (Multi-AZ mandatory). */

const prod = { stack: "prod" };
const AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];
const IMDSV2 = { httpTokens: "required" };
const ROOT = [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }];
const EXEMPT = "platform:multi-az-exempt";

/** A VPC with a public and a private subnet per AZ. */
function network() {
    const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
    const pub = AZS.map((az, i) => new aws.ec2.Subnet(`public-${i}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock: `10.0.${i}.0/24` }));
    const priv = AZS.map((az, i) => new aws.ec2.Subnet(`private-${i}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock: `10.0.${10 + i}.0/24` }));
    return { vpc, pub, priv };
}

describe("Multi-AZ over every shape (small programs, both modes)", () => {
    const natProgram = (routeTo: (i: number) => number) => () => {
        const { vpc, pub, priv } = network();
        const nats = pub.map((s, i) => new aws.ec2.NatGateway(`nat-${i}`, { subnetId: s.id, allocationId: new aws.ec2.Eip(`nat-${i}`, { domain: "vpc" }).id }));
        priv.forEach((s, i) => {
            const rt = new aws.ec2.RouteTable(`private-${i}`, { vpcId: vpc.id });
            new aws.ec2.Route(`private-${i}-default`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[routeTo(i)].id });
            new aws.ec2.RouteTableAssociation(`private-${i}`, { subnetId: s.id, routeTableId: rt.id });
        });
    };
    forBothModes("control: a NAT gateway per AZ, each AZ's private subnets routed to their own", natProgram((i) => i), (vs) => expect(caught(vs)).to.deep.equal([]), prod);
    forBothModes(
        "three NAT gateways, but every AZ's private subnets routed through the first one",
        natProgram(() => 0),
        (vs) => expect(caught(vs)).to.have.members(["multi-az-nat-gateways private-1", "multi-az-nat-gateways private-1-default", "multi-az-nat-gateways private-2", "multi-az-nat-gateways private-2-default"]),
        prod,
    );
    forBothModes(
        "one NAT gateway for three AZs, every private route table routed to it",
        () => {
            const { vpc, pub, priv } = network();
            const nat = new aws.ec2.NatGateway("nat", { subnetId: pub[0].id, allocationId: new aws.ec2.Eip("nat", { domain: "vpc" }).id });
            priv.forEach((s, i) => {
                const rt = new aws.ec2.RouteTable(`private-${i}`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] });
                new aws.ec2.RouteTableAssociation(`private-${i}`, { subnetId: s.id, routeTableId: rt.id });
            });
        },
        (vs) => expect(caught(vs)).to.have.members(["multi-az-nat-gateways private-1", "multi-az-nat-gateways private-2", "multi-az-nat-gateways nat"]),
        prod,
    );

    forBothModes(
        "a Classic load balancer in one AZ, a MemoryDB cluster without replicas, an Auto Scaling group of max 1 raised by a schedule",
        () => {
            new aws.elb.LoadBalancer("legacy", { availabilityZones: ["us-east-1a"], listeners: [{ instancePort: 8080, instanceProtocol: "http", lbPort: 443, lbProtocol: "https", sslCertificateId: "arn:aws:acm:us-east-1:123456789012:certificate/abc" }] });
            new aws.memorydb.Cluster("sessions", { nodeType: "db.r6g.large", aclName: "open-access", numShards: 1, numReplicasPerShard: 0, tlsEnabled: true });
            const lt = new aws.ec2.LaunchTemplate("batch", { imageId: "ami-1", metadataOptions: IMDSV2, blockDeviceMappings: ROOT });
            const asg = new aws.autoscaling.Group("batch", { minSize: 0, maxSize: 1, vpcZoneIdentifiers: ["subnet-0a1"], launchTemplate: { id: lt.id, version: "$Latest" } });
            new aws.autoscaling.Schedule("nightly", { autoscalingGroupName: asg.name, scheduledActionName: "nightly", minSize: 0, maxSize: 10, desiredCapacity: 10, recurrence: "0 1 * * *" });
        },
        (vs) => expect(caught(vs)).to.have.members(["multi-az-load-balancer legacy", "multi-az-redis sessions", "multi-az-auto-scaling-group batch"]),
        prod,
    );

    forBothModes(
        "EFS clients include ECS services and Lambda functions: a file system with one mount target for a service in three AZs",
        () => {
            const { priv } = network();
            const app = new aws.ec2.SecurityGroup("app", { vpcId: "vpc-1" });
            const efsSg = new aws.ec2.SecurityGroup("files", { vpcId: "vpc-1" });
            new aws.vpc.SecurityGroupIngressRule("app-to-files", { securityGroupId: efsSg.id, referencedSecurityGroupId: app.id, ipProtocol: "tcp", fromPort: 2049, toPort: 2049 });
            const fs = new aws.efs.FileSystem("files", { encrypted: true });
            new aws.efs.MountTarget("files-0", { fileSystemId: fs.id, subnetId: priv[0].id, securityGroups: [efsSg.id] });
            new aws.ecs.Service("api", { cluster: "main", taskDefinition: "api:1", desiredCount: 3, networkConfiguration: { subnets: priv.map((s) => s.id), securityGroups: [app.id] } });
            new aws.lambda.Function("thumbs", { role: "arn:aws:iam::123456789012:role/fn", runtime: "nodejs20.x", handler: "index.handler", vpcConfig: { subnetIds: priv.map((s) => s.id), securityGroupIds: [app.id] } });
        },
        (vs) => {
            expect(caught(vs)).to.deep.equal(["multi-az-efs files"]);
            expect(vs[0].message).to.match(/1 mount target\(s\) but its client (Service 'api'|Function 'thumbs') runs in 3 AZs/);
        },
        prod,
    );
});

describe("HPC: EFA on every launch path (small programs, both modes)", () => {
    /** An EFA group admitting itself for all traffic in and out. */
    const efaGroup = (selfOut = true) => {
        const sg = new aws.ec2.SecurityGroup("efa", { vpcId: "vpc-1" });
        new aws.vpc.SecurityGroupIngressRule("efa-in", { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: "-1" });
        if (selfOut) new aws.vpc.SecurityGroupEgressRule("efa-out", { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: "-1" });
        return sg;
    };
    const efaTemplate = (sg: aws.ec2.SecurityGroup) =>
        new aws.ec2.LaunchTemplate("nodes", {
            imageId: "ami-1",
            instanceType: "c5n.18xlarge",
            metadataOptions: IMDSV2,
            blockDeviceMappings: ROOT,
            networkInterfaces: [{ deviceIndex: 0, networkCardIndex: 0, interfaceType: "efa", securityGroups: [sg.id] }],
        });

    forBothModes(
        "control: a cluster placement group given on a Batch compute environment, one subnet",
        () => {
            const lt = efaTemplate(efaGroup());
            const pg = new aws.ec2.PlacementGroup("hpc", { strategy: "cluster" });
            new aws.batch.ComputeEnvironment("mpi", {
                type: "MANAGED",
                computeResources: { type: "EC2", maxVcpus: 288, instanceTypes: ["c5n.18xlarge"], subnets: ["subnet-0a1"], placementGroup: pg.name, launchTemplate: { launchTemplateId: lt.id, version: "$Latest" }, instanceRole: "arn:aws:iam::123456789012:instance-profile/ecs" },
                tags: { [EXEMPT]: "hpc-cluster-placement-group" },
            });
        },
        (vs) => expect(caught(vs)).to.deep.equal([]),
        prod,
    );

    forBothModes(
        "a Batch compute environment launching EFA nodes with no placement group",
        () => {
            const lt = efaTemplate(efaGroup());
            new aws.batch.ComputeEnvironment("mpi", { type: "MANAGED", computeResources: { type: "EC2", maxVcpus: 288, instanceTypes: ["c5n.18xlarge"], subnets: ["subnet-0a1"], launchTemplate: { launchTemplateId: lt.id }, instanceRole: "arn:aws:iam::123456789012:instance-profile/ecs" } });
        },
        (vs) => {
            // The template and the environment that launches it without a placement group are both named.
            expect(caught(vs)).to.deep.equal(["hpc-efa-cluster nodes", "hpc-efa-cluster mpi"]);
            expect(vs[0].message).to.match(/no cluster placement group for Batch compute environment 'mpi'/);
        },
        prod,
    );

    const plainEfa = (opts: { pg: boolean; selfOut: boolean }) => () => {
        const sg = efaGroup(opts.selfOut);
        const pg = new aws.ec2.PlacementGroup("hpc", { strategy: "cluster" });
        for (const i of [0, 1]) {
            const eni = new aws.ec2.NetworkInterface(`node-${i}-efa`, { subnetId: "subnet-0a1", interfaceType: "efa", securityGroups: [sg.id] });
            new aws.ec2.Instance(`node-${i}`, {
                ami: "ami-1",
                instanceType: "c5n.18xlarge",
                placementGroup: opts.pg ? pg.id : undefined,
                metadataOptions: IMDSV2,
                rootBlockDevice: { encrypted: true },
                networkInterfaces: [{ networkInterfaceId: eni.id, deviceIndex: 0 }],
            });
        }
    };
    forBothModes("control: EFA interfaces on plain instances in a cluster placement group, one subnet, a self-referencing group", plainEfa({ pg: true, selfOut: true }), (vs) => expect(caught(vs)).to.deep.equal([]), prod);
    forBothModes(
        "EFA interfaces on plain instances with no placement group and a group that does not let itself out",
        plainEfa({ pg: false, selfOut: false }),
        (vs) => expect(caught(vs)).to.have.members(["hpc-efa-cluster node-0", "hpc-efa-cluster node-0", "hpc-efa-cluster node-1", "hpc-efa-cluster node-1"]),
        prod,
    );
});

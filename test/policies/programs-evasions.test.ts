import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { caught, forBothModes } from "./support";

/** More shapes a hurried team or an attacker would write, each judged by the whole pack in both modes. */

const SUBNETS = ["subnet-0a1", "subnet-0b2", "subnet-0c3"];
const IMDSV2 = { httpTokens: "required" };
const ROOT = [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }];
const group = (name: string, args: aws.ec2.SecurityGroupArgs = {}) => new aws.ec2.SecurityGroup(name, { vpcId: "vpc-1", ...args });
const instance = (name: string, sg: aws.ec2.SecurityGroup) =>
    new aws.ec2.Instance(name, { ami: "ami-1", instanceType: "t3.small", vpcSecurityGroupIds: [sg.id], metadataOptions: IMDSV2, rootBlockDevice: { encrypted: true } });

describe("evasion shapes (small programs, both modes)", () => {
    forBothModes(
        "a database group naming the load balancer's group in its inline ingress",
        () => {
            const alb = group("alb");
            new aws.lb.LoadBalancer("web", { securityGroups: [alb.id], subnets: SUBNETS });
            const db = group("db", { ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, securityGroups: [alb.id] }] });
            new aws.rds.Cluster("aurora", { engine: "aurora-mysql", storageEncrypted: true, vpcSecurityGroupIds: [db.id], masterUsername: "admin", manageMasterUserPassword: true });
        },
        (vs) => expect(caught(vs).filter((c) => c.startsWith("security-group"))).to.deep.equal(["security-group-chaining db"]),
    );

    forBothModes(
        "all traffic ('all') from the world on a DocumentDB group, and ::/0 on a Neptune group",
        () => {
            const docs = group("docs");
            new aws.ec2.SecurityGroupRule("docs-any", { type: "ingress", securityGroupId: docs.id, protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
            new aws.docdb.Cluster("docs", { storageEncrypted: true, vpcSecurityGroupIds: [docs.id], masterUsername: "admin", masterPassword: "not-a-real-password" });
            const graphSg = group("graph");
            new aws.vpc.SecurityGroupIngressRule("graph-v6", { securityGroupId: graphSg.id, cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 8182, toPort: 8182 });
            new aws.neptune.Cluster("graph", { storageEncrypted: true, vpcSecurityGroupIds: [graphSg.id] });
        },
        (vs) => expect(caught(vs)).to.have.members(["security-group-chaining docs-any", "no-admin-ports-from-world docs-any", "no-admin-ports-from-world docs-any", "security-group-chaining graph-v6"]),
    );

    forBothModes(
        "every TCP port from the world on instances reached through network interfaces in a launch template",
        () => {
            const sg = group("fleet", { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }] });
            new aws.ec2.LaunchTemplate("fleet", { imageId: "ami-1", metadataOptions: IMDSV2, blockDeviceMappings: ROOT, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [sg.id] }] });
        },
        (vs) => expect(caught(vs)).to.have.members(["security-group-chaining fleet", "no-admin-ports-from-world fleet", "no-admin-ports-from-world fleet"]),
    );

    forBothModes(
        "SSH through an AWS prefix list the program cannot see, on an internet-facing load balancer's group",
        () => {
            const sg = group("edge");
            new aws.vpc.SecurityGroupIngressRule("edge-ssh", { securityGroupId: sg.id, prefixListId: "pl-0a1b2c3d", ipProtocol: "tcp", fromPort: 22, toPort: 22 });
            new aws.lb.LoadBalancer("edge", { loadBalancerType: "network", securityGroups: [sg.id], subnets: SUBNETS });
        },
        (vs) => expect(caught(vs)).to.have.members(["no-admin-ports-from-world edge-ssh", "security-group-chaining edge-ssh"]),
    );

    forBothModes(
        "a serverless cache admitting the load balancer's group; an FSx for ONTAP file system admitting a CIDR",
        () => {
            const alb = group("alb");
            new aws.lb.LoadBalancer("web", { internal: true, securityGroups: [alb.id], subnets: SUBNETS });
            const cache = group("cache");
            new aws.vpc.SecurityGroupIngressRule("alb-to-cache", { securityGroupId: cache.id, referencedSecurityGroupId: alb.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
            new aws.elasticache.ServerlessCache("sessions", { engine: "valkey", securityGroupIds: [cache.id], subnetIds: SUBNETS });
            const ontap = group("ontap");
            new aws.vpc.SecurityGroupIngressRule("ontap-nfs", { securityGroupId: ontap.id, cidrIpv4: "10.0.0.0/8", ipProtocol: "tcp", fromPort: 2049, toPort: 2049 });
            new aws.fsx.OntapFileSystem("shares", { deploymentType: "MULTI_AZ_1", subnetIds: SUBNETS.slice(0, 2), preferredSubnetId: SUBNETS[0], throughputCapacity: 512, storageCapacity: 1024, securityGroupIds: [ontap.id] });
        },
        (vs) => expect(caught(vs)).to.have.members(["security-group-chaining alb-to-cache", "security-group-chaining ontap-nfs"]),
    );

    forBothModes(
        "a database admitting an instance group that the load balancer also uses",
        () => {
            const shared = group("web");
            new aws.lb.LoadBalancer("web", { securityGroups: [shared.id], subnets: SUBNETS });
            instance("web", shared);
            const db = group("db");
            new aws.vpc.SecurityGroupIngressRule("web-to-db", { securityGroupId: db.id, referencedSecurityGroupId: shared.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
            new aws.rds.Instance("pg", { engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 20, storageEncrypted: true, multiAz: true, vpcSecurityGroupIds: [db.id] });
        },
        (vs) => expect(caught(vs)).to.deep.equal(["security-group-chaining web-to-db"]),
    );

    forBothModes(
        "a group attached to an instance's network interface after the fact, opened to the world",
        () => {
            const base = group("base");
            const web = instance("web", base);
            const open = group("open", { ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] }] });
            new aws.ec2.NetworkInterfaceSecurityGroupAttachment("open-web", { securityGroupId: open.id, networkInterfaceId: web.primaryNetworkInterfaceId });
        },
        (vs) => expect(caught(vs)).to.deep.equal(["security-group-chaining open"]),
    );

    forBothModes(
        "a database created without a group runs in the VPC's default group, which the program opens to the load balancer's group",
        () => {
            const alb = group("alb");
            new aws.lb.LoadBalancer("web", { securityGroups: [alb.id], subnets: SUBNETS });
            new aws.ec2.DefaultSecurityGroup("default", { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [alb.id] }] });
            new aws.rds.Instance("pg", { engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 20, storageEncrypted: true, multiAz: true });
        },
        (vs) => expect(caught(vs)).to.deep.equal(["security-group-chaining default"]),
    );

    forBothModes(
        "control: the VPC's default group locked down (no rules)",
        () => {
            new aws.ec2.DefaultSecurityGroup("default", { vpcId: "vpc-1", ingress: [], egress: [] });
            new aws.rds.Instance("pg", { engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 20, storageEncrypted: true, multiAz: true });
        },
        (vs) => expect(caught(vs)).to.deep.equal([]),
    );

    forBothModes(
        "control: Multi-AZ Aurora with two instances admitting the application's ECS service",
        () => {
            const app = group("app");
            new aws.ecs.Service("api", { cluster: "main", taskDefinition: "api:1", desiredCount: 3, networkConfiguration: { subnets: SUBNETS, securityGroups: [app.id] } });
            const db = group("db");
            new aws.vpc.SecurityGroupIngressRule("app-to-db", { securityGroupId: db.id, referencedSecurityGroupId: app.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
            const cluster = new aws.rds.Cluster(
                "aurora",
                { engine: "aurora-postgresql", storageEncrypted: true, vpcSecurityGroupIds: [db.id], masterUsername: "app", manageMasterUserPassword: true, deletionProtection: true, backupRetentionPeriod: 14, finalSnapshotIdentifier: "aurora-final" },
                { protect: true },
            );
            for (const i of [0, 1]) new aws.rds.ClusterInstance(`aurora-${i}`, { clusterIdentifier: cluster.id, engine: "aurora-postgresql", instanceClass: "db.r6g.large" });
        },
        (vs) => expect(caught(vs)).to.deep.equal([]),
        { stack: "prod-eu" },
    );
});

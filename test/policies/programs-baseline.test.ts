import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { caught, forBothModes } from "./support";

/** Baseline rules on small programs, in both modes; the expectation is the exact list of mandatory violations. */

const SUBNETS = ["subnet-0a1", "subnet-0b2", "subnet-0c3"];
const IMDSV2 = { httpTokens: "required", httpEndpoint: "enabled" };
const privateGroup = (name: string) => new aws.ec2.SecurityGroup(name, { vpcId: "vpc-1", description: "no ingress: reached through SSM Session Manager" });

describe("baseline rules (small programs, both modes)", () => {
    forBothModes(
        "control: an SSM-only private instance with an encrypted root volume, and a queue with AWS's default encryption",
        () => {
            const sg = privateGroup("worker");
            new aws.ec2.Instance("worker", { ami: "ami-1", instanceType: "t3.small", subnetId: SUBNETS[0], vpcSecurityGroupIds: [sg.id], iamInstanceProfile: "ssm", metadataOptions: IMDSV2, rootBlockDevice: { encrypted: true, volumeSize: 20 } });
            new aws.sqs.Queue("jobs", { visibilityTimeoutSeconds: 60 });
        },
        (vs) => expect(caught(vs)).to.deep.equal([]),
    );

    forBothModes(
        "no block-device mapping gets the AMI's unencrypted root volume: an instance and a launch template",
        () => {
            const sg = privateGroup("app");
            new aws.ec2.Instance("bare", { ami: "ami-1", instanceType: "t3.small", vpcSecurityGroupIds: [sg.id], metadataOptions: IMDSV2 });
            new aws.ec2.LaunchTemplate("bare-lt", { imageId: "ami-1", vpcSecurityGroupIds: [sg.id], metadataOptions: IMDSV2 });
            new aws.ec2.LaunchTemplate("data-only", { imageId: "ami-1", metadataOptions: IMDSV2, blockDeviceMappings: [{ deviceName: "/dev/sdf", ebs: { encrypted: "true", volumeSize: 100 } }] });
        },
        (vs) => expect(caught(vs)).to.have.members(["encryption-at-rest bare", "encryption-at-rest bare-lt", "encryption-at-rest data-only"]),
    );

    forBothModes(
        "IMDSv1 through a spot instance request, a launch configuration and a spot fleet's launch specifications",
        () => {
            new aws.ec2.SpotInstanceRequest("spot", { ami: "ami-1", instanceType: "c5.large", metadataOptions: { httpTokens: "optional" }, rootBlockDevice: { encrypted: true } });
            new aws.ec2.LaunchConfiguration("legacy", { imageId: "ami-1", instanceType: "t3.small", rootBlockDevice: { encrypted: true } });
            new aws.ec2.SpotFleetRequest("fleet", {
                iamFleetRole: "arn:aws:iam::123456789012:role/fleet",
                targetCapacity: 4,
                launchSpecifications: [{ ami: "ami-1", instanceType: "c5.large", rootBlockDevices: [{ encrypted: true, volumeSize: 20 }] }],
            });
        },
        (vs) => expect(caught(vs)).to.have.members(["imdsv2-required spot", "imdsv2-required legacy", "imdsv2-required fleet"]),
    );

    forBothModes(
        "a listener rule forwarding plain HTTP on the redirecting listener of a public ALB",
        () => {
            const lb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: SUBNETS });
            const tg = new aws.lb.TargetGroup("web", { port: 8080, protocol: "HTTP", vpcId: "vpc-1" });
            const http = new aws.lb.Listener("web-http", { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
            new aws.lb.ListenerRule("legacy-api", { listenerArn: http.arn, priority: 10, conditions: [{ pathPattern: { values: ["/api/*"] } }], actions: [{ type: "forward", targetGroupArn: tg.arn }] });
            new aws.lb.ListenerRule("well-known", { listenerArn: http.arn, priority: 20, conditions: [{ pathPattern: { values: ["/old/*"] } }], actions: [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } }] });
        },
        (vs) => expect(caught(vs)).to.deep.equal(["alb-https legacy-api"]),
    );

    forBothModes(
        "publicly accessible data stores: an RDS instance and an MQ broker; a queue with SSE-SQS turned off",
        () => {
            new aws.rds.Instance("pg", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, storageEncrypted: true, multiAz: true, publiclyAccessible: true });
            new aws.mq.Broker("orders", { brokerName: "orders", engineType: "RabbitMQ", engineVersion: "3.13", hostInstanceType: "mq.m5.large", publiclyAccessible: true, users: [{ username: "app", password: "not-a-real-password" }] });
            new aws.sqs.Queue("plain", { sqsManagedSseEnabled: false });
        },
        (vs) => expect(caught(vs)).to.have.members(["no-public-data-stores pg", "no-public-data-stores orders", "encryption-at-rest plain"]),
    );
});

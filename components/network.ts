import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
// Only the ec2 module: awsx's index loads every module (and awsx.classic), about 75 ms more per run.
import * as awsxEc2 from "@pulumi/awsx/ec2";
import type { NatGatewayStrategy } from "@pulumi/awsx/types/enums/ec2";
import { ProblemCollector } from "./validation";

export type NatGateways = "single" | "perAz" | "none";

export interface NetworkArgs {
    /** The AZs to span, in order; subnet i of each tier sits in AZ i. At least one. */
    availabilityZones: string[];
    /** VPC CIDR block, split by awsx into one public and one private subnet per AZ. Defaults to "10.0.0.0/16". */
    cidrBlock?: string;
    /** One NAT gateway for the VPC, one per AZ, or none. Defaults to "perAz". */
    natGateways?: NatGateways;
    /** VPC flow logs (all traffic) to a CloudWatch log group. Defaults to true. */
    flowLogs?: boolean;
    /** Days flow logs are kept. Defaults to 365. */
    flowLogRetentionDays?: number;
    /** Tags for every child. */
    tags?: Record<string, string>;
}

/** What the other components need to know about the network. */
export interface NetworkRef {
    vpcId: pulumi.Input<string>;
    /** One public subnet per AZ, in the order of `availabilityZones`. */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** One private subnet per AZ, in the order of `availabilityZones`. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    availabilityZones: string[];
    /** The VPC CIDR block, for the rare rule that must name it. */
    cidrBlock: string;
}

const natStrategy: Record<NatGateways, NatGatewayStrategy> = {
    single: "Single",
    perAz: "OnePerAz",
    none: "None",
};

/** Validates the arguments, collecting every problem. Pure; exported for tests. */
export function validateNetworkArgs(args: NetworkArgs): ProblemCollector {
    const problems = new ProblemCollector();
    problems.check(args.availabilityZones.length === 0, "availabilityZones", "at least one AZ is required");
    problems.check(
        new Set(args.availabilityZones).size !== args.availabilityZones.length,
        "availabilityZones",
        `AZs must be distinct, got ${args.availabilityZones.join(", ")}`,
    );
    if (args.cidrBlock !== undefined) {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(args.cidrBlock);
        const octetsOk = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255);
        const prefix = m ? Number(m[5]) : -1;
        problems.check(!octetsOk || prefix < 16 || prefix > 24, "cidrBlock", `expected an IPv4 CIDR from /16 to /24, got ${args.cidrBlock}`);
    }
    return problems;
}

/**
 * A VPC over the given AZs with a public and a private subnet in each (CIDR maths by awsx), NAT
 * gateways by strategy, and flow logs. Offline, `awsx.ec2.Vpc` is one opaque resource: the plan
 * reports it as such and mocks its subnet ids per AZ.
 */
export class Network extends pulumi.ComponentResource implements NetworkRef {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly availabilityZones: string[];
    readonly cidrBlock: string;
    readonly vpc: awsxEc2.Vpc;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        validateNetworkArgs(args).throwIfAny(`Network '${name}'`);

        this.availabilityZones = [...args.availabilityZones];
        this.cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
        this.vpc = new awsxEc2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: this.cidrBlock,
                availabilityZoneNames: this.availabilityZones,
                subnetStrategy: "Auto",
                subnetSpecs: [{ type: "Public" }, { type: "Private" }],
                natGateways: { strategy: natStrategy[args.natGateways ?? "perAz"] },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { ...args.tags, Name: `${name}-vpc` },
            },
            { parent: this },
        );
        this.vpcId = this.vpc.vpcId;
        this.publicSubnetIds = this.vpc.publicSubnetIds;
        this.privateSubnetIds = this.vpc.privateSubnetIds;

        if (args.flowLogs ?? true) {
            const logGroup = new aws.cloudwatch.LogGroup(
                `${name}-flow-logs`,
                { retentionInDays: args.flowLogRetentionDays ?? 365, tags: args.tags },
                { parent: this },
            );
            const role = new aws.iam.Role(
                `${name}-flow-logs`,
                {
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    tags: args.tags,
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-flow-logs`,
                {
                    role: role.id,
                    policy: logGroup.arn.apply((arn) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                    Resource: [arn, `${arn}:*`],
                                },
                            ],
                        }),
                    ),
                },
                { parent: this },
            );
            new aws.ec2.FlowLog(
                `${name}-flow-logs`,
                {
                    vpcId: this.vpcId,
                    trafficType: "ALL",
                    logDestinationType: "cloud-watch-logs",
                    logDestination: logGroup.arn,
                    iamRoleArn: role.arn,
                    tags: args.tags,
                },
                { parent: this },
            );
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}

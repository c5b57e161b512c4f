import { expect } from "chai";
import { evaluate, Props, Spec, U } from "./support";
import { ASG, IN, LB, LT, OUT, SG, SUBNET } from "./fixtures";

const efaStack = (opts: { pg?: string; subnets?: number; selfOut?: boolean } = {}): Spec[] => [
    { type: SG, name: "efa", props: {} },
    { type: IN, name: "efa-in", props: { securityGroupId: U, referencedSecurityGroupId: U, ipProtocol: "-1" }, deps: { securityGroupId: ["efa"], referencedSecurityGroupId: ["efa"] } },
    ...(opts.selfOut === false ? [] : ([{ type: OUT, name: "efa-out", props: { securityGroupId: U, referencedSecurityGroupId: U, ipProtocol: "-1" }, deps: { securityGroupId: ["efa"], referencedSecurityGroupId: ["efa"] } }] satisfies Spec[])),
    { type: "aws:ec2/placementGroup:PlacementGroup", name: "pg", props: { strategy: opts.pg ?? "cluster" } },
    { type: SUBNET, name: "s0", props: { availabilityZone: "us-east-1a" } },
    { type: SUBNET, name: "s1", props: { availabilityZone: "us-east-1b" } },
    { type: LT, name: "nodes", props: { networkInterfaces: [{ deviceIndex: 0, interfaceType: "efa", securityGroups: [U] }] }, deps: { networkInterfaces: ["efa"] } },
    {
        type: ASG,
        name: "nodes-asg",
        props: { maxSize: 8, placementGroup: U, launchTemplate: { id: U }, vpcZoneIdentifiers: Array.from({ length: opts.subnets ?? 1 }, () => U) },
        deps: { placementGroup: ["pg"], launchTemplate: ["nodes"], vpcZoneIdentifiers: ["s0", "s1"].slice(0, opts.subnets ?? 1) },
    },
];

describe("hpc-efa-cluster", () => {
    const only = ["hpc-efa-cluster"];
    it("passes an EFA template in a cluster placement group, one subnet, a group admitting itself in and out", async () => {
        expect(await evaluate(efaStack(), { only })).to.deep.equal([]);
    });
    it("fails a spread placement group", async () => {
        expect((await evaluate(efaStack({ pg: "spread" }), { only }))[0].message).to.match(/no cluster placement group for Auto Scaling group 'nodes-asg'/);
    });
    it("fails two subnets", async () => {
        expect((await evaluate(efaStack({ subnets: 2 }), { only }))[0].message).to.match(/spans 2 subnets\/AZs; EFA traffic stays within one subnet/);
    });
    it("fails a group that admits itself in but not out", async () => {
        expect((await evaluate(efaStack({ selfOut: false }), { only }))[0].message).to.match(/none of its groups \('efa'\) admits itself for all traffic in and out/);
    });
});

describe("hpc-lustre-ports", () => {
    const only = ["hpc-lustre-ports"];
    const lustre = (ports: [number, number][]): Spec[] => [
        { type: SG, name: "lustre", props: { ingress: ports.map(([from, to]) => ({ protocol: "tcp", fromPort: from, toPort: to, self: true })) } },
        { type: "aws:fsx/lustreFileSystem:LustreFileSystem", name: "scratch", props: { securityGroupIds: [U], deploymentType: "SCRATCH_2" }, deps: { securityGroupIds: ["lustre"] } },
    ];
    it("passes 988 and 1018-1023 from itself", async () => {
        expect(await evaluate(lustre([[988, 988], [1018, 1023]]), { only })).to.deep.equal([]);
    });
    it("fails the 2023 guide's 1021-1023 only, naming the missing ports", async () => {
        expect((await evaluate(lustre([[988, 988], [1021, 1023]]), { only }))[0].message).to.match(/do not admit TCP 1018, 1019, 1020 from a group/);
    });
});

describe("baseline rules", () => {
    it("encryption-at-rest: names each unencrypted store and passes encrypted ones", async () => {
        const specs: Spec[] = [
            { type: "aws:rds/cluster:Cluster", name: "db", props: { engine: "aurora-mysql" } },
            { type: "aws:efs/fileSystem:FileSystem", name: "files", props: { encrypted: true } },
            { type: "aws:sqs/queue:Queue", name: "jobs", props: { sqsManagedSseEnabled: false } },
            { type: "aws:sqs/queue:Queue", name: "jobs-default", props: {} },
            { type: "aws:sqs/queue:Queue", name: "jobs-ok", props: { kmsMasterKeyId: "alias/app" } },
            { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { engine: "redis" } },
            { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "valkey", props: { engine: "valkey" } },
            { type: LT, name: "lt", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20 } }] } },
            { type: "aws:fsx/lustreFileSystem:LustreFileSystem", name: "persistent", props: { deploymentType: "PERSISTENT_2" } },
        ];
        const vs = await evaluate(specs, { only: ["encryption-at-rest"] });
        expect(vs.map((v) => v.urn!.split("::").pop())).to.have.members(["db", "jobs", "cache", "lt", "persistent"]);
        expect(vs.find((v) => v.urn!.endsWith("::lt"))!.message).to.match(/blockDeviceMappings\[0\]\.ebs\.encrypted is not "true"/);
    });
    it("imdsv2-required: httpTokens required passes, anything else fails", async () => {
        const lt = (httpTokens?: string): Spec => ({ type: LT, name: `lt-${httpTokens ?? "unset"}`, props: httpTokens ? { metadataOptions: { httpTokens } } : {} });
        const vs = await evaluate([lt("required"), lt("optional"), lt()], { only: ["imdsv2-required"] });
        expect(vs.map((v) => v.urn!.split("::").pop())).to.have.members(["lt-optional", "lt-unset"]);
    });
    it("alb-https: an HTTP listener must redirect to HTTPS on internet-facing ALBs", async () => {
        const lb: Spec = { type: LB, name: "web", props: { loadBalancerType: "application" } };
        const listener = (name: string, props: Props<"aws:lb/listener:Listener">): Spec => ({ type: "aws:lb/listener:Listener", name, props: { loadBalancerArn: U, ...props }, deps: { loadBalancerArn: ["web"] } });
        const redirect = listener("http", { port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
        const https = listener("https", { port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] });
        expect(await evaluate([lb, redirect, https], { only: ["alb-https"] })).to.deep.equal([]);
        const plain = listener("http", { port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] });
        expect((await evaluate([lb, plain], { only: ["alb-https"] }))[0].message).to.match(/listener 'http' of internet-facing load balancer 'web' serves plain HTTP on port 80/);
        const internal = { ...lb, props: { ...lb.props, internal: true } };
        expect(await evaluate([internal, plain], { only: ["alb-https"] })).to.deep.equal([]);
    });
    it("production-data-protection: applies in production only and names every gap", async () => {
        const db = (props: Props<"aws:rds/cluster:Cluster">, protect: boolean): Spec => ({ type: "aws:rds/cluster:Cluster", name: "db", props: { engine: "aurora-postgresql", storageEncrypted: true, ...props }, protect });
        const safe = db({ deletionProtection: true, backupRetentionPeriod: 14, finalSnapshotIdentifier: "db-final" }, true);
        expect(await evaluate([safe], { only: ["production-data-protection"], stack: "prod" })).to.deep.equal([]);
        const loose = db({ skipFinalSnapshot: true, backupRetentionPeriod: 1 }, false);
        expect(await evaluate([loose], { only: ["production-data-protection"], stack: "dev" })).to.deep.equal([]);
        const vs = await evaluate([loose], { only: ["production-data-protection"], stack: "prod" });
        expect(vs.map((v) => /in a production stack: (.*)\. Fix/.exec(v.message)?.[1])).to.deep.equal([
            "deletionProtection is not true",
            "backupRetentionPeriod is 1, under 7 days",
            "skipFinalSnapshot is true",
            "the resource is not protected in the Pulumi state (protect: true)",
        ]);
    });
    it("production-data-protection: an Aurora Global secondary may leave the final snapshot to the primary, with ids known or unknown", async () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const protectedProps: Props<"aws:rds/cluster:Cluster"> = { engine: "aurora-mysql", storageEncrypted: true, deletionProtection: true, backupRetentionPeriod: 14 };
        for (const id of ["global-1", UNKNOWN]) {
            const global: Spec = { type: "aws:rds/globalCluster:GlobalCluster", name: "g", props: { deletionProtection: true }, protect: true };
            const primary: Spec = { type: "aws:rds/cluster:Cluster", name: "primary", props: { ...protectedProps, globalClusterIdentifier: id, finalSnapshotIdentifier: "primary-final" }, protect: true, deps: { globalClusterIdentifier: ["g"] } };
            const secondary: Spec = { type: "aws:rds/cluster:Cluster", name: "secondary", props: { ...protectedProps, globalClusterIdentifier: id, skipFinalSnapshot: true }, protect: true, deps: { globalClusterIdentifier: ["g"] } };
            expect(await evaluate([global, primary, secondary], { only: ["production-data-protection"], stack: "prod" }), `id ${id}`).to.deep.equal([]);
            // Without a member that snapshots, the global database's data would be lost: both members are flagged.
            const careless = { ...primary, props: { ...primary.props, finalSnapshotIdentifier: undefined, skipFinalSnapshot: true } };
            const vs = await evaluate([global, careless, secondary], { only: ["production-data-protection"], stack: "prod" });
            expect(vs.map((v) => v.urn?.split("::").pop()), `id ${id}`).to.have.members(["primary", "secondary"]);
        }
    });
});


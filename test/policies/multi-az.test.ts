import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { Network } from "../../components/network";
import { evaluate, evaluateProgram, lines, Props, Spec, U } from "./support";
import { ASG, EFS, LB, LT, MT, RDS_CLUSTER, RDS_MEMBER, REDIS, SG, SUBNET } from "./fixtures";

const subnets = (azs: string[]): Spec[] => azs.map((az, i) => ({ type: SUBNET, name: `subnet-${i}`, props: { vpcId: "vpc-1", availabilityZone: az, cidrBlock: `10.0.${i}.0/24` } }));
const lbIn = (n: number): Spec => ({ type: LB, name: "web", props: { loadBalancerType: "application", subnets: Array.from({ length: n }, () => U) }, deps: { subnets: Array.from({ length: n }, (_v, i) => `subnet-${i}`) } });
const THREE = ["us-east-1a", "us-east-1b", "us-east-1c"];

describe("Multi-AZ rules: enforcement by stack class", () => {
    const twoAzLb = [...subnets(THREE.slice(0, 2)), lbIn(2)];

    it("are mandatory on a stack named prod or prod-*", async () => {
        for (const stack of ["prod", "prod-eu"]) {
            const vs = await evaluate(twoAzLb, { only: ["multi-az-load-balancer"], stack });
            expect(vs.map((v) => v.enforcementLevel), stack).to.deep.equal(["mandatory"]);
            expect(vs[0].message).to.match(/load balancer 'web' spans 2 AZ\(s\) \(us-east-1a, us-east-1b\); at least 3 are required/);
        }
    });

    it("are advisory elsewhere, with the description and the fix in the message", async () => {
        const vs = await evaluate([...subnets(["us-east-1a"]), lbIn(1)], { only: ["multi-az-load-balancer"], stack: "dev" });
        expect(vs.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(vs[0].message).to.match(/^Load balancers \(application, network, classic\) sit in subnets of at least 2 AZs/);
        expect(vs[0].message).to.match(/spans 1 AZ\(s\).*Fix:/s);
        expect(vs[0].urn).to.match(/::web$/);
        // Two AZs are enough outside production.
        expect(await evaluate(twoAzLb, { only: ["multi-az-load-balancer"], stack: "dev" })).to.deep.equal([]);
    });

    it("follow the pack config: production: true on any stack, productionStacks patterns, or a lowered level", async () => {
        const only = ["multi-az-load-balancer"];
        const forced = await evaluate(twoAzLb, { only, stack: "staging", policyConfig: { "multi-az-load-balancer": { production: true } } });
        expect(forced.map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
        const pattern = await evaluate(twoAzLb, { only, stack: "live-us", policyConfig: { "multi-az-load-balancer": { productionStacks: ["live-*"] } } });
        expect(pattern.map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
        const notProd = await evaluate(twoAzLb, { only, stack: "prod", policyConfig: { "multi-az-load-balancer": { production: false } } });
        expect(notProd).to.deep.equal([]);
        const lowered = await evaluate(twoAzLb, { only, stack: "prod", policyConfig: { "multi-az-load-balancer": "advisory" } });
        expect(lowered.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
    });
});

describe("multi-az-load-balancer on awsx Vpc subnets (opaque offline)", () => {
    const build = (azs: string[], count: number) => () => {
        const net = new Network("net", { availabilityZones: azs, flowLogs: false });
        new aws.lb.LoadBalancer("web", { subnets: net.publicSubnetIds.apply((ids) => ids.slice(0, count)) });
    };
    it("counts N distinct subnets of one awsx Vpc as N AZs", async () => {
        expect(await evaluateProgram(build(THREE, 3), { only: ["multi-az-load-balancer"], stack: "prod" })).to.deep.equal([]);
        const vs = await evaluateProgram(build(THREE, 2), { only: ["multi-az-load-balancer"], stack: "prod" });
        expect(vs).to.have.length(1);
        expect(vs[0].message).to.match(/spans 2 AZ\(s\).*awsx Vpc 'net-vpc' is opaque/s);
    });
});

describe("multi-az-auto-scaling-group", () => {
    const asg = (extra: Props<typeof ASG>, n: number): Spec => ({
        type: ASG,
        name: "web",
        props: { maxSize: 4, minSize: 2, vpcZoneIdentifiers: Array.from({ length: n }, () => U), ...extra },
        deps: { vpcZoneIdentifiers: Array.from({ length: n }, (_v, i) => `subnet-${i}`) },
    });
    it("passes across 2 AZs, fails in 1", async () => {
        expect(await evaluate([...subnets(THREE.slice(0, 2)), asg({}, 2)], { only: ["multi-az-auto-scaling-group"], stack: "prod" })).to.deep.equal([]);
        const vs = await evaluate([...subnets(["us-east-1a"]), asg({}, 1)], { only: ["multi-az-auto-scaling-group"], stack: "prod" });
        expect(lines(vs)).to.have.length(1);
        expect(vs[0].message).to.match(/Auto Scaling group 'web' spans 1 AZ\(s\) \(us-east-1a\)/);
    });
    it("exempts single-instance environments (max size 1)", async () => {
        expect(await evaluate([...subnets(["us-east-1a"]), asg({ maxSize: 1, minSize: 1 }, 1)], { only: ["multi-az-auto-scaling-group"], stack: "prod" })).to.deep.equal([]);
    });
    it("exempts a group marked platform:multi-az-exempt, and only a marked one: an unmarked cluster-placement group still fails", async () => {
        const placed: Props<typeof ASG> = { placementGroup: "hpc-pg" };
        const marked = asg({ ...placed, tags: [{ key: "platform:multi-az-exempt", value: "hpc-cluster-placement-group", propagateAtLaunch: true }] }, 1);
        expect(await evaluate([...subnets(["us-east-1a"]), marked], { only: ["multi-az-auto-scaling-group"], stack: "prod" })).to.deep.equal([]);
        const unmarked = await evaluate([...subnets(["us-east-1a"]), asg(placed, 1)], { only: ["multi-az-auto-scaling-group"], stack: "prod" });
        expect(unmarked.map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
        const emptyReason = asg({ ...placed, tags: [{ key: "platform:multi-az-exempt", value: " ", propagateAtLaunch: true }] }, 1);
        expect(await evaluate([...subnets(["us-east-1a"]), emptyReason], { only: ["multi-az-auto-scaling-group"], stack: "prod" })).to.have.length(1);
    });
});

describe("multi-az-aurora", () => {
    const cluster: Spec = { type: RDS_CLUSTER, name: "db", props: { engine: "aurora-postgresql", clusterIdentifier: "db" } };
    const member = (name: string, az?: string): Spec => ({ type: RDS_MEMBER, name, props: { clusterIdentifier: U, instanceClass: "db.r6g.large", ...(az ? { availabilityZone: az } : {}) }, deps: { clusterIdentifier: ["db"] } });
    const only = ["multi-az-aurora"];
    it("passes a writer and a reader in distinct AZs", async () => {
        expect(await evaluate([cluster, member("w", "us-east-1a"), member("r", "us-east-1b")], { only, stack: "prod" })).to.deep.equal([]);
    });
    it("fails with one instance", async () => {
        const vs = await evaluate([cluster, member("w")], { only, stack: "prod" });
        expect(vs[0].message).to.match(/Aurora cluster 'db' has 1 instance\(s\); a failover needs at least 2/);
    });
    it("fails when every instance is pinned to one AZ", async () => {
        const vs = await evaluate([cluster, member("w", "us-east-1a"), member("r", "us-east-1a")], { only, stack: "prod" });
        expect(vs[0].message).to.match(/pins all 2 instances to us-east-1a/);
    });
    it("allows a headless Aurora Global secondary (no instances, no credentials)", async () => {
        const secondary: Spec = { type: RDS_CLUSTER, name: "db-secondary", props: { engine: "aurora-postgresql", globalClusterIdentifier: "global" } };
        expect(await evaluate([secondary], { only, stack: "prod" })).to.deep.equal([]);
    });
});

describe("multi-az-rds-instance and multi-az-redis", () => {
    it("RDS: multiAz passes, single-AZ fails", async () => {
        const db = (multiAz: boolean): Spec => ({ type: "aws:rds/instance:Instance", name: "pg", props: { engine: "postgres", multiAz } });
        expect(await evaluate([db(true)], { only: ["multi-az-rds-instance"], stack: "prod" })).to.deep.equal([]);
        expect((await evaluate([db(false)], { only: ["multi-az-rds-instance"], stack: "prod" }))[0].message).to.match(/RDS instance 'pg' is single-AZ. Fix: set multiAz: true/);
    });
    it("Redis: a replica, automatic failover and Multi-AZ pass; a single node fails naming each gap", async () => {
        const good: Spec = { type: REDIS, name: "cache", props: { engine: "redis", numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true } };
        expect(await evaluate([good], { only: ["multi-az-redis"], stack: "prod" })).to.deep.equal([]);
        const bad: Spec = { type: REDIS, name: "cache", props: { engine: "redis", numCacheClusters: 1 } };
        const vs = await evaluate([bad], { only: ["multi-az-redis"], stack: "prod" });
        expect(vs[0].message).to.match(/automaticFailoverEnabled is not true; multiAzEnabled is not true; numCacheClusters is 1 \(no replica\)/);
    });
});

describe("multi-az-efs", () => {
    const group = (name: string): Spec => ({ type: SG, name, props: {} });
    const base: Spec[] = [
        ...subnets(THREE),
        group("app"),
        group("efs"),
        { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "app-efs", props: { securityGroupId: U, referencedSecurityGroupId: U, ipProtocol: "tcp", fromPort: 2049, toPort: 2049 }, deps: { securityGroupId: ["efs"], referencedSecurityGroupId: ["app"] } },
        { type: LT, name: "lt", props: { vpcSecurityGroupIds: [U] }, deps: { vpcSecurityGroupIds: ["app"] } },
        { type: ASG, name: "asg", props: { maxSize: 6, launchTemplate: { id: U }, vpcZoneIdentifiers: [U, U, U] }, deps: { launchTemplate: ["lt"], vpcZoneIdentifiers: ["subnet-0", "subnet-1", "subnet-2"] } },
        { type: EFS, name: "files", props: { encrypted: true } },
    ];
    const mount = (i: number): Spec => ({ type: MT, name: `mt-${i}`, props: { fileSystemId: U, subnetId: U, securityGroups: [U] }, deps: { fileSystemId: ["files"], subnetId: [`subnet-${i}`], securityGroups: ["efs"] } });
    it("passes with a mount target in each of its clients' 3 AZs", async () => {
        expect(await evaluate([...base, mount(0), mount(1), mount(2)], { only: ["multi-az-efs"], stack: "prod" })).to.deep.equal([]);
    });
    it("fails when its clients run in more AZs than it has mount targets", async () => {
        const vs = await evaluate([...base, mount(0), mount(1)], { only: ["multi-az-efs"], stack: "prod" });
        expect(vs[0].message).to.match(/EFS file system 'files' has 2 mount target\(s\) but its client Auto Scaling group 'asg' runs in 3 AZs/);
    });
    it("fails One Zone file systems", async () => {
        const oneZone = base.map((s): Spec => (s.name === "files" && s.type === EFS ? { ...s, props: { encrypted: true, availabilityZoneName: "us-east-1a" } } : s));
        expect((await evaluate([...oneZone, mount(0)], { only: ["multi-az-efs"], stack: "prod" }))[0].message).to.match(/is One Zone \(us-east-1a\)/);
    });
});

describe("multi-az-nat-gateways", () => {
    it("judges an opaque awsx Vpc by natGateways.strategy (default OnePerAz)", async () => {
        const vpc = (natGateways?: Props<"awsx:ec2:Vpc">["natGateways"]): Spec => ({ type: "awsx:ec2:Vpc", name: "vpc", props: { availabilityZoneNames: THREE, ...(natGateways ? { natGateways } : {}) } });
        expect(await evaluate([vpc()], { only: ["multi-az-nat-gateways"], stack: "prod" })).to.deep.equal([]);
        expect(await evaluate([vpc({ strategy: "OnePerAz" })], { only: ["multi-az-nat-gateways"], stack: "prod" })).to.deep.equal([]);
        const vs = await evaluate([vpc({ strategy: "Single" })], { only: ["multi-az-nat-gateways"], stack: "prod" });
        expect(vs[0].message).to.match(/one NAT gateway for 3 AZs/);
    });
    it("judges raw NAT gateways by the AZs of their subnets", async () => {
        const nat = (i: number): Spec => ({ type: "aws:ec2/natGateway:NatGateway", name: `nat-${i}`, props: { subnetId: U }, deps: { subnetId: [`subnet-${i}`] } });
        expect(await evaluate([...subnets(THREE), nat(0), nat(1), nat(2)], { only: ["multi-az-nat-gateways"], stack: "prod" })).to.deep.equal([]);
        const vs = await evaluate([...subnets(THREE), nat(0)], { only: ["multi-az-nat-gateways"], stack: "prod" });
        expect(vs[0].message).to.match(/cover us-east-1a but their VPC also has subnets in us-east-1b, us-east-1c/);
    });
});

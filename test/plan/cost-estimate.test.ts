import { expect } from "chai";
import { costDelta, estimateCost } from "../../plan/cost/estimate";
import { renderCostMarkdown, renderCostText } from "../../plan/cost/render";
import { appTags, component, res, stackRoot, testTable } from "./cost-support";

const H = 730;
const table = testTable();
const lineOf = (cost: ReturnType<typeof estimateCost>, name: string) => {
    const l = cost.resources.find((r) => r.name === name);
    if (!l) throw new Error(`no cost line for ${name}: ${cost.resources.map((r) => r.name).join(", ")}`);
    return l;
};

describe("cost estimate: one priced resource per family", () => {
    const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "web-lt", { instanceType: "t3.small", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3" } }] }, { id: "lt-0abc" });
    const plan = {
        region: "us-east-1",
        resources: [
            stackRoot(),
            lt,
            res("aws:autoscaling/group:Group", "web-asg", { launchTemplate: { id: "lt-0abc", version: "1" }, minSize: 2, desiredCapacity: 3, maxSize: 9 }),
            res("aws:ec2/instance:Instance", "head", { instanceType: "c5n.18xlarge", rootBlockDevice: { volumeSize: 64, volumeType: "gp3" } }),
            res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application" }),
            res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" }),
            res("aws:ec2/natGateway:NatGateway", "nat", {}),
            res("aws:ec2/eip:Eip", "eip", { domain: "vpc" }),
            res("aws:rds/instance:Instance", "db", { engine: "mysql", instanceClass: "db.t4g.medium", allocatedStorage: 100, storageType: "gp3", multiAz: true }, { id: "db-1" }),
            res("aws:rds/instance:Instance", "db-replica", { instanceClass: "db.t4g.medium", replicateSourceDb: "db-1", storageType: "gp3" }),
            res("aws:rds/clusterInstance:ClusterInstance", "aurora-0", { engine: "aurora-mysql", instanceClass: "db.r6g.large" }),
            res("aws:elasticache/replicationGroup:ReplicationGroup", "sessions", { engine: "redis", nodeType: "cache.t4g.micro", numCacheClusters: 2 }),
            res("aws:fsx/lustreFileSystem:LustreFileSystem", "lustre", { deploymentType: "PERSISTENT_2", storageType: "SSD", perUnitStorageThroughput: 125, storageCapacity: 1200 }),
            res("aws:kms/key:Key", "key", {}),
            res("aws:secretsmanager/secret:Secret", "secret", { replicas: [{ region: "us-west-2" }] }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { period: 60 }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast-alarm", { period: 10 }),
        ],
    };
    const cost = estimateCost(plan, table);

    it("prices an Auto Scaling group at its desired capacity through its launch template, volumes included", () => {
        expect(lineOf(cost, "web-asg").monthly).to.be.closeTo(3 * 0.02 * H + 3 * 20 * 0.1, 0.01);
        expect(lineOf(cost, "web-asg").basis).to.match(/3 × t3\.small \(desired capacity\)/);
    });

    it("prices instances, load balancers by type, NAT gateways and addresses hourly", () => {
        expect(lineOf(cost, "head").monthly).to.be.closeTo(4 * H + 64 * 0.1, 0.01);
        expect(lineOf(cost, "alb").monthly).to.be.closeTo(0.02 * H, 0.01);
        expect(lineOf(cost, "nlb").monthly).to.be.closeTo(0.03 * H, 0.01);
        expect(lineOf(cost, "nat").monthly).to.be.closeTo(0.05 * H, 0.01);
        expect(lineOf(cost, "eip").monthly).to.be.closeTo(0.005 * H, 0.01);
    });

    it("bills a Multi-AZ database twice (instance and storage), and a read replica like its source", () => {
        expect(lineOf(cost, "db").monthly).to.be.closeTo(2 * 0.1 * H + 2 * 100 * 0.2, 0.01);
        expect(lineOf(cost, "db-replica").monthly).to.be.closeTo(0.1 * H + 100 * 0.2, 0.01);
        expect(lineOf(cost, "aurora-0").monthly).to.be.closeTo(0.3 * H, 0.01);
    });

    it("prices cache nodes, Lustre capacity, keys, secrets with their replicas, and alarms by resolution", () => {
        expect(lineOf(cost, "sessions").monthly).to.be.closeTo(2 * 0.02 * H, 0.01);
        expect(lineOf(cost, "lustre").monthly).to.be.closeTo(1200 * 0.15, 0.01);
        expect(lineOf(cost, "key").monthly).to.equal(1);
        expect(lineOf(cost, "secret").monthly).to.be.closeTo(0.4 + 0.5, 0.001);
        expect(lineOf(cost, "alarm").monthly).to.equal(0.1);
        expect(lineOf(cost, "fast-alarm").monthly).to.equal(0.3);
    });

    it("totals the lines, and everything is unpriced-free when the table has every price", () => {
        const sum = cost.resources.reduce((s, l) => s + l.monthly, 0);
        expect(cost.monthly).to.be.closeTo(sum, 0.01);
        expect(cost.unpricedResources).to.deep.equal([]);
        expect(cost.prices.regions).to.deep.equal(["us-east-1", "us-west-2"]);
    });
});

describe("cost estimate: what the plan does not know", () => {
    it("leaves a resource whose price is missing unpriced and says why, never guessing", () => {
        const cost = estimateCost(
            {
                region: "us-east-1",
                resources: [stackRoot(), res("aws:ec2/instance:Instance", "odd", { instanceType: "m9z.large" }), res("aws:ec2/instance:Instance", "rare", { instanceType: "x9.huge" })],
            },
            table,
        );
        expect(cost.monthly).to.equal(0);
        expect(cost.unpriced).to.deep.equal(["aws:ec2/instance:Instance"]);
        expect(cost.unpricedResources.map((u) => u.urn.split("::").pop())).to.deep.equal(["odd", "rare"]);
        expect(cost.missingPrices.map((m) => m.key)).to.deep.equal(["ec2:instance:m9z.large", "ec2:instance:x9.huge"]);
        expect(cost.missingPrices[1].reason).to.match(/not in the price table for us-east-1/);
    });

    it("resolves a launch template through property dependencies when its id is unknown (a real preview)", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "t3.medium" });
        const asg = res("aws:autoscaling/group:Group", "asg", { launchTemplate: { id: undefined }, minSize: 2 }, { deps: { launchTemplate: [lt.urn] } });
        const cost = estimateCost({ region: "us-east-1", resources: [stackRoot(), lt, asg] }, table);
        expect(lineOf(cost, "asg").monthly).to.be.closeTo(2 * 0.04 * H, 0.01);
        expect(lineOf(cost, "asg").basis).to.match(/minimum size/);
    });

    it("counts awsx VPC NAT gateways from strategy and AZs, in the region of its zones, with their addresses", () => {
        const vpc = (name: string, strategy: string | undefined, zones: string[]) => ({ ...res("awsx:ec2:Vpc", name, { availabilityZoneNames: zones, ...(strategy ? { natGateways: { strategy } } : {}) }), provider: null });
        const cost = estimateCost(
            {
                region: "us-east-1",
                resources: [
                    stackRoot(),
                    vpc("per-az", "OnePerAz", ["us-east-1a", "us-east-1b", "us-east-1c"]),
                    vpc("single", "Single", ["us-east-1a", "us-east-1b"]),
                    vpc("none", "None", ["us-east-1a", "us-east-1b"]),
                    vpc("default-west", undefined, ["us-west-2a", "us-west-2b"]),
                ],
            },
            table,
        );
        expect(lineOf(cost, "per-az").monthly).to.be.closeTo(3 * (0.05 + 0.005) * H, 0.01);
        expect(lineOf(cost, "single").monthly).to.be.closeTo((0.05 + 0.005) * H, 0.01);
        expect(lineOf(cost, "none").monthly).to.equal(0);
        expect(lineOf(cost, "default-west").monthly).to.be.closeTo(2 * (0.06 + 0.005) * H, 0.01);
        expect(lineOf(cost, "default-west").region).to.equal("us-west-2");
    });

    it("names usage-driven charges of the types present instead of pricing them", () => {
        const cost = estimateCost(
            {
                region: "us-east-1",
                resources: [stackRoot(), res("aws:s3/bucket:Bucket", "b"), res("aws:lb/loadBalancer:LoadBalancer", "alb"), res("aws:efs/fileSystem:FileSystem", "files", { throughputMode: "elastic" })],
            },
            table,
        );
        expect(cost.notEstimated.map((n) => n.type)).to.deep.equal(["aws:efs/fileSystem:FileSystem", "aws:lb/loadBalancer:LoadBalancer", "aws:s3/bucket:Bucket"]);
        expect(cost.resources.map((l) => l.name)).to.deep.equal(["alb"]);
        expect(cost.notEstimated[1].what).to.match(/capacity units/);
        expect(lineOf(cost, "alb").monthly).to.be.closeTo(0.02 * H, 0.01);
    });
});

describe("cost estimate: applications and deltas", () => {
    /** Two applications; `type` is the web environment's instance type. */
    const catalog = (type: string, webCount = 3) => {
        const app = component("platform:application:Application", "shop");
        const env = component("platform:application:Environment", "shop-web", app.urn);
        const blog = component("platform:application:Application", "blog");
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "shop-web-lt", { instanceType: type, tagSpecifications: [{ tags: appTags("shop", "web") }] }, { parent: env.urn, id: "lt-shop" });
        return {
            region: "us-east-1",
            resources: [
                stackRoot(),
                app,
                env,
                blog,
                lt,
                res("aws:autoscaling/group:Group", "shop-web-asg", { launchTemplate: { id: "lt-shop" }, desiredCapacity: webCount, tags: [{ key: "platform:application", value: "shop" }] }, { parent: env.urn }),
                // No ownership tags of its own: it belongs to the application whose component holds it.
                res("aws:kms/key:Key", "shop-db-key", { tags: { Name: "shop-db-key" } }, { parent: app.urn }),
                res("aws:lb/loadBalancer:LoadBalancer", "blog-alb", { tags: appTags("blog", "web") }, { parent: blog.urn }),
                res("aws:ec2/natGateway:NatGateway", "shared-nat", {}),
            ],
        };
    };
    const base = estimateCost(catalog("t3.small"), table);
    const head = estimateCost(catalog("t3.medium"), table);

    it("sums per application, allocates untagged resources inside one application's tree to it, and keeps the rest shared", () => {
        expect(base.byApplication).to.deep.equal({ blog: +(0.02 * H).toFixed(2), shop: +(3 * 0.02 * H + 1).toFixed(2) });
        expect(base.shared).to.be.closeTo(0.05 * H, 0.01);
        expect(base.monthly).to.be.closeTo(base.byApplication.blog + base.byApplication.shop + base.shared, 0.01);
    });

    it("raising an environment's instance type raises its application's total by the price difference times its instances", () => {
        expect(head.byApplication.shop - base.byApplication.shop).to.be.closeTo((0.04 - 0.02) * 3 * H, 0.01);
        expect(head.byApplication.blog).to.equal(base.byApplication.blog);
    });

    it("reports the delta between a baseline and a head plan, per application and per resource", () => {
        const d = costDelta(base, head);
        expect(d.monthly).to.be.closeTo((0.04 - 0.02) * 3 * H, 0.01);
        expect(d.byApplication.shop.delta).to.be.closeTo(43.8, 0.01);
        expect(d.byApplication.blog.delta).to.equal(0);
        expect(d.resources.map((r) => r.name)).to.deep.equal(["shop-web-asg"]);
        const removed = costDelta(base, estimateCost({ ...catalog("t3.small"), resources: catalog("t3.small").resources.filter((r) => r.name !== "blog-alb") }, table));
        expect(removed.byApplication.blog.delta).to.be.closeTo(-0.02 * H, 0.01);
        expect(removed.resources[0]).to.include({ name: "blog-alb", head: 0 });
    });

    it("renders the stack total and one line per application as text, and the delta in markdown", () => {
        const text = renderCostText(base);
        expect(text[0]).to.match(/^Estimated cost: \$\d+\.\d\d\/month/);
        expect(text.filter((l) => /^\s+(blog|shop)\s/.test(l))).to.have.length(2);
        const md = renderCostMarkdown(head, costDelta(base, head));
        expect(md).to.include("This change adds **$43.80/month**");
        expect(md).to.match(/\| shop \| \$[\d.,]+ \| \$[\d.,]+ \| \+\$43\.80 \|/);
        expect(md).to.include("**Top cost drivers**");
    });
});

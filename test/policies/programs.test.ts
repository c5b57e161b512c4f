import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { allowFrom, allowSelf, allowWorld, newSecurityGroup, tcp } from "../../components/security-groups";
import { evaluateProgram, forBothModes, lines, mandatory } from "./support";

/** Small programs run through the offline plan's engine, then judged by the pack: what a team's PR would see. */

const appTier = (name: string, opts: pulumi.CustomResourceOptions = {}) => {
    const alb = newSecurityGroup(`${name}-alb`, { vpcId: "vpc-1", description: "alb" }, opts);
    const app = newSecurityGroup(`${name}-app`, { vpcId: "vpc-1", description: "app" }, opts);
    const db = newSecurityGroup(`${name}-db`, { vpcId: "vpc-1", description: "db" }, opts);
    allowWorld(`${name}-alb-world`, { group: alb.id, ports: [80, 443], description: "https" }, opts);
    allowFrom(`${name}-alb-app`, { target: app.id, source: alb.id, port: tcp(8080), description: "alb to app" }, opts);
    allowFrom(`${name}-app-db`, { target: db.id, source: app.id, port: tcp(5432), description: "app to db" }, opts);
    new aws.lb.LoadBalancer(`${name}-lb`, { securityGroups: [alb.id], subnets: ["subnet-a", "subnet-b"] }, opts);
    new aws.ec2.LaunchTemplate(`${name}-lt`, { vpcSecurityGroupIds: [app.id], metadataOptions: { httpTokens: "required" } }, opts);
    new aws.rds.Instance(`${name}-pg`, { engine: "postgres", instanceClass: "db.t4g.micro", vpcSecurityGroupIds: [db.id], storageEncrypted: true, multiAz: true }, opts);
    return { alb, app, db };
};

class Module extends pulumi.ComponentResource {
    constructor(name: string, build: (opts: pulumi.CustomResourceOptions) => void) {
        super("team:module:Service", name, {}, {});
        build({ parent: this });
        this.registerOutputs({});
    }
}

describe("policies on small programs (offline plan)", () => {
    it("a chained three-tier program built with the platform's helpers passes", async () => {
        const vs = await evaluateProgram(() => appTier("shop"), { only: ["security-group-chaining", "no-admin-ports-from-world"] });
        expect(lines(vs)).to.deep.equal([]);
    });

    it("the same program inside a team's component (resources in modules) is judged the same way", async () => {
        const vs = await evaluateProgram(
            () =>
                new Module("svc", (opts) => {
                    const { db } = appTier("svc", opts);
                    new aws.vpc.SecurityGroupIngressRule("svc-db-office", { securityGroupId: db.id, cidrIpv4: "192.0.2.0/24", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, opts);
                }),
            { only: ["security-group-chaining"] },
        );
        expect(vs).to.have.length(1);
        expect(vs[0].message).to.match(/rule 'svc-db-office' on group 'svc-db' admits 192\.0\.2\.0\/24 on tcp\/5432, but it guards database/);
    });

    it("catches MySQL opened to the world on a group shared by a database and instances (pulumi/examples' wordpress anti-pattern)", async () => {
        const vs = await evaluateProgram(
            () => {
                const sg = new aws.ec2.SecurityGroup("wp", { ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }] });
                new aws.rds.Instance("wp-db", { engine: "mysql", instanceClass: "db.t4g.micro", vpcSecurityGroupIds: [sg.id] });
                new aws.ec2.Instance("wp-web", { ami: "ami-1", instanceType: "t3.micro", vpcSecurityGroupIds: [sg.id] });
            },
            { only: ["security-group-chaining"] },
        );
        expect(vs).to.have.length(1);
        expect(vs[0].message).to.match(/ingress\[0\] of group 'wp' on group 'wp' admits 0\.0\.0\.0\/0 on tcp\/3306/);
        expect(vs[0].message).to.include("Instance 'wp-db' (database)").and.include("Instance 'wp-web' (instance)");
    });

    it("judges what the program creates on a group it only reads with .get()", async () => {
        const vs = await evaluateProgram(
            () => {
                const existing = aws.ec2.SecurityGroup.get("existing", "sg-0abc1234def567890");
                new aws.ec2.LaunchTemplate("lt", { vpcSecurityGroupIds: [existing.id], metadataOptions: { httpTokens: "required" } });
                new aws.vpc.SecurityGroupIngressRule("existing-ssh", { securityGroupId: existing.id, cidrIpv4: "10.0.0.0/8", ipProtocol: "tcp", fromPort: 22, toPort: 22 });
            },
            { only: ["security-group-chaining"] },
        );
        expect(vs.map((v) => v.message).join("\n")).to.match(/rule 'existing-ssh' on group '(existing|sg-0abc1234def567890)' admits SSH \(22\) from 10\.0\.0\.0\/8/);
    });

    it("sees the rules awsx.classic creates (aws.ec2.SecurityGroupRule children)", async () => {
        const vs = await evaluateProgram(
            () => {
                const vpc = awsx.classic.ec2.Vpc.fromExistingIds("vpc", { vpcId: "vpc-1" });
                const sg = new awsx.classic.ec2.SecurityGroup("classic-db", { vpc });
                awsx.classic.ec2.SecurityGroupRule.ingress("pg-anywhere", sg, new awsx.classic.ec2.AnyIPv4Location(), new awsx.classic.ec2.TcpPorts(5432));
                new aws.rds.Instance("classic-pg", { engine: "postgres", instanceClass: "db.t4g.micro", vpcSecurityGroupIds: [sg.id] });
            },
            { only: ["security-group-chaining"] },
        );
        expect(vs).to.have.length(1);
        expect(vs[0].message).to.match(/admits 0\.0\.0\.0\/0 on tcp\/5432, but the group is used by Instance 'classic-pg' \(database\)/);
    });

    it("an awsx ApplicationLoadBalancer given no security group fails; given one, passes", async () => {
        const bad = await evaluateProgram(() => new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-a", "subnet-b"] }), { only: ["awsx-default-security-groups"] });
        expect(mandatory(bad)).to.have.length(1);
        expect(bad[0].message).to.match(/awsx ApplicationLoadBalancer 'web' gets no security group.*all ports/);
        const good = await evaluateProgram(
            () => {
                const sg = newSecurityGroup("web-alb", { vpcId: "vpc-1", description: "alb" }, {});
                allowWorld("web-world", { group: sg.id, ports: [443], description: "https" }, {});
                new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-a", "subnet-b"], securityGroups: [sg.id], defaultSecurityGroup: { skip: true } });
            },
            { only: ["awsx-default-security-groups", "security-group-chaining"] },
        );
        expect(lines(good)).to.deep.equal([]);
    });

    describe("an awsx load balancer with a listener the program parents to it", () => {
        // Offline the awsx component is one resource; a resource of the program's own under it does not
        // make it expanded, so awsx's default HTTP-only listener is still judged from its inputs.
        const build = () => {
            const alb = new awsx.lb.ApplicationLoadBalancer("shop", { subnetIds: ["subnet-a", "subnet-b"] });
            new aws.lb.Listener(
                "shop-https",
                { loadBalancerArn: alb.loadBalancer.arn, port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x", defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] },
                { parent: alb },
            );
        };
        forBothModes(
            "still has its default plain-HTTP listener judged",
            build,
            (vs) => {
                const https = vs.filter((v) => v.policy === "alb-https");
                expect(https.map((v) => v.message).join("\n")).to.match(/awsx ApplicationLoadBalancer 'shop' gets awsx's default listener \(plain HTTP on 80\)/);
                expect(https.every((v) => v.urn?.endsWith("::shop"))).to.equal(true);
            },
            { only: ["alb-https"] },
        );
    });

    it("an HPC cluster with EFA, a cluster placement group, one subnet and a self-referencing group passes; without the group's self rule it fails", async () => {
        const build = (selfRule: boolean) => () => {
            const sg = newSecurityGroup("hpc", { vpcId: "vpc-1", description: "efa" }, {});
            if (selfRule) allowSelf("hpc-efa", { group: sg.id, port: "all", description: "efa" }, {});
            const pg = new aws.ec2.PlacementGroup("hpc", { strategy: "cluster" });
            const lt = new aws.ec2.LaunchTemplate("hpc", {
                instanceType: "c5n.18xlarge",
                metadataOptions: { httpTokens: "required" },
                networkInterfaces: [{ deviceIndex: 0, networkCardIndex: 0, interfaceType: "efa", securityGroups: [sg.id] }],
            });
            new aws.autoscaling.Group("hpc", {
                maxSize: 4,
                minSize: 0,
                placementGroup: pg.id,
                vpcZoneIdentifiers: ["subnet-a"],
                launchTemplate: { id: lt.id, version: "$Latest" },
                tags: [{ key: "platform:multi-az-exempt", value: "hpc-cluster-placement-group", propagateAtLaunch: true }],
            });
        };
        const policies = ["hpc-efa-cluster", "multi-az-auto-scaling-group", "security-group-chaining"];
        expect(lines(await evaluateProgram(build(true), { only: policies, stack: "prod" }))).to.deep.equal([]);
        const vs = await evaluateProgram(build(false), { only: policies, stack: "prod" });
        expect(lines(vs)).to.have.length(1);
        expect(vs[0].message).to.match(/launch template 'hpc' has EFA interfaces but none of its groups \('hpc'\) admits itself for all traffic/);
    });
});

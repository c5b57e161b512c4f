import { expect } from "chai";
import { evaluate, lines, Spec, U } from "./support";
import { ASG, fromCidr, fromGroup, IN, LB, LT, Mode, ref, RDS_CLUSTER, REDIS, SG, SGR, threeTier, withSpecs } from "./fixtures";

const only = ["security-group-chaining"];
const chaining = (specs: Spec[], policyConfig?: Record<string, unknown>) => evaluate(specs, { only, policyConfig });

for (const mode of ["known", "unknown"] as Mode[]) {
    describe(`security-group-chaining (${mode === "known" ? "ids known: offline, pulumi up" : "ids unknown: real preview, via propertyDependencies"})`, () => {
        it("passes the platform's three-tier chain: ALB open on 80/443, app admits the ALB, data tiers admit the app", async () => {
            expect(lines(await chaining(threeTier(mode)))).to.deep.equal([]);
        });

        it("rejects a database group that admits a CIDR, naming the rule and the fix", async () => {
            const vs = await chaining(withSpecs(threeTier(mode), fromCidr(mode, "app-to-db", "db", "10.0.0.0/16", 5432)));
            expect(vs).to.have.length(1);
            expect(vs[0].enforcementLevel).to.equal("mandatory");
            expect(vs[0].message).to.match(/rule 'app-to-db' on group 'db' admits 10\.0\.0\.0\/16 on tcp\/5432, but it guards database/);
            expect(vs[0].message).to.match(/Fix: .*group reference/);
            expect(vs[0].urn).to.match(/::app-to-db$/);
        });

        it("rejects an application group open to the world", async () => {
            const vs = await chaining(withSpecs(threeTier(mode), fromCidr(mode, "app-world", "app", "0.0.0.0/0", 8080)));
            expect(lines(vs)).to.have.length(1);
            expect(vs[0].message).to.match(/admits 0\.0\.0\.0\/0 on tcp\/8080, but the group is used by LaunchTemplate 'web-lt' \(instance\)/);
        });

        it("rejects an application group admitting another tier's group instead of its load balancer's", async () => {
            const vs = await chaining(withSpecs(threeTier(mode), fromGroup(mode, "cache-to-app", "app", "cache", 8080)));
            expect(vs).to.have.length(1);
            expect(vs[0].message).to.match(/admits group 'cache' \(used by ReplicationGroup 'sessions' \(cache\)\) on tcp\/8080 into application instances/);
        });

        it("allows only the authorised ports to the world on a load balancer, configurable", async () => {
            const specs = withSpecs(threeTier(mode), fromCidr(mode, "alb-8443", "alb", "0.0.0.0/0", 8443));
            const vs = await chaining(specs);
            expect(vs).to.have.length(1);
            expect(vs[0].message).to.match(/the internet may reach only TCP ports 80, 443/);
            expect(await chaining(specs, { "security-group-chaining": { authorizedWorldPorts: [80, 443, 8443] } })).to.deep.equal([]);
        });

        it("rejects a world-open group behind an internal load balancer", async () => {
            const specs = threeTier(mode).map((s): Spec => (s.name === "web-alb" && s.type === LB ? { ...s, props: { ...s.props, internal: true } } : s));
            const vs = await chaining(specs);
            expect(vs.length).to.equal(4); // 80 and 443 over IPv4 and IPv6
            expect(vs[0].message).to.match(/used by LoadBalancer 'web-alb' \(lb-internal\)/);
        });

        it("rejects SSH from any CIDR, in the aws.ec2.SecurityGroupRule shape", async () => {
            const ssh: Spec = {
                type: SGR,
                name: "ops-ssh",
                props: { type: "ingress", securityGroupId: ref(mode, "app"), cidrBlocks: ["10.20.0.0/16"], protocol: "tcp", fromPort: 22, toPort: 22 },
                deps: { securityGroupId: ["app"] },
            };
            const vs = await chaining(withSpecs(threeTier(mode), ssh));
            expect(vs.map((v) => v.message).join("\n")).to.match(/rule 'ops-ssh' on group 'app' admits SSH \(22\) from 10\.20\.0\.0\/16/);
        });

        it("sees inline ingress[] rules", async () => {
            const specs = withSpecs(threeTier(mode), {
                type: SG,
                name: "cache",
                props: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.0.0.0/8"] }] },
            });
            const vs = await chaining(specs);
            expect(vs).to.have.length(1);
            expect(vs[0].message).to.match(/ingress\[0\] of group 'cache' on group 'cache' admits 10\.0\.0\.0\/8 on tcp\/6379, but it guards cache/);
        });

        it("treats aws:alb/* tokens as aws:lb/*", async () => {
            const specs = threeTier(mode).map((s): Spec => (s.name === "web-alb" && s.type === LB ? { ...s, type: "aws:alb/loadBalancer:LoadBalancer", props: { ...s.props, loadBalancerType: "application" } } : s));
            expect(await chaining(specs)).to.deep.equal([]);
        });

        it("holds on one group shared by a database, a cache and instances", async () => {
            const shared: Spec[] = [
                { type: SG, name: "shared", props: { vpcId: "vpc-1" } },
                fromGroup(mode, "shared-self", "shared", "shared", "all"),
                { type: LT, name: "lt", props: { vpcSecurityGroupIds: [ref(mode, "shared")] }, deps: { vpcSecurityGroupIds: ["shared"] } },
                { type: RDS_CLUSTER, name: "db", props: { vpcSecurityGroupIds: [ref(mode, "shared")] }, deps: { vpcSecurityGroupIds: ["shared"] } },
                { type: REDIS, name: "cache", props: { securityGroupIds: [ref(mode, "shared")] }, deps: { securityGroupIds: ["shared"] } },
            ];
            // Its self rule admits each tier into the others: the instances reach the database and the database the instances.
            const self = await chaining(shared);
            expect(self.map((v) => v.urn!.split("::").pop())).to.deep.equal(["shared-self"]);
            expect(self[0].message).to.match(/admits itself, which is used by LaunchTemplate 'lt' \(instance\), Cluster 'db' \(database\), ReplicationGroup 'cache' \(cache\), so each of those tiers/);
            const vs = await chaining([...shared, fromCidr(mode, "shared-pg", "shared", "0.0.0.0/0", 5432)]);
            expect(vs).to.have.length(2);
            expect(vs[1].message).to.match(/used by LaunchTemplate 'lt' \(instance\), Cluster 'db' \(database\), ReplicationGroup 'cache' \(cache\)/);
        });

        it("allows a single-instance web environment's group tagged platform:exposure=internet on 80/443 only", async () => {
            const single: Spec[] = [
                { type: SG, name: "web", props: { vpcId: "vpc-1", tags: { "platform:exposure": "internet" } } },
                fromCidr(mode, "web-443", "web", "0.0.0.0/0", 443),
                { type: LT, name: "lt", props: { vpcSecurityGroupIds: [ref(mode, "web")] }, deps: { vpcSecurityGroupIds: ["web"] } },
                { type: ASG, name: "asg", props: { maxSize: 1, minSize: 1, launchTemplate: { id: ref(mode, "lt") } }, deps: { launchTemplate: ["lt"] } },
            ];
            expect(await chaining(single)).to.deep.equal([]);
            const grows = single.map((s): Spec => (s.name === "asg" && s.type === ASG ? { ...s, props: { ...s.props, maxSize: 2 } } : s));
            expect((await chaining(grows))[0].message).to.match(/holds for one instance only: Auto Scaling group 'asg' may grow to 2 instances/);
            const untagged = single.map((s): Spec => (s.name === "web" && s.type === SG ? { ...s, props: { vpcId: "vpc-1" } } : s));
            expect(await chaining(untagged)).to.have.length(1);
            const withDb: Spec[] = [...single, { type: RDS_CLUSTER, name: "db", props: { vpcSecurityGroupIds: [ref(mode, "web")] }, deps: { vpcSecurityGroupIds: ["web"] } }];
            expect((await chaining(withDb))[0].message).to.match(/Cluster 'db' \(database\)/);
        });
    });
}

describe("security-group-chaining, mixed and partial references", () => {
    it("resolves an unknown id through propertyDependencies even when other ids are known", async () => {
        const specs: Spec[] = [
            { type: SG, name: "alb", props: {} },
            { type: SG, name: "db", props: {} },
            { type: IN, name: "db-from-alb", props: { securityGroupId: "sg-db", referencedSecurityGroupId: U, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, deps: { securityGroupId: ["db"], referencedSecurityGroupId: ["alb"] } },
            { type: LB, name: "lb", props: { securityGroups: [U] }, deps: { securityGroups: ["alb"] } },
            { type: RDS_CLUSTER, name: "pg", props: { vpcSecurityGroupIds: ["sg-db"] } },
        ];
        // Tier order: a database never admits a load balancer's group.
        const lbIntoDb = await chaining(specs);
        expect(lbIntoDb.map((v) => v.urn!.split("::").pop())).to.deep.equal(["db-from-alb"]);
        expect(lbIntoDb[0].message).to.match(/admits group 'alb' \(used by LoadBalancer 'lb' \(lb-internet\)\) on tcp\/5432 into database/);
        const world = await chaining([...specs, { type: IN, name: "db-world", props: { securityGroupId: "sg-db", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 } }]);
        expect(world).to.have.length(2);
        expect(world[1].message).to.match(/used by Cluster 'pg' \(database\)/);
    });

    it("judges rules the program adds to a group it did not create", async () => {
        const vs = await chaining([{ type: IN, name: "existing-open", props: { securityGroupId: "sg-0123456789abcdef0", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 } }]);
        expect(vs).to.have.length(1);
        expect(vs[0].message).to.match(/group 'sg-0123456789abcdef0' admits 0\.0\.0\.0\/0 on tcp\/443, but the group is used by nothing this program creates/);
    });
});

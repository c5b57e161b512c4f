import { expect } from "chai";
import * as aws from "@pulumi/aws";
import { allowFrom, allowSelf, allowWorld, newSecurityGroup, portArgs, tcp } from "../../components/security-groups";
import { recordStack } from "../support/harness";

describe("security-group chaining", () => {
    it("admits the source group into the target on one port, with the matching egress", async () => {
        const rec = await recordStack(() => {
            const alb = newSecurityGroup("alb", { vpcId: "vpc-1", description: "alb" }, {});
            const app = newSecurityGroup("app", { vpcId: "vpc-1", description: "app" }, {});
            allowFrom("alb-to-app", { target: app.id, source: alb.id, port: tcp(8080), description: "alb to app" }, {});
        });
        const alb = rec.named("aws:ec2/securityGroup:SecurityGroup", "alb");
        const app = rec.named("aws:ec2/securityGroup:SecurityGroup", "app");
        const ingress = rec.named("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-to-app-in");
        const egress = rec.named("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "alb-to-app-out");
        expect(ingress.inputs).to.include({ securityGroupId: app.id, referencedSecurityGroupId: alb.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
        expect(ingress.inputs).to.not.have.any.keys("cidrIpv4", "cidrIpv6");
        expect(egress.inputs).to.include({ securityGroupId: alb.id, referencedSecurityGroupId: app.id, fromPort: 8080 });
        expect(ingress.propertyDependencies.referencedSecurityGroupId).to.deep.equal([alb.urn]);
        expect(ingress.propertyDependencies.securityGroupId).to.deep.equal([app.urn]);
    });

    it("creates groups without inline rules, so AWS's default allow-all egress is removed", async () => {
        const rec = await recordStack(() => newSecurityGroup("g", { vpcId: "vpc-1", description: "g" }, {}));
        const g = rec.named("aws:ec2/securityGroup:SecurityGroup", "g");
        expect(g.inputs).to.not.have.any.keys("ingress", "egress");
        expect(g.inputs.revokeRulesOnDelete).to.equal(true);
    });

    it("opens only the given ports to the world, over IPv4 and IPv6", async () => {
        const rec = await recordStack(() => {
            const g = new aws.ec2.SecurityGroup("lb", { vpcId: "vpc-1" });
            allowWorld("lb-world", { group: g.id, ports: [80, 443], description: "http(s)" }, {});
        });
        const rules = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rules.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6])).to.have.deep.members([
            [80, "0.0.0.0/0"],
            [80, "::/0"],
            [443, "0.0.0.0/0"],
            [443, "::/0"],
        ]);
    });

    it("self rules reference the group itself in both directions", async () => {
        const rec = await recordStack(() => {
            const g = new aws.ec2.SecurityGroup("efa", { vpcId: "vpc-1" });
            allowSelf("efa-self", { group: g.id, port: "all", description: "efa" }, {});
        });
        const g = rec.named("aws:ec2/securityGroup:SecurityGroup", "efa");
        for (const type of ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
            const [rule] = rec.ofType(type);
            expect(rule.inputs).to.include({ securityGroupId: g.id, referencedSecurityGroupId: g.id, ipProtocol: "-1" });
        }
    });

    it("rejects impossible port ranges", () => {
        expect(() => portArgs(tcp(70000))).to.throw(/invalid port/);
        expect(() => portArgs({ protocol: "tcp", from: 1023, to: 1018 })).to.throw(/invalid port range/);
    });
});

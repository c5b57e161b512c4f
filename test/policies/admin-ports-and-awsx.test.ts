import { expect } from "chai";
import { evaluate, Spec, U } from "./support";
import { SG, SGR, IN } from "./fixtures";

describe("no-admin-ports-from-world", () => {
    const only = ["no-admin-ports-from-world"];
    it("fails SSH or RDP from the world in each rule shape, and passes HTTPS", async () => {
        const specs: Spec[] = [
            { type: SG, name: "inline", props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] } },
            { type: SG, name: "grp", props: {} },
            { type: SGR, name: "classic", props: { type: "ingress", securityGroupId: U, protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }, deps: { securityGroupId: ["grp"] } },
            { type: IN, name: "vpc", props: { securityGroupId: U, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 3389, toPort: 3389 }, deps: { securityGroupId: ["grp"] } },
            { type: IN, name: "https", props: { securityGroupId: U, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }, deps: { securityGroupId: ["grp"] } },
        ];
        const vs = await evaluate(specs, { only });
        expect(vs.map((v) => `${v.urn!.split("::").pop()}: ${v.message.split("\n").pop()}`)).to.have.members([
            "inline: ingress[0] of group 'inline' on group 'inline' admits port 22 from 0.0.0.0/0; remove it and reach instances through SSM Session Manager.",
            "classic: rule 'classic' on group 'grp' admits port 22 from ::/0; remove it and reach instances through SSM Session Manager.",
            "classic: rule 'classic' on group 'grp' admits port 3389 from ::/0; remove it and reach instances through SSM Session Manager.",
            "vpc: rule 'vpc' on group 'grp' admits port 3389 from 0.0.0.0/0; remove it and reach instances through SSM Session Manager.",
        ]);
    });
});

describe("awsx-default-security-groups", () => {
    const only = ["awsx-default-security-groups"];
    it("fails an opaque FargateService with no security group, passes one given a group", async () => {
        const bad: Spec = { type: "awsx:ecs:FargateService", name: "api", props: { networkConfiguration: { subnets: ["subnet-a"] } } };
        const vs = await evaluate([bad], { only });
        expect(vs[0].message).to.match(/awsx FargateService 'api' gets no security group.*all ports to 0\.0\.0\.0\/0/);
        const good: Spec = { type: "awsx:ecs:FargateService", name: "api", props: { networkConfiguration: { subnets: ["subnet-a"], securityGroups: [U] } } };
        expect(await evaluate([good], { only })).to.deep.equal([]);
    });
    it("leaves a non-opaque awsx load balancer (children visible, as in a real preview) to the chaining rule", async () => {
        const specs: Spec[] = [
            { type: "awsx:lb:ApplicationLoadBalancer", name: "web", props: {} },
            { type: "aws:lb/loadBalancer:LoadBalancer", name: "web-lb", parent: "web", props: { securityGroups: [U] }, deps: { securityGroups: ["web-sg"] } },
            { type: SG, name: "web-sg", parent: "web", props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
        ];
        expect(await evaluate(specs, { only })).to.deep.equal([]);
        const chaining = await evaluate(specs, { only: ["security-group-chaining"] });
        expect(chaining[0].message).to.match(/ingress\[0\] of group 'web-sg' on group 'web-sg' admits 0\.0\.0\.0\/0 on all traffic; the internet may reach only TCP ports 80, 443/);
    });
});

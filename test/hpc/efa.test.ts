import { expect } from "chai";
import { architectureOf, efaNetworkInterfaces, efaProblem, maxEfaInterfaces, vcpusFromSize } from "../../hpc/efa";

describe("EFA instance types", () => {
    it("knows each type's maximum EFA interfaces from the DescribeInstanceTypes table", () => {
        expect(maxEfaInterfaces("c5n.18xlarge")).to.equal(1);
        expect(maxEfaInterfaces("c6in.32xlarge")).to.equal(2);
        expect(maxEfaInterfaces("p4d.24xlarge")).to.equal(4);
        expect(maxEfaInterfaces("p5.48xlarge")).to.equal(32);
        expect(maxEfaInterfaces("t3.micro")).to.equal(undefined);
        expect(maxEfaInterfaces("toString")).to.equal(undefined);
    });

    it("explains a type without EFA with the family's EFA sizes", () => {
        expect(efaProblem("c5n.large")).to.equal("c5n.large does not support EFA (Elastic Fabric Adapter); EFA-capable sizes of this family: c5n.9xlarge, c5n.18xlarge, c5n.metal");
        expect(efaProblem("t3.micro")).to.match(/does not support EFA.*e\.g\. c5n\.18xlarge/);
    });

    it("never makes the primary interface efa-only", () => {
        for (const n of [1, 2, 4, 32]) {
            const interfaces = efaNetworkInterfaces(n, "sg-1");
            expect(interfaces).to.have.length(n);
            expect(interfaces[0]).to.include({ networkCardIndex: 0, deviceIndex: 0, interfaceType: "efa", associatePublicIpAddress: "false" });
            expect(interfaces.slice(1).every((i, k) => i.interfaceType === "efa-only" && i.networkCardIndex === k + 1 && i.deviceIndex === 0)).to.equal(true);
            expect(interfaces.every((i) => i.securityGroups.length === 1 && i.securityGroups[0] === "sg-1")).to.equal(true);
        }
        expect(() => efaNetworkInterfaces(0, "sg-1")).to.throw(/at least one EFA interface/);
    });

    it("tells Graviton from x86 and vCPUs from the size where the name allows", () => {
        expect(["c7gn.16xlarge", "hpc7g.16xlarge", "im4gn.16xlarge", "r8gb.48xlarge"].map(architectureOf)).to.deep.equal(["arm64", "arm64", "arm64", "arm64"]);
        expect(["c5n.18xlarge", "g5.48xlarge", "p4d.24xlarge", "hpc7a.96xlarge"].map(architectureOf)).to.deep.equal(["x86_64", "x86_64", "x86_64", "x86_64"]);
        expect(vcpusFromSize("c5n.18xlarge")).to.equal(72);
        expect(vcpusFromSize("c5n.metal")).to.equal(undefined);
        expect(vcpusFromSize("hpc6a.48xlarge")).to.equal(undefined);
    });
});

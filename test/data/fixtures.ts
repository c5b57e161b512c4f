import { T } from "../support/types";
import { NetworkRef } from "../../components/network";
import { ProblemCollector } from "../../components/validation";

/** A three-AZ network in us-east-1 whose private subnet i sits in AZ i. */
export const primaryNetwork: NetworkRef = {
    vpcId: "vpc-0aaaaaaaaaaaaaaa1",
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    cidrBlock: "10.0.0.0/16",
};

export const secondaryNetwork: NetworkRef = {
    vpcId: "vpc-0bbbbbbbbbbbbbbb2",
    publicSubnetIds: ["subnet-w-pub-a", "subnet-w-pub-b", "subnet-w-pub-c"],
    privateSubnetIds: ["subnet-w-priv-a", "subnet-w-priv-b", "subnet-w-priv-c"],
    availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
    cidrBlock: "10.1.0.0/16",
};

export const RULE_IN = T.ingressRule;
export const RULE_OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const SG = T.securityGroup;

export function paths(found: ProblemCollector): string[] {
    return found.problems.map((p) => p.propertyPath);
}

/** The one problem at `path`, or a failure listing what was found. */
export function reasonAt(found: ProblemCollector, path: string): string {
    const hits = found.problems.filter((p) => p.propertyPath === path);
    if (hits.length === 0) {
        throw new Error(`expected a problem at ${path}, got: ${JSON.stringify(found.problems)}`);
    }
    return hits.map((h) => h.reason).join("; ");
}

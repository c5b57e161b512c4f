import * as pulumi from "@pulumi/pulumi";
import { Application, EnvironmentClass } from "../../components/application";
import { ApplicationVersion, VersionSource } from "../../components/application-version";
import { Network } from "../../components/network";

/** Subnet ids captured from the network's outputs once the run has finished. */
export interface Captured {
    publicSubnetIds: string[];
    privateSubnetIds: string[];
}

export const AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];

/** A network over `azCount` AZs, an application and one version, as the catalog builds them. */
export function platform(opts: { azCount?: number; environmentClass?: EnvironmentClass; source?: VersionSource; label?: string } = {}) {
    const captured: Captured = { publicSubnetIds: [], privateSubnetIds: [] };
    const network = new Network("net", { availabilityZones: AZS.slice(0, opts.azCount ?? 3), flowLogs: false });
    pulumi.all([network.publicSubnetIds, network.privateSubnetIds]).apply(([pub, priv]) => {
        captured.publicSubnetIds = pub;
        captured.privateSubnetIds = priv;
    });
    const application = new Application("shop", { environmentClass: opts.environmentClass ?? "production" });
    const label = opts.label ?? "v1";
    const version = new ApplicationVersion(
        `shop-${label}`,
        { application, label, source: opts.source ?? { ami: "ami-0123456789abcdef0" } },
        { parent: application },
    );
    return { network, application, version, captured };
}

/** A role policy's document. */
export function policyOf(inputs: Record<string, unknown>): { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] } {
    return JSON.parse(String(inputs.policy));
}

export const asList = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

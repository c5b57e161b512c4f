import * as pulumi from "@pulumi/pulumi";
import { EFA_INSTANCE_TYPES } from "./efa-instance-types";

/**
 * EFA facts and the pure functions that turn them into launch-template network interfaces.
 *
 * Sources (EC2 User Guide, "Elastic Fabric Adapter", and the DescribeInstanceTypes data in
 * ./efa-instance-types.ts):
 * - "Instance types that support multiple network cards can be configured with one EFA per network
 *   card. All other supported instance types support only one EFA per instance."
 * - EfaInfo.MaximumEfaInterfaces is the number of network cards that can carry an EFA.
 * - "You can't use an EFA-only network interface as the primary network interface": card 0,
 *   device 0 is an `efa` interface (ENA + EFA, with an IP address); every further card gets an
 *   `efa-only` interface at device index 0 (EFA-only interfaces take no IP address).
 * - Launch templates that define network interfaces set security groups per interface, never at
 *   the top level; AWS cannot auto-assign a public IPv4 address to an instance launched with more
 *   than one interface (and cluster nodes live in private subnets anyway).
 */

/** The maximum number of EFA interfaces of an instance type, or undefined when it has no EFA. */
export function maxEfaInterfaces(instanceType: string): number | undefined {
    return Object.prototype.hasOwnProperty.call(EFA_INSTANCE_TYPES, instanceType) ? EFA_INSTANCE_TYPES[instanceType] : undefined;
}

/** A few EFA-capable types of the same family, to make an error message actionable. */
export function efaSizesOfFamily(instanceType: string): string[] {
    const family = instanceType.split(".")[0];
    return Object.keys(EFA_INSTANCE_TYPES).filter((t) => t.split(".")[0] === family);
}

/** Checks that an instance type can carry an EFA; returns the reason when it cannot. */
export function efaProblem(instanceType: string): string | undefined {
    if (maxEfaInterfaces(instanceType) !== undefined) {
        return undefined;
    }
    const sizes = efaSizesOfFamily(instanceType);
    const hint = sizes.length > 0 ? `; EFA-capable sizes of this family: ${sizes.join(", ")}` : "; e.g. c5n.18xlarge, c6in.32xlarge, hpc7a.96xlarge";
    return `${instanceType} does not support EFA (Elastic Fabric Adapter)${hint}`;
}

/**
 * The CPU architecture of an instance type: Graviton families carry a `g` right after the
 * generation digit (c7g, c7gn, hpc7g, im4gn, r8gb); everything else in the table is x86_64.
 */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    return /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

/** One network interface of a launch template, in the shape `aws.ec2.LaunchTemplate` takes. */
export interface EfaInterfaceSpec {
    networkCardIndex: number;
    deviceIndex: number;
    interfaceType: "efa" | "efa-only";
    securityGroups: pulumi.Input<string>[];
    deleteOnTermination: string;
    associatePublicIpAddress?: string;
    description: string;
}

/**
 * The network interfaces of an EFA launch template: one per network card up to the type's maximum
 * EFA interfaces; card 0 is `efa` (primary, with an IP address and no public IP), every further
 * card `efa-only` at device index 0. The subnet comes from the Auto Scaling group or Batch.
 */
export function efaNetworkInterfaces(maxEfa: number, securityGroupId: pulumi.Input<string>): EfaInterfaceSpec[] {
    if (!Number.isInteger(maxEfa) || maxEfa < 1) {
        throw new Error(`an EFA instance has at least one EFA interface, got ${maxEfa}`);
    }
    return Array.from({ length: maxEfa }, (_v, card): EfaInterfaceSpec => {
        const primary = card === 0;
        return {
            networkCardIndex: card,
            deviceIndex: 0,
            interfaceType: primary ? "efa" : "efa-only",
            securityGroups: [securityGroupId],
            deleteOnTermination: "true",
            ...(primary ? { associatePublicIpAddress: "false" } : {}),
            description: primary ? "primary interface (ENA + EFA)" : `EFA-only interface on network card ${card}`,
        };
    });
}

/**
 * vCPUs of an instance type from its size name (`<n>xlarge` = 4·n vCPUs, `xlarge` = 4, `large` = 2),
 * or undefined where the name does not tell (metal sizes; hpc* families, which disable SMT).
 */
export function vcpusFromSize(instanceType: string): number | undefined {
    const [family, size] = instanceType.split(".");
    if (!size || family.startsWith("hpc") || size.startsWith("metal")) {
        return undefined;
    }
    if (size === "large") return 2;
    if (size === "xlarge") return 4;
    const m = /^(\d+)xlarge$/.exec(size);
    return m ? Number(m[1]) * 4 : undefined;
}

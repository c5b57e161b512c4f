import * as pulumi from "@pulumi/pulumi";
export { architectureOf, efaProblem, efaSizesOfFamily, maxEfaInterfaces, vcpusFromSize } from "../limits/efa";

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

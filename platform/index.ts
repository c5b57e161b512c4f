import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Network } from "../components/network";
import { newBlockingNetworkAcl } from "../components/network-acl";
import { buildCatalog } from "./catalog";
import { buildHpc } from "./hpc";
import { preflight } from "./preflight";
import { verifyBeforeFirstUp } from "./first-up";

export { preflight, preflightProblems } from "./preflight";
export { buildHpc, validateHpc } from "./hpc";
export { buildCatalog, validateCatalog } from "./catalog";
export type { StackSettings } from "./context";

/**
 * The stack layer: the only code that reads the stack config and turns it into components. First
 * the one preflight (config, AZs, every component's checks, HPC included), with no resource
 * registered; then the network, the catalog's applications (with their services and environments)
 * and the HPC cluster; then the stack outputs.
 *
 * Everything an application needs from the platform (the network, the stack's tags and class)
 * reaches it as plain arguments, so an application could later be built by a stack of its own from
 * a `StackReference` to this one.
 */
export async function runPlatform(): Promise<Record<string, unknown>> {
    const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] });
    const { cfg, availabilityZones } = preflight(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack(), zones.names);
    // --- nothing is registered before this line ---

    const network = new Network(cfg.project, {
        availabilityZones,
        cidrBlock: cfg.network.cidrBlock,
        natGateways: cfg.network.natGateways,
        flowLogs: cfg.network.flowLogs,
        flowLogRetentionDays: cfg.isProduction ? 365 : 30,
        tags: cfg.tags,
    });
    if (cfg.network.blockIps.length > 0) {
        newBlockingNetworkAcl(`${cfg.project}-public-block`, { vpcId: network.vpcId, subnetIds: network.publicSubnetIds, blockIps: cfg.network.blockIps, tags: cfg.tags }, { parent: network });
    }
    const catalog = await buildCatalog(cfg, network);
    const hpc = buildHpc(cfg.hpc, cfg, network);

    return {
        applications: catalog.outputs,
        region: cfg.region,
        environmentClass: cfg.environmentClass,
        availabilityZones,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        ...(catalog.secondaryRegion ? { secondaryRegion: { region: catalog.secondaryRegion.region, vpcId: catalog.secondaryRegion.network.vpcId } } : {}),
        ...(hpc ? { hpc } : {}),
        // What an offline plan cannot know (account state, quotas, placeholders): check before the first pulumi up.
        verifyBeforeFirstUp: verifyBeforeFirstUp(cfg, availabilityZones),
    };
}

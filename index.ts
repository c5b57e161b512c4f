import * as aws from "@pulumi/aws";
import { checkPlatformConfig } from "./config";
import { Network } from "./components/network";
import { buildHpc } from "./hpc";
import { buildCatalog, preflight } from "./components/catalog";

/**
 * The platform program. First every check, with no resource registered: the stack config (shapes
 * and cross-references), the region's AZs, and every component's arguments — all problems in one
 * error. Then the network, and on it the catalog's applications (with their databases, caches and
 * file systems) and the HPC cluster the stack declares.
 */
export = async () => {
    // --- Validation: nothing is registered before this block succeeds ---
    const checked = checkPlatformConfig();
    const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] });
    const { cfg, availabilityZones } = preflight(checked, zones.names);
    // --- end validation ---

    const network = new Network(cfg.project, {
        availabilityZones,
        cidrBlock: cfg.network.cidrBlock,
        natGateways: cfg.network.natGateways,
        flowLogs: cfg.network.flowLogs,
        flowLogRetentionDays: cfg.isProduction ? 365 : 30,
        tags: cfg.tags,
    });

    // --- Catalog (platform:applications): applications, their services, environments; the shared Aurora Global region when needed ---
    const catalog = await buildCatalog(cfg, network);
    // --- end catalog ---

    // --- HPC: EFA cluster, Lustre, Batch; nothing when platform:hpc.enabled is false ---
    const hpc = buildHpc(cfg, network);
    // --- end HPC ---

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
    };
};

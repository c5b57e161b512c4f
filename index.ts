import * as aws from "@pulumi/aws";
import { ConfigError, loadPlatformConfig } from "./config";
import { Network } from "./components/network";
import { buildDataTier } from "./components/data-tier";

/**
 * The platform program. Config is read and validated before any resource is registered; then the
 * network, and on it the application environments, data tiers and HPC clusters the stack declares.
 */
export = async () => {
    const cfg = loadPlatformConfig();

    const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] });
    if (zones.names.length < cfg.azCount) {
        throw new ConfigError(`stack '${cfg.stack}' config`, [
            {
                path: `${cfg.project}:azCount`,
                message: `${cfg.region} offers ${zones.names.length} AZs (${zones.names.join(", ")}), fewer than the ${cfg.azCount} asked for`,
            },
        ]);
    }
    const availabilityZones = [...zones.names].sort().slice(0, cfg.azCount);

    const network = new Network(cfg.project, {
        availabilityZones,
        cidrBlock: cfg.network.cidrBlock,
        natGateways: cfg.network.natGateways,
        flowLogs: cfg.network.flowLogs,
        flowLogRetentionDays: cfg.isProduction ? 365 : 30,
        tags: cfg.tags,
    });

    // --- data tier (platform:data): database, session cache, shared file system ---
    const dataTier = await buildDataTier(cfg, network);
    // --- end data tier ---

    return {
        region: cfg.region,
        environmentClass: cfg.environmentClass,
        availabilityZones,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        data: dataTier?.outputs,
    };
};

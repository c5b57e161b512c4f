import * as aws from "@pulumi/aws";
import { ConfigError, loadPlatformConfig } from "./config";
import { Network } from "./components/network";
import { buildHpc } from "./hpc";
import { buildApplications } from "./components/catalog";
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

    // --- Applications (Elastic Beanstalk model: application → version → web/worker environments) ---
    const applications = buildApplications(cfg.applications, network, {
        project: cfg.project,
        environmentClass: cfg.environmentClass,
        tags: cfg.tags,
    });
    // --- end applications ---

    // --- data tier (platform:data): database, session cache, shared file system, admitting the environments' instances ---
    const dataTier = await buildDataTier(
        cfg,
        network,
        Object.values(applications.environments).map((e) => e.instanceSecurityGroupId),
    );
    // --- end data tier ---

    // --- HPC: EFA cluster, Lustre, Batch; nothing when platform:hpc.enabled is false ---
    const hpc = buildHpc(cfg, network);
    // --- end HPC ---

    return {
        applications: applications.outputs,
        region: cfg.region,
        environmentClass: cfg.environmentClass,
        availabilityZones,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        ...(hpc ? { hpc } : {}),
        data: dataTier?.outputs,
    };
};

import * as pulumi from "@pulumi/pulumi";
import { NetworkRef } from "../components/network";
import type { PlatformConfig } from "../config";
import { ConfigError } from "../config/validation";
import { HpcCluster } from "./cluster";
import { HpcDataBucket } from "./data-bucket";

export * from "./cluster";
export * from "./data-bucket";
export * from "./efa";
export * from "./lustre";
export * from "./tags";

/** What the stack exports about the HPC cluster. */
export interface HpcOutputs {
    availabilityZone: string;
    subnetId: pulumi.Output<string>;
    placementGroupName: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    lustreDnsName?: pulumi.Output<string>;
    lustreMountName?: pulumi.Output<string>;
    dataBucketName?: pulumi.Output<string>;
    jobQueueArn?: pulumi.Output<string>;
    jobDefinitionArn?: pulumi.Output<string>;
}

/**
 * Builds the stack's HPC cluster from `platform:hpc` on the given network, or nothing when it is
 * disabled. The AZ is checked against the network's AZs first, so a wrong one is reported with
 * its config path.
 */
export function buildHpc(cfg: Pick<PlatformConfig, "project" | "stack" | "hpc" | "isProduction" | "tags">, network: NetworkRef): HpcOutputs | undefined {
    const hpc = cfg.hpc;
    if (!hpc.enabled) {
        return undefined;
    }
    if (hpc.availabilityZone !== undefined && !network.availabilityZones.includes(hpc.availabilityZone)) {
        throw new ConfigError(`stack '${cfg.stack}' config`, [
            {
                path: `${cfg.project}:hpc.availabilityZone`,
                message: `${hpc.availabilityZone} is not one of the AZs the network spans (${network.availabilityZones.join(", ")})`,
            },
        ]);
    }
    const name = `${cfg.project}-hpc`;
    const lustre = hpc.lustre;
    const bucket =
        lustre && "create" in lustre.dataBucket
            ? new HpcDataBucket(`${name}-data`, { protect: cfg.isProduction, forceDestroy: !cfg.isProduction, tags: cfg.tags })
            : undefined;
    const bucketName = lustre ? (bucket?.bucketName ?? ("name" in lustre.dataBucket ? lustre.dataBucket.name : undefined)) : undefined;

    const cluster = new HpcCluster(name, {
        network,
        availabilityZone: hpc.availabilityZone,
        instanceType: hpc.instanceType,
        compute: hpc.compute,
        headNode: hpc.headNode,
        amiId: hpc.amiId,
        batch: hpc.batch,
        lustre: lustre && {
            deploymentType: lustre.deploymentType,
            storageCapacityGiB: lustre.storageCapacityGiB,
            perUnitStorageThroughput: lustre.perUnitStorageThroughput,
            dataRepository:
                bucketName === undefined
                    ? undefined
                    : { bucketName, mode: lustre.link, importPrefix: lustre.importPrefix, exportPrefix: lustre.exportPrefix },
        },
        efsHome: hpc.efsHome,
        protect: cfg.isProduction,
        tags: cfg.tags,
    });

    return {
        availabilityZone: cluster.availabilityZone,
        subnetId: cluster.subnetId,
        placementGroupName: cluster.placementGroup.name,
        securityGroupId: cluster.securityGroupId,
        lustreDnsName: cluster.lustre?.dnsName,
        lustreMountName: cluster.lustre?.mountName,
        dataBucketName: bucket?.bucketName,
        jobQueueArn: cluster.jobQueue?.arn,
        jobDefinitionArn: cluster.jobDefinition?.arn,
    };
}

import * as pulumi from "@pulumi/pulumi";
import type { NetworkRef } from "../components/network";
import type { HpcConfig } from "../config/hpc";
import type { ConfigProblem } from "../config/validation";
import { HpcCluster, HpcClusterArgs, HpcDataBucket, validateHpcClusterArgs } from "../hpc";
import type { StackSettings } from "./context";

/**
 * `platform:hpc` → the HPC components: the cluster's arguments from config (one function, used by
 * the preflight and by the build), their validation reported against config paths, and the build.
 */

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

/** The HpcCluster arguments `platform:hpc` asks for, on a network and with the data bucket's name. Pure. */
export function hpcClusterArgs(hpc: HpcConfig, stack: StackSettings, network: NetworkRef, bucketName?: pulumi.Input<string>): HpcClusterArgs {
    const lustre = hpc.lustre;
    return {
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
                bucketName === undefined ? undefined : { bucketName, mode: lustre.link, importPrefix: lustre.importPrefix, exportPrefix: lustre.exportPrefix },
        },
        efsHome: hpc.efsHome,
        protect: stack.isProduction,
        tags: stack.tags,
    };
}

/**
 * Every problem of `platform:hpc` the HPC components find (the AZ against the network's AZs,
 * instance type, Batch sizing, Lustre), each with its config path, before anything is registered.
 * Nothing when HPC is disabled. Pure.
 */
export function validateHpc(hpc: HpcConfig, stack: StackSettings, availabilityZones: string[]): ConfigProblem[] {
    if (!hpc.enabled) return [];
    const network: NetworkRef = { vpcId: "", publicSubnetIds: [], privateSubnetIds: [], availabilityZones, cidrBlock: "10.0.0.0/16" };
    const args = hpcClusterArgs(hpc, stack, network, hpc.lustre ? "bucket" : undefined);
    return validateHpcClusterArgs(args).problems.map((p) => ({
        path: `${stack.project}:hpc.${p.propertyPath.startsWith("network.") ? "availabilityZone" : p.propertyPath.replace(/^lustre\.dataRepository\./, "lustre.")}`,
        message: p.reason,
    }));
}

/** Builds the stack's HPC cluster from `platform:hpc` on the network, or nothing when it is disabled. Validated beforehand by {@link validateHpc}. */
export function buildHpc(hpc: HpcConfig, stack: StackSettings, network: NetworkRef): HpcOutputs | undefined {
    if (!hpc.enabled) {
        return undefined;
    }
    const name = `${stack.project}-hpc`;
    const lustre = hpc.lustre;
    const bucket =
        lustre && "create" in lustre.dataBucket
            ? new HpcDataBucket(`${name}-data`, { protect: stack.isProduction, forceDestroy: !stack.isProduction, tags: stack.tags })
            : undefined;
    const bucketName = lustre ? (bucket?.bucketName ?? ("name" in lustre.dataBucket ? lustre.dataBucket.name : undefined)) : undefined;
    const cluster = new HpcCluster(name, hpcClusterArgs(hpc, stack, network, bucketName));
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

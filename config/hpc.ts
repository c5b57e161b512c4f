import { z } from "zod";
import { efaProblem, lustreCapacityProblem, lustreDeploymentTypes, lustreThroughputProblem } from "../limits";

/**
 * `platform:hpc`: an EFA cluster in one AZ with Lustre and AWS Batch (see hpc/). Strict: unknown
 * keys are rejected. Structured, so it is set in Pulumi.<stack>.yaml or with `--path`.
 *
 *   platform:hpc:
 *     enabled: true
 *     availabilityZone: us-east-1a        # one of the network's AZs; defaults to the first
 *     instanceType: c5n.18xlarge          # must support EFA
 *     compute: { minSize: 0, maxSize: 4, spot: false }
 *     headNode: { instanceType: c6i.xlarge }
 *     lustre:
 *       deploymentType: PERSISTENT_2
 *       storageCapacityGiB: 1200
 *       perUnitStorageThroughput: 125
 *       dataBucket: { create: true }      # or { name: existing-bucket }
 *       importPrefix: ""                   # key prefix linked to the file system
 *     efsHome: { fileSystemId: fs-0123456789abcdef0, securityGroupId: sg-0123456789abcdef0 }
 */

const wholeNumber = () => z.number().int("expected a whole number");

const instanceType = () => z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "expected an EC2 instance type such as c5n.18xlarge");

const keyPrefix = () => z.string().regex(/^([A-Za-z0-9!_.*'()\-]+\/)*$/, 'expected "" or a key prefix ending in "/" such as "input/"');

export const hpcLustreSchema = z
    .strictObject({
        /** SCRATCH_2, PERSISTENT_1 or PERSISTENT_2. Defaults to SCRATCH_2 in development, PERSISTENT_2 in production. */
        deploymentType: z.enum(lustreDeploymentTypes).optional(),
        /** GiB: 1200, 2400, then multiples of 2400. Defaults to 1200. */
        storageCapacityGiB: wholeNumber().optional(),
        /** MB/s/TiB: PERSISTENT_1 50/100/200, PERSISTENT_2 125/250/500/1000, none for SCRATCH_2. Defaults to the smallest for persistent types. */
        perUnitStorageThroughput: wholeNumber().optional(),
        /** The S3 bucket linked to the file system: one the platform creates, or an existing one by name. Defaults to { create: true }. */
        dataBucket: z.union([z.strictObject({ create: z.literal(true) }), z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name") })]).optional(),
        /** association (DRA with automatic import/export) or importExport (SCRATCH_2 / PERSISTENT_1 only). Defaults to association. */
        link: z.enum(["association", "importExport"]).optional(),
        /** Key prefix of the bucket linked to the file system. Defaults to "" (the whole bucket). */
        importPrefix: keyPrefix().optional(),
        /** Key prefix exports go to, importExport only. Defaults to importPrefix. */
        exportPrefix: keyPrefix().optional(),
    })
    .superRefine((v, ctx) => {
        const type = v.deploymentType;
        if (v.storageCapacityGiB !== undefined) {
            const problem = lustreCapacityProblem(v.storageCapacityGiB);
            if (problem) ctx.addIssue({ code: "custom", path: ["storageCapacityGiB"], message: problem });
        }
        if (type !== undefined && v.perUnitStorageThroughput !== undefined) {
            const problem = lustreThroughputProblem(type, v.perUnitStorageThroughput);
            if (problem) ctx.addIssue({ code: "custom", path: ["perUnitStorageThroughput"], message: problem });
        }
        if (type === "PERSISTENT_2" && v.link === "importExport") {
            ctx.addIssue({ code: "custom", path: ["link"], message: "PERSISTENT_2 links to S3 through a data repository association only" });
        }
        if (v.exportPrefix !== undefined && v.link !== "importExport") {
            ctx.addIssue({ code: "custom", path: ["exportPrefix"], message: "exportPrefix applies to link: importExport only" });
        }
    });

export const hpcSchema = z
    .strictObject({
        /** Build the HPC cluster. Defaults to false. */
        enabled: z.boolean().optional(),
        /** The cluster's one AZ; must be one of the AZs the network spans. Defaults to the first of them. */
        availabilityZone: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "expected an AZ name such as us-east-1a").optional(),
        /** Compute instance type; must support EFA. Defaults to c5n.18xlarge. */
        instanceType: instanceType().optional(),
        compute: z
            .strictObject({
                /** Defaults to 0 (an idle cluster costs nothing). */
                minSize: wholeNumber().min(0).optional(),
                /** Defaults to 4. */
                maxSize: wholeNumber().min(1).optional(),
                /** Spot for the Auto Scaling fleet (Batch multi-node jobs stay On-Demand). Defaults to false. */
                spot: z.boolean().optional(),
            })
            .optional(),
        /** The login node; enabled by default. */
        headNode: z.strictObject({ enabled: z.boolean().optional(), instanceType: instanceType().optional() }).optional(),
        /** AMI for head and compute nodes. Defaults to the latest Amazon Linux 2023. */
        amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "expected an AMI id such as ami-0123456789abcdef0").optional(),
        /** AWS Batch multi-node parallel jobs; enabled by default. */
        batch: z
            .strictObject({
                enabled: z.boolean().optional(),
                maxVcpus: wholeNumber().min(1).optional(),
                numNodes: wholeNumber().min(1).optional(),
                containerImage: z.string().min(1).optional(),
            })
            .optional(),
        /** FSx for Lustre at /fsx. Defaults to none. */
        lustre: hpcLustreSchema.optional(),
        /** EFS at /home. Defaults to none. */
        efsHome: z
            .strictObject({
                fileSystemId: z.string().regex(/^fs-[0-9a-f]{8,17}$/, "expected an EFS id such as fs-0123456789abcdef0"),
                securityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, "expected a security group id such as sg-0123456789abcdef0").optional(),
            })
            .optional(),
    })
    .superRefine((v, ctx) => {
        if (v.instanceType !== undefined) {
            const problem = efaProblem(v.instanceType);
            if (problem) ctx.addIssue({ code: "custom", path: ["instanceType"], message: problem });
        }
        const min = v.compute?.minSize ?? 0;
        const max = v.compute?.maxSize ?? 4;
        if (max < min) {
            ctx.addIssue({ code: "custom", path: ["compute", "maxSize"], message: `must be >= compute.minSize (${min}), got ${max}` });
        }
    });

export type HpcConfigInput = z.input<typeof hpcSchema>;
export type HpcConfigParsed = z.output<typeof hpcSchema>;

/** The HPC settings with every default resolved. */
export interface HpcConfig {
    enabled: boolean;
    availabilityZone?: string;
    instanceType: string;
    compute: { minSize: number; maxSize: number; spot: boolean };
    headNode: { enabled: boolean; instanceType?: string };
    amiId?: string;
    batch: { enabled: boolean; maxVcpus?: number; numNodes?: number; containerImage?: string };
    lustre?: {
        deploymentType: (typeof lustreDeploymentTypes)[number];
        storageCapacityGiB: number;
        perUnitStorageThroughput?: number;
        dataBucket: { create: true } | { name: string };
        link: "association" | "importExport";
        importPrefix?: string;
        exportPrefix?: string;
    };
    efsHome?: { fileSystemId: string; securityGroupId?: string };
}

/** Smallest throughput per persistent type: the cheapest valid choice. */
const defaultThroughput = { SCRATCH_2: undefined, PERSISTENT_1: 50, PERSISTENT_2: 125 } as const;

/** Resolves defaults (some depend on the environment class). Pure; exported for tests. */
export function resolveHpcConfig(raw: HpcConfigParsed | undefined, isProduction: boolean): HpcConfig {
    const v = raw ?? {};
    const lustre = v.lustre;
    const deploymentType = lustre?.deploymentType ?? (isProduction ? "PERSISTENT_2" : "SCRATCH_2");
    return {
        enabled: v.enabled ?? false,
        availabilityZone: v.availabilityZone,
        instanceType: v.instanceType ?? "c5n.18xlarge",
        compute: { minSize: v.compute?.minSize ?? 0, maxSize: v.compute?.maxSize ?? 4, spot: v.compute?.spot ?? false },
        headNode: { enabled: v.headNode?.enabled ?? true, instanceType: v.headNode?.instanceType },
        amiId: v.amiId,
        batch: { enabled: v.batch?.enabled ?? true, maxVcpus: v.batch?.maxVcpus, numNodes: v.batch?.numNodes, containerImage: v.batch?.containerImage },
        lustre: lustre && {
            deploymentType,
            storageCapacityGiB: lustre.storageCapacityGiB ?? 1200,
            perUnitStorageThroughput: lustre.perUnitStorageThroughput ?? defaultThroughput[deploymentType],
            dataBucket: lustre.dataBucket ?? { create: true },
            link: lustre.link ?? "association",
            importPrefix: lustre.importPrefix,
            exportPrefix: lustre.exportPrefix,
        },
        efsHome: v.efsHome,
    };
}

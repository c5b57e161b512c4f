import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { LustreFileSystem, LustreFileSystemArgs, lustreCapacityProblem, s3Paths, validateLustreArgs } from "../../hpc/lustre";
import { MULTI_AZ_EXEMPT_TAG } from "../../hpc/tags";
import { recordStack } from "../support/harness";
import { T } from "../support/types";

const FS = T.lustre;
const DRA = "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation";
const KEY = T.kmsKey;

const args = (over: Partial<LustreFileSystemArgs>): LustreFileSystemArgs => ({
    deploymentType: "SCRATCH_2",
    storageCapacityGiB: 1200,
    vpcId: "vpc-1",
    subnetId: "subnet-priv-a",
    ...over,
});

const problems = (a: Partial<LustreFileSystemArgs>) => validateLustreArgs(args(a)).problems.map((p) => `${p.propertyPath}: ${p.reason}`);

describe("LustreFileSystem", () => {
    it("accepts 1200, 2400 and multiples of 2400 GiB only", () => {
        for (const ok of [1200, 2400, 4800, 7200, 48000]) {
            expect(lustreCapacityProblem(ok), String(ok)).to.equal(undefined);
        }
        for (const bad of [0, 1000, 1800, 3600, 6000, 2400.5]) {
            expect(lustreCapacityProblem(bad), String(bad)).to.match(/1200, 2400 or a multiple of 2400/);
        }
    });

    it("validates per-unit throughput by deployment type, naming the field", () => {
        expect(problems({ deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 125 })).to.deep.equal([
            "perUnitStorageThroughput: PERSISTENT_1 accepts 50, 100, 200 MB/s/TiB, got 125",
        ]);
        expect(problems({ deploymentType: "PERSISTENT_2" })).to.deep.equal(["perUnitStorageThroughput: required for PERSISTENT_2: one of 125, 250, 500, 1000 MB/s/TiB"]);
        expect(problems({ deploymentType: "SCRATCH_2", perUnitStorageThroughput: 200 })).to.deep.equal([
            "perUnitStorageThroughput: SCRATCH_2 does not take a per-unit storage throughput (got 200)",
        ]);
        expect(problems({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 1000, storageCapacityGiB: 9600 })).to.deep.equal([]);
    });

    it("refuses a customer key on scratch and legacy S3 paths on PERSISTENT_2", () => {
        expect(problems({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x" })[0]).to.match(/^kmsKeyArn: SCRATCH_2 is always encrypted with the FSx service key/);
        expect(problems({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, dataRepository: { bucketName: "b", mode: "importExport" } })).to.deep.equal([
            "dataRepository.mode: PERSISTENT_2 links to S3 through a data repository association only (no ImportPath/ExportPath)",
        ]);
        expect(problems({ dataRepository: { bucketName: "b", importPrefix: "/in" } })[0]).to.match(/^dataRepository\.importPrefix:/);
    });

    it("fails construction with every problem in one error", async () => {
        let error: Error | undefined;
        try {
            await recordStack(() => {
                new LustreFileSystem("scratch", args({ storageCapacityGiB: 1000, perUnitStorageThroughput: 50 }));
            });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message ?? "no error").to.include("LustreFileSystem 'scratch' has invalid inputs").and.include("- storageCapacityGiB:").and.include("- perUnitStorageThroughput:");
    });

    it("links SCRATCH_2 through import/export paths when asked, with the FSx service key and no backups", async () => {
        const rec = await recordStack(() => {
            new LustreFileSystem("scratch", args({ dataRepository: { bucketName: "hpc-data", mode: "importExport", importPrefix: "in/", exportPrefix: "out/" } }));
        });
        const fs = rec.named(FS, "scratch-fs");
        expect(fs.inputs).to.include({
            deploymentType: "SCRATCH_2",
            importPath: "s3://hpc-data/in/",
            exportPath: "s3://hpc-data/out/",
            autoImportPolicy: "NEW_CHANGED_DELETED",
            subnetIds: "subnet-priv-a",
            fileSystemTypeVersion: "2.15",
        });
        expect(fs.inputs).to.not.have.any.keys("kmsKeyId", "perUnitStorageThroughput", "automaticBackupRetentionDays");
        expect(rec.ofType(KEY)).to.have.length(0);
        expect(rec.ofType(DRA)).to.have.length(0);
        expect((fs.inputs.tags as Record<string, string>)[MULTI_AZ_EXEMPT_TAG]).to.equal("hpc-cluster-placement-group");
    });

    it("creates its own customer key for a persistent file system when none is given", async () => {
        const rec = await recordStack(() => {
            new LustreFileSystem("persist", args({ deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 100, dataRepository: { bucketName: "hpc-data" } }));
        });
        const key = rec.named(KEY, "persist-key");
        const fs = rec.named(FS, "persist-fs");
        expect(key.inputs.enableKeyRotation).to.equal(true);
        expect(fs.propertyDependencies.kmsKeyId).to.deep.equal([key.urn]);
        expect(rec.named(DRA, "persist-s3").inputs.dataRepositoryPath).to.equal("s3://hpc-data/");
    });

    it("names client rules after the client and keeps their former index-named identity as an alias", async () => {
        const aliases = new Map<string, unknown[]>();
        const rec = await recordStack(() => {
            pulumi.runtime.registerStackTransformation((t) => {
                if (t.opts.aliases?.length) aliases.set(t.name, t.opts.aliases as unknown[]);
                return undefined;
            });
            new LustreFileSystem("fsx", args({ clients: [{ name: "cluster", securityGroupId: "sg-0cluster", formerIndex: 0 }, { name: "login", securityGroupId: "sg-0login" }] }));
        });
        const ingress = rec.ofType(T.ingressRule).filter((r) => r.name.includes("-from-"));
        expect(ingress.map((r) => r.name).sort()).to.deep.equal(["fsx-from-cluster-1018-in", "fsx-from-cluster-988-in", "fsx-from-login-1018-in", "fsx-from-login-988-in"]);
        expect(aliases.get("fsx-from-cluster-988-in")).to.deep.equal([{ name: "fsx-client-0-988-in" }]);
        expect(aliases.get("fsx-from-cluster-1018-out")).to.deep.equal([{ name: "fsx-client-0-1018-out" }]);
        expect(aliases.has("fsx-from-login-988-in")).to.equal(false);
    });

    it("builds S3 paths from the bucket and prefixes", () => {
        expect(s3Paths("b", { bucketName: "b" })).to.deep.equal({ importPath: "s3://b/", exportPath: "s3://b/" });
        expect(s3Paths("b", { bucketName: "b", importPrefix: "in/" })).to.deep.equal({ importPath: "s3://b/in/", exportPath: "s3://b/in/" });
    });
});

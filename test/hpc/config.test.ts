import { expect } from "chai";
import * as path from "node:path";
import { loadPlatformConfig } from "../../config";
import { buildHpc, preflightProblems } from "../../platform";
import { loadProject, loadStackConfig } from "../../plan/project";
import { recordStack } from "../support/harness";
import { configProblems } from "../support/preflight";

const base = { "aws:region": "us-east-1", "platform:environmentClass": "production" };
const withHpc = (hpc: unknown) => ({ ...base, "platform:hpc": JSON.stringify(hpc) });
const problemsOf = (raw: Record<string, string>): string[] => configProblems(() => loadPlatformConfig(raw, "platform", "test"));

describe("platform:hpc config", () => {
    it("is off unless enabled, with safe defaults", () => {
        const cfg = loadPlatformConfig(base, "platform", "test");
        expect(cfg.hpc).to.include({ enabled: false, instanceType: "c5n.18xlarge" });
        expect(cfg.hpc.compute).to.deep.equal({ minSize: 0, maxSize: 4, spot: false });
    });

    it("the prod stack enables a small c5n.18xlarge cluster with PERSISTENT_2 Lustre on a created bucket", () => {
        const project = loadProject(path.resolve(__dirname, "..", ".."));
        const cfg = loadPlatformConfig(loadStackConfig(project, "prod").config, "platform", "prod");
        expect(cfg.hpc).to.deep.include({ enabled: true, instanceType: "c5n.18xlarge", compute: { minSize: 0, maxSize: 4, spot: false } });
        expect(cfg.hpc.lustre).to.deep.include({ deploymentType: "PERSISTENT_2", storageCapacityGiB: 1200, perUnitStorageThroughput: 125, dataBucket: { create: true }, link: "association" });
        const dev = loadPlatformConfig(loadStackConfig(project, "dev").config, "platform", "dev");
        expect(dev.hpc.enabled).to.equal(false);
    });

    it("names the field of an instance type without EFA, a bad capacity and a bad throughput", () => {
        expect(
            problemsOf(withHpc({ enabled: true, instanceType: "m5.large", lustre: { deploymentType: "PERSISTENT_2", storageCapacityGiB: 1300, perUnitStorageThroughput: 100 } })),
        ).to.deep.equal([
            "platform:hpc.lustre.storageCapacityGiB: SSD storage capacity must be 1200, 2400 or a multiple of 2400 GiB, got 1300",
            "platform:hpc.lustre.perUnitStorageThroughput: PERSISTENT_2 accepts 125, 250, 500, 1000 MB/s/TiB, got 100",
            "platform:hpc.instanceType: m5.large does not support EFA (Elastic Fabric Adapter); e.g. c5n.18xlarge, c6in.32xlarge, hpc7a.96xlarge",
        ]);
    });

    it("rejects unknown keys and inverted sizes", () => {
        expect(problemsOf(withHpc({ enabled: true, sshKey: "mine", compute: { minSize: 5, maxSize: 2 } }))).to.have.members([
            "platform:hpc.sshKey: unknown key (a typo?); remove it or check the documented keys",
            "platform:hpc.compute.maxSize: must be >= compute.minSize (5), got 2",
        ]);
    });

    it("rejects in the preflight, with config paths, an AZ the network does not span and what only the cluster's checks see", () => {
        const zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1f"];
        const found = (hpc: unknown) =>
            preflightProblems({ ...withHpc(hpc), "platform:azCount": "2" }, "platform", "test", zones).problems.map((p) => `${p.path}: ${p.message}`);
        expect(found({ enabled: true, availabilityZone: "us-east-1f" })).to.deep.equal([
            "platform:hpc.availabilityZone: us-east-1f is not one of the network's AZs (us-east-1a, us-east-1b); a cluster placement group lives in one of them",
        ]);
        // c5n.metal's vCPUs cannot be told from its name: Batch needs maxVcpus, and the preflight says so by config path.
        expect(found({ enabled: true, instanceType: "c5n.metal" })).to.deep.equal([
            "platform:hpc.batch.maxVcpus: required for c5n.metal: its vCPU count cannot be told from the size name",
        ]);
        expect(found({ enabled: false, instanceType: "c5n.metal" })).to.deep.equal([]);
    });

    it("builds the data bucket encrypted, versioned and private, and protects it in production", async () => {
        const cfg = loadPlatformConfig(withHpc({ enabled: true, availabilityZone: "us-east-1b", lustre: { storageCapacityGiB: 1200 } }), "platform", "test");
        const network = { vpcId: "vpc-1", publicSubnetIds: ["p-a", "p-b"], privateSubnetIds: ["s-a", "s-b"], availabilityZones: ["us-east-1a", "us-east-1b"], cidrBlock: "10.0.0.0/16" };
        const rec = await recordStack(() => {
            buildHpc(cfg.hpc, cfg, network);
        });
        const bucket = rec.named("aws:s3/bucket:Bucket", "platform-hpc-data");
        expect(bucket.options.protect).to.equal(true);
        expect(rec.named("aws:s3/bucketVersioning:BucketVersioning", "platform-hpc-data").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(rec.named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "platform-hpc-data").inputs).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        const sse = rec.named("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "platform-hpc-data");
        const key = rec.named("aws:kms/key:Key", "platform-hpc-data-key");
        const [rule] = sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string } }[];
        expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
        expect(sse.propertyDependencies.rules).to.include(key.urn);
        // The production default is PERSISTENT_2 at the smallest throughput, linked to the created bucket.
        const fs = rec.named("aws:fsx/lustreFileSystem:LustreFileSystem", "platform-hpc-lustre-fs");
        expect(fs.inputs).to.include({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, subnetIds: "s-b" });
        expect(fs.options.protect).to.equal(true);
        const dra = rec.named("aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation", "platform-hpc-lustre-s3");
        expect(dra.inputs.dataRepositoryPath).to.equal(`s3://${bucket.id}/`);
    });
});

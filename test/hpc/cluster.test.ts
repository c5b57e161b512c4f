import { expect } from "chai";
import { NetworkRef } from "../../components/network";
import { HpcCluster, HpcClusterArgs, validateHpcClusterArgs } from "../../hpc/cluster";
import { multiNodeProperties, renderUserData } from "../../hpc/node-setup";
import { MULTI_AZ_EXEMPT_TAG } from "../../hpc/tags";
import { Recorded, recordStack } from "../support/harness";

const T = {
    pg: "aws:ec2/placementGroup:PlacementGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    in: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    out: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    instance: "aws:ec2/instance:Instance",
    ce: "aws:batch/computeEnvironment:ComputeEnvironment",
    queue: "aws:batch/jobQueue:JobQueue",
    jobdef: "aws:batch/jobDefinition:JobDefinition",
    fs: "aws:fsx/lustreFileSystem:LustreFileSystem",
    dra: "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation",
    key: "aws:kms/key:Key",
};

const network: NetworkRef = {
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    cidrBlock: "10.0.0.0/16",
};

const base = (over: Partial<HpcClusterArgs> = {}): HpcClusterArgs => ({
    network,
    availabilityZone: "us-east-1b",
    instanceType: "c5n.18xlarge",
    compute: { maxSize: 4 },
    lustre: { deploymentType: "PERSISTENT_2", storageCapacityGiB: 1200, perUnitStorageThroughput: 125, dataRepository: { bucketName: "hpc-data" } },
    ...over,
});

const build = (args: HpcClusterArgs) =>
    recordStack(() => {
        new HpcCluster("hpc", args);
    });

/** The tag map of a record, wherever the resource keeps it. */
const tagsOf = (r: { inputs: Record<string, unknown> }) => (r.inputs.tags ?? {}) as Record<string, string>;

describe("HpcCluster", () => {
    let rec: Recorded;
    before(async () => {
        rec = await build(base());
    });

    it("puts the compute ASG and the Batch environment in one cluster placement group", () => {
        const pg = rec.named(T.pg, "hpc-pg");
        expect(pg.inputs.strategy).to.equal("cluster");
        const asg = rec.named(T.asg, "hpc-compute");
        const ce = rec.named(T.ce, "hpc-batch");
        expect(asg.inputs.placementGroup).to.equal(pg.id);
        expect((ce.inputs.computeResources as Record<string, unknown>).placementGroup).to.equal(pg.id);
        expect(asg.propertyDependencies.placementGroup).to.deep.equal([pg.urn]);
    });

    it("keeps every node, the file system and Batch in the private subnet of the chosen AZ", () => {
        const subnet = "subnet-priv-b";
        expect(rec.named(T.asg, "hpc-compute").inputs.vpcZoneIdentifiers).to.deep.equal([subnet]);
        expect((rec.named(T.ce, "hpc-batch").inputs.computeResources as Record<string, unknown>).subnets).to.deep.equal([subnet]);
        expect(rec.named(T.instance, "hpc-head").inputs.subnetId).to.equal(subnet);
        expect(rec.named(T.fs, "hpc-lustre-fs").inputs.subnetIds).to.equal(subnet);
    });

    it("gives the launch template EFA interfaces with the cluster group per interface, IMDSv2 and an encrypted root", () => {
        const lt = rec.named(T.lt, "hpc-compute");
        const sg = rec.named(T.sg, "hpc-sg");
        const key = rec.named(T.key, "hpc-key");
        expect(lt.inputs.networkInterfaces).to.deep.equal([
            {
                networkCardIndex: 0,
                deviceIndex: 0,
                interfaceType: "efa",
                securityGroups: [sg.id],
                deleteOnTermination: "true",
                associatePublicIpAddress: "false",
                description: "primary interface (ENA + EFA)",
            },
        ]);
        expect(lt.inputs).to.not.have.any.keys("vpcSecurityGroupIds", "securityGroupNames");
        expect(lt.inputs.metadataOptions).to.include({ httpTokens: "required" });
        const [root] = lt.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
        expect(root.ebs).to.include({ encrypted: "true", volumeType: "gp3" });
        expect(String(root.ebs.kmsKeyId)).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//).and.satisfy((arn: string) => arn.endsWith(`key/${key.id}`));
        expect(lt.propertyDependencies.blockDeviceMappings).to.include(key.urn);
    });

    it("uses one EFA per network card on multi-card types, efa-only beyond card 0", async () => {
        const p4d = await build(base({ instanceType: "p4d.24xlarge", lustre: undefined }));
        const interfaces = p4d.named(T.lt, "hpc-compute").inputs.networkInterfaces as Record<string, unknown>[];
        expect(interfaces.map((i) => [i.networkCardIndex, i.deviceIndex, i.interfaceType])).to.deep.equal([
            [0, 0, "efa"],
            [1, 0, "efa-only"],
            [2, 0, "efa-only"],
            [3, 0, "efa-only"],
        ]);
        expect(interfaces.filter((i) => "associatePublicIpAddress" in i)).to.have.length(1);
        const nodeProps = JSON.parse(String(p4d.named(T.jobdef, "hpc-mpi").inputs.nodeProperties));
        expect(nodeProps.nodeRangeProperties[0].container.linuxParameters.devices.map((d: { hostPath: string }) => d.hostPath)).to.deep.equal([
            "/dev/infiniband/uverbs0",
            "/dev/infiniband/uverbs1",
            "/dev/infiniband/uverbs2",
            "/dev/infiniband/uverbs3",
        ]);
    });

    it("admits into the cluster group only the group itself (all traffic) and its Lustre servers (988, 1018-1023), and lets it out only to itself, HTTPS and Lustre", () => {
        const sg = rec.named(T.sg, "hpc-sg");
        const lustreSg = rec.named(T.sg, "hpc-lustre-sg");
        const ingress = rec.ofType(T.in).filter((r) => r.inputs.securityGroupId === sg.id);
        // The FSx for Lustre guide: clients admit the file system's group on 988 and 1018-1023 too.
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.ipProtocol, r.inputs.fromPort ?? null, r.inputs.toPort ?? null])).to.have.deep.members([
            [sg.id, "-1", null, null],
            [lustreSg.id, "tcp", 988, 988],
            [lustreSg.id, "tcp", 1018, 1023],
        ]);
        expect(ingress.some((r) => r.inputs.fromPort === 22)).to.equal(false);
        const egress = rec.ofType(T.out).filter((r) => r.inputs.securityGroupId === sg.id);
        expect(egress.map((r) => [r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort ?? null, r.inputs.toPort ?? null])).to.have.deep.members([
            [sg.id, "-1", null, null],
            ["0.0.0.0/0", "tcp", 443, 443],
            [lustreSg.id, "tcp", 988, 988],
            [lustreSg.id, "tcp", 1018, 1023],
        ]);
    });

    it("opens the Lustre group on 988 and 1018-1023 to itself and the cluster group only, and lets it reach back to the cluster on the same ports", () => {
        const sg = rec.named(T.sg, "hpc-sg");
        const lustreSg = rec.named(T.sg, "hpc-lustre-sg");
        const ingress = rec.ofType(T.in).filter((r) => r.inputs.securityGroupId === lustreSg.id);
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort])).to.have.deep.members([
            [lustreSg.id, "tcp", 988, 988],
            [lustreSg.id, "tcp", 1018, 1023],
            [sg.id, "tcp", 988, 988],
            [sg.id, "tcp", 1018, 1023],
        ]);
        expect(ingress.every((r) => r.inputs.cidrIpv4 === undefined && r.inputs.cidrIpv6 === undefined)).to.equal(true);
        const egress = rec.ofType(T.out).filter((r) => r.inputs.securityGroupId === lustreSg.id && r.inputs.referencedSecurityGroupId === sg.id);
        expect(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort])).to.have.deep.members([
            [988, 988],
            [1018, 1023],
        ]);
        expect(rec.named(T.fs, "hpc-lustre-fs").inputs.securityGroupIds).to.deep.equal([lustreSg.id]);
    });

    it("marks exactly the single-AZ-by-design resources with the Multi-AZ exemption", () => {
        const marked = rec.resources.filter((r) => r.custom && (tagsOf(r)[MULTI_AZ_EXEMPT_TAG] !== undefined || ((r.inputs.computeResources as Record<string, unknown> | undefined)?.tags as Record<string, string> | undefined)?.[MULTI_AZ_EXEMPT_TAG] !== undefined));
        expect(marked.map((r) => `${r.type}::${r.name}`)).to.have.members([
            `${T.pg}::hpc-pg`,
            `${T.lt}::hpc-compute`,
            `${T.instance}::hpc-head`,
            `${T.ce}::hpc-batch`,
            `${T.fs}::hpc-lustre-fs`,
        ]);
        const asgTags = rec.named(T.asg, "hpc-compute").inputs.tags as { key: string; value: string }[];
        expect(asgTags).to.deep.include({ key: MULTI_AZ_EXEMPT_TAG, value: "hpc-cluster-placement-group", propagateAtLaunch: true });
        for (const r of marked) {
            expect(tagsOf(r)[MULTI_AZ_EXEMPT_TAG]).to.equal("hpc-cluster-placement-group");
        }
    });

    it("runs Batch as a managed On-Demand environment over the same launch template, with a multi-node job definition", async () => {
        const spot = await build(base({ compute: { maxSize: 4, spot: true } }));
        const lt = spot.named(T.lt, "hpc-compute");
        const ce = spot.named(T.ce, "hpc-batch");
        const res = ce.inputs.computeResources as Record<string, any>;
        expect(ce.inputs.type).to.equal("MANAGED");
        expect(res.type).to.equal("EC2");
        expect(res.launchTemplate.launchTemplateId).to.equal(lt.id);
        expect(res).to.not.have.property("securityGroupIds");
        expect(res.maxVcpus).to.equal(4 * 72);
        const queue = spot.named(T.queue, "hpc-queue");
        expect((queue.inputs.computeEnvironmentOrders as { computeEnvironment: string }[])[0].computeEnvironment).to.equal(ce.id);
        const jobdef = spot.named(T.jobdef, "hpc-mpi");
        expect(jobdef.inputs.type).to.equal("multinode");
        const nodes = JSON.parse(String(jobdef.inputs.nodeProperties));
        expect(nodes).to.include({ mainNode: 0, numNodes: 2 });
        // The ASG, by contrast, runs on Spot when asked.
        const asg = spot.named(T.asg, "hpc-compute");
        expect(asg.inputs.mixedInstancesPolicy).to.nested.include({ "instancesDistribution.onDemandPercentageAboveBaseCapacity": 0 });
        expect(asg.inputs.minSize).to.equal(0);
    });

    it("encrypts persistent Lustre with the cluster's key and links it through an association with automatic import and export", () => {
        const fs = rec.named(T.fs, "hpc-lustre-fs");
        const lt = rec.named(T.lt, "hpc-compute");
        const [root] = lt.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
        expect(fs.inputs).to.include({ deploymentType: "PERSISTENT_2", storageCapacity: 1200, perUnitStorageThroughput: 125, fileSystemTypeVersion: "2.15" });
        expect(fs.inputs.kmsKeyId).to.equal(root.ebs.kmsKeyId);
        expect(fs.inputs).to.not.have.any.keys("importPath", "exportPath");
        const dra = rec.named(T.dra, "hpc-lustre-s3");
        expect(dra.inputs).to.include({ fileSystemId: fs.id, dataRepositoryPath: "s3://hpc-data/", fileSystemPath: "/" });
        expect(dra.inputs.s3).to.deep.equal({ autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] }, autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] } });
    });

    it("mounts Lustre at /fsx in the nodes' user data", () => {
        const fs = rec.named(T.fs, "hpc-lustre-fs");
        const lt = rec.named(T.lt, "hpc-compute");
        const script = Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");
        expect(script).to.include(`${fs.id}.fsx.us-east-1.amazonaws.com@tcp:/`).and.include(" /fsx lustre ");
        expect(script).to.match(/^MIME-Version: 1.0/);
    });

    it("protects the file system and keeps a final backup in production", async () => {
        const prod = await build(base({ protect: true }));
        const fs = prod.named(T.fs, "hpc-lustre-fs");
        expect(fs.options.protect).to.equal(true);
        expect(fs.inputs).to.include({ skipFinalBackup: false, automaticBackupRetentionDays: 7 });
        expect(rec.named(T.fs, "hpc-lustre-fs").options.protect ?? false).to.equal(false);
        expect(rec.named(T.fs, "hpc-lustre-fs").inputs.skipFinalBackup).to.equal(true);
    });

    it("chains NFS to the EFS home group when one is given", async () => {
        const withEfs = await build(base({ lustre: undefined, efsHome: { fileSystemId: "fs-0123456789abcdef0", securityGroupId: "sg-0efs0000000000000" } }));
        const sg = withEfs.named(T.sg, "hpc-sg");
        const ingress = withEfs.named(T.in, "hpc-efs-home-in");
        expect(ingress.inputs).to.include({ securityGroupId: "sg-0efs0000000000000", referencedSecurityGroupId: sg.id, fromPort: 2049, toPort: 2049 });
        const script = Buffer.from(String(withEfs.named(T.lt, "hpc-compute").inputs.userData), "base64").toString("utf8");
        expect(script).to.include("fs-0123456789abcdef0:/ /home efs");
    });
});

describe("HpcCluster validation", () => {
    const reasons = (args: HpcClusterArgs) => validateHpcClusterArgs(args).problems.map((p) => `${p.propertyPath}: ${p.reason}`);

    it("rejects an instance type without EFA, naming the field and the family's EFA sizes", () => {
        const [problem] = reasons(base({ instanceType: "c5n.xlarge" }));
        expect(problem).to.match(/^instanceType: c5n\.xlarge does not support EFA/).and.include("c5n.18xlarge");
    });

    it("rejects an AZ outside the network", () => {
        expect(reasons(base({ availabilityZone: "us-east-1f" }))).to.deep.equal([
            "availabilityZone: us-east-1f is not one of the network's AZs (us-east-1a, us-east-1b, us-east-1c); a cluster placement group lives in one of them",
        ]);
    });

    it("rejects invalid Lustre capacity and throughput under lustre.*", () => {
        const found = reasons(base({ lustre: { deploymentType: "PERSISTENT_2", storageCapacityGiB: 3600, perUnitStorageThroughput: 200 } }));
        expect(found).to.have.length(2);
        expect(found[0]).to.match(/^lustre\.storageCapacityGiB: .*3600/);
        expect(found[1]).to.match(/^lustre\.perUnitStorageThroughput: PERSISTENT_2 accepts 125, 250, 500, 1000/);
    });

    it("reports every problem at once, in one error, when the component is built", async () => {
        const bad = base({ instanceType: "t3.micro", availabilityZone: "us-west-2a", compute: { minSize: 3, maxSize: 2 } });
        expect(reasons(bad).map((r) => r.split(":")[0])).to.have.members(["availabilityZone", "instanceType", "compute.maxSize"]);
        let error: Error | undefined;
        try {
            await build(bad);
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message ?? "no error").to.include("HpcCluster 'hpc' has invalid inputs");
        for (const field of ["- availabilityZone:", "- instanceType:", "- compute.maxSize:"]) {
            expect(error?.message).to.include(field);
        }
    });

    it("needs batch.maxVcpus where the size name does not tell the vCPUs", () => {
        expect(reasons(base({ instanceType: "hpc7a.96xlarge", lustre: undefined }))).to.deep.equal([
            "batch.maxVcpus: required for hpc7a.96xlarge: its vCPU count cannot be told from the size name",
        ]);
        expect(reasons(base({ instanceType: "hpc7a.96xlarge", lustre: undefined, batch: { maxVcpus: 768 } }))).to.deep.equal([]);
        expect(reasons(base({ instanceType: "hpc7a.96xlarge", lustre: undefined, batch: { enabled: false } }))).to.deep.equal([]);
    });

    it("refuses a multi-node job that cannot fit the compute environment", () => {
        expect(reasons(base({ compute: { maxSize: 2 }, batch: { numNodes: 3 } }))).to.deep.equal([
            "batch.numNodes: 3 nodes of c5n.18xlarge need 216 vCPUs, more than the compute environment's 144",
        ]);
    });
});

describe("HpcCluster images and launch template versions", () => {
    it("takes a newer base image only deliberately: without amiId the head node and the fleet ignore image drift; Batch follows explicit template versions", async () => {
        const latest = await build(base());
        expect(latest.named(T.instance, "hpc-head").options.ignoreChanges).to.deep.equal(["ami"]);
        expect(latest.named(T.lt, "hpc-compute").options.ignoreChanges).to.deep.equal(["imageId"]);
        const ce = latest.named(T.ce, "hpc-batch");
        const version = (ce.inputs.computeResources as { launchTemplate: { version: string } }).launchTemplate.version;
        expect(version).to.not.equal("$Latest");
        expect(version).to.match(/^\d+$/);
        const asg = latest.named(T.asg, "hpc-compute").inputs.launchTemplate as { version: string };
        expect(asg.version).to.match(/^\d+$/);
        // A pinned image is the deliberate way to change it: then a new amiId does replace.
        const pinned = await build(base({ amiId: "ami-0123456789abcdef0" }));
        expect(pinned.named(T.instance, "hpc-head").options.ignoreChanges ?? []).to.deep.equal([]);
        expect(pinned.named(T.instance, "hpc-head").inputs.ami).to.equal("ami-0123456789abcdef0");
    });
});

describe("HPC node bootstrap and job properties", () => {
    it("installs EFA software only when missing and mounts nothing when there is nothing to mount", () => {
        const script = renderUserData({});
        expect(script).to.include("if [ ! -x /opt/amazon/efa/bin/fi_info ]");
        expect(script).to.not.include("mount -a");
    });

    it("mounts Lustre at boot from an fstab entry that waits for the network through units Amazon Linux 2023 has (no network.service there)", () => {
        const script = renderUserData({ lustre: { dnsName: "fs-1.fsx.us-east-1.amazonaws.com", mountName: "abcdef" } });
        const entry = script.split("\n").find((l) => l.includes(" /fsx lustre "))!;
        expect(entry).to.include("fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcdef /fsx lustre");
        expect(entry).to.not.include("network.service");
        expect(entry).to.include("_netdev").and.include("x-systemd.requires=network-online.target").and.include("x-systemd.after=network-online.target");
    });

    it("gives containers /fsx only when Lustre exists", () => {
        const without = JSON.parse(multiNodeProperties({ numNodes: 2, image: "img", vcpus: 72, memoryMiB: 8192, efaInterfaces: 1, lustre: false }));
        const withFsx = JSON.parse(multiNodeProperties({ numNodes: 2, image: "img", vcpus: 72, memoryMiB: 8192, efaInterfaces: 1, lustre: true }));
        expect(without.nodeRangeProperties[0].container).to.not.have.property("mountPoints");
        expect(withFsx.nodeRangeProperties[0].container.mountPoints).to.deep.equal([{ sourceVolume: "fsx", containerPath: "/fsx", readOnly: false }]);
    });
});

import { expect } from "chai";
import {
    SharedFileSystem,
    SharedFileSystemArgs,
    efsMountCommands,
    resolveSharedFileSystemArgs,
    validateSharedFileSystemArgs,
} from "../../components/shared-file-system";
import { recordStack } from "../support/harness";
import { T } from "../support/types";
import { RULE_IN, SG, paths, primaryNetwork, reasonAt } from "./fixtures";

const FS = T.efs;
const MT = "aws:efs/mountTarget:MountTarget";

function validate(args: Partial<SharedFileSystemArgs>) {
    return validateSharedFileSystemArgs(resolveSharedFileSystemArgs({ network: primaryNetwork, ...args }));
}

describe("SharedFileSystem", () => {
    it("puts a mount target in every private subnet's AZ, all in the file system's group", async () => {
        const rec = await recordStack(() => {
            new SharedFileSystem("files", { network: primaryNetwork, production: true, clients: [{ name: "web", securityGroupId: "sg-0web" }] });
        });
        const fs = rec.named(FS, "files");
        const group = rec.named(SG, "files");
        const targets = rec.ofType(MT);
        expect(targets).to.have.length(primaryNetwork.availabilityZones.length);
        expect(targets.map((t) => t.inputs.subnetId)).to.have.members(primaryNetwork.privateSubnetIds as string[]);
        for (const t of targets) {
            expect(t.inputs).to.deep.include({ fileSystemId: fs.id, securityGroups: [group.id] });
        }
        expect(fs.inputs).to.include({ encrypted: true, performanceMode: "generalPurpose", throughputMode: "elastic" });
        expect(fs.inputs).to.not.have.property("availabilityZoneName");
        expect(fs.propertyDependencies.kmsKeyId).to.deep.equal([rec.named("aws:kms/key:Key", "files-key").urn]);
        expect(fs.inputs.lifecyclePolicies).to.deep.include({ transitionToIa: "AFTER_30_DAYS" });
        expect(fs.options.protect).to.equal(true);
        expect(rec.named("aws:efs/backupPolicy:BackupPolicy", "files").inputs.backupPolicy).to.deep.equal({ status: "ENABLED" });
    });

    it("admits NFS only from the client groups", async () => {
        const rec = await recordStack(() => {
            new SharedFileSystem("files", { network: primaryNetwork, clients: [{ name: "web", securityGroupId: "sg-0web" }, { name: "worker", securityGroupId: "sg-0worker" }] });
        });
        const group = rec.named(SG, "files");
        const ingress = rec.ofType(RULE_IN).filter((r) => r.inputs.securityGroupId === group.id);
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort])).to.have.deep.members([
            ["sg-0web", "tcp", 2049, 2049],
            ["sg-0worker", "tcp", 2049, 2049],
        ]);
    });

    it("denies every request made without TLS, and mounts only through mount targets", async () => {
        const rec = await recordStack(() => {
            new SharedFileSystem("files", { network: primaryNetwork });
        });
        const fs = rec.named(FS, "files");
        const policy = JSON.parse(String(rec.named("aws:efs/fileSystemPolicy:FileSystemPolicy", "files").inputs.policy));
        const deny = policy.Statement.find((s: { Effect: string }) => s.Effect === "Deny");
        const arn = `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${fs.id}`;
        expect(deny).to.deep.include({ Action: "*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } });
        const allow = policy.Statement.find((s: { Effect: string }) => s.Effect === "Allow");
        expect(allow.Action).to.not.include("elasticfilesystem:ClientRootAccess");
        expect(allow.Condition).to.deep.equal({ Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } });
    });

    it("gives the application an access point with a fixed POSIX user and root directory", async () => {
        const rec = await recordStack(() => {
            new SharedFileSystem("files", { network: primaryNetwork, accessPoint: { uid: 48, gid: 48, path: "/wordpress/uploads" } });
        });
        const ap = rec.named("aws:efs/accessPoint:AccessPoint", "files");
        expect(ap.inputs.posixUser).to.deep.equal({ uid: 48, gid: 48 });
        expect(ap.inputs.rootDirectory).to.deep.equal({ path: "/wordpress/uploads", creationInfo: { ownerUid: 48, ownerGid: 48, permissions: "0750" } });
    });

    it("One Zone (development): one mount target, in the file system's AZ", async () => {
        const rec = await recordStack(() => {
            new SharedFileSystem("files", { network: primaryNetwork, oneZone: true });
        });
        expect(rec.named(FS, "files").inputs.availabilityZoneName).to.equal("us-east-1a");
        const targets = rec.ofType(MT);
        expect(targets.map((t) => t.inputs.subnetId)).to.deep.equal(["subnet-priv-a"]);
        expect(rec.named("aws:efs/backupPolicy:BackupPolicy", "files").inputs.backupPolicy).to.deep.equal({ status: "DISABLED" });
    });

    it("mount script mounts over TLS through the access point, now and at every boot", () => {
        const lines = efsMountCommands("fs-0123456789abcdef0", "fsap-0123456789abcdef0", "/var/www/uploads");
        expect(lines).to.include("mountpoint -q /var/www/uploads || mount -t efs -o tls,accesspoint=fsap-0123456789abcdef0 fs-0123456789abcdef0:/ /var/www/uploads");
        expect(lines.join("\n")).to.contain("fs-0123456789abcdef0:/ /var/www/uploads efs _netdev,noresvport,tls,accesspoint=fsap-0123456789abcdef0 0 0");
        expect(() => efsMountCommands("fs-0123456789abcdef0", "fsap-0123456789abcdef0", "uploads; rm -rf /")).to.throw(/absolute path/);
        expect(() => efsMountCommands("fs-0123456789abcdef0", "$(id)", "/mnt")).to.throw(/access point/);
    });

    describe("validation", () => {
        it("accepts the defaults in both classes", () => {
            expect(paths(validate({}))).to.deep.equal([]);
            expect(paths(validate({ production: true }))).to.deep.equal([]);
        });
        it("allows One Zone in development only", () => {
            expect(paths(validate({ oneZone: true }))).to.deep.equal([]);
            expect(reasonAt(validate({ oneZone: true, production: true }), "oneZone")).to.match(/development only/);
        });
        it("rejects Max I/O with One Zone or with elastic throughput", () => {
            expect(reasonAt(validate({ performanceMode: "maxIO", oneZone: true, throughputMode: "bursting" }), "performanceMode")).to.match(/One Zone/);
            expect(reasonAt(validate({ performanceMode: "maxIO", throughputMode: "elastic" }), "performanceMode")).to.match(/elastic/);
            expect(paths(validate({ performanceMode: "maxIO", throughputMode: "bursting" }))).to.deep.equal([]);
        });
        it("requires provisioned throughput in 1–3414 MiB/s with provisioned mode only", () => {
            expect(paths(validate({ throughputMode: "provisioned", provisionedThroughputMibps: 128 }))).to.deep.equal([]);
            for (const bad of [0, 3415, undefined]) {
                expect(reasonAt(validate({ throughputMode: "provisioned", provisionedThroughputMibps: bad }), "provisionedThroughputMibps")).to.match(/1–3414/);
            }
            expect(paths(validate({ throughputMode: "elastic", provisionedThroughputMibps: 128 }))).to.include("provisionedThroughputMibps");
        });
        it("rejects an Archive transition not after IA, root as the access-point user, and production without backups", () => {
            expect(paths(validate({ transitionToIa: "AFTER_30_DAYS", transitionToArchive: "AFTER_7_DAYS" }))).to.include("transitionToArchive");
            expect(paths(validate({ accessPoint: { uid: 0 } }))).to.include("accessPoint.uid");
            expect(paths(validate({ production: true, backups: false }))).to.include("backups");
        });
    });
});

import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Database, DatabaseArgs, globalVersionProblem, resolveDatabaseArgs, validateDatabaseArgs } from "../../components/database";
import { recordStack } from "../support/harness";
import { RULE_IN, RULE_OUT, SG, paths, primaryNetwork, reasonAt, secondaryNetwork } from "./fixtures";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

function validate(args: Partial<DatabaseArgs> & Pick<DatabaseArgs, "kind">) {
    const full: DatabaseArgs = { network: primaryNetwork, region: "us-east-1", ...args };
    return validateDatabaseArgs(resolveDatabaseArgs(full), full);
}

const globalProd: DatabaseArgs = {
    kind: "aurora-global",
    network: primaryNetwork,
    secondaryNetwork,
    secondaryRegion: "us-west-2",
    production: true,
    clients: [{ name: "web", securityGroupId: "sg-0web000000000001" }, { name: "worker", securityGroupId: "sg-0worker000000002" }],
};

function buildGlobal(extra: Partial<DatabaseArgs> = {}) {
    return recordStack(() => {
        const west = new aws.Provider("west", { region: "us-west-2" });
        new Database("db", { ...globalProd, secondaryProvider: west, ...extra });
    });
}

describe("Database", () => {
    it("admits exactly the client groups, on the engine port only, by group reference", async () => {
        const rec = await recordStack(() => {
            new Database("db", { kind: "aurora", engine: "aurora-postgresql", network: primaryNetwork, clients: [{ name: "app", securityGroupId: "sg-0app1" }, { name: "app2", securityGroupId: "sg-0app2" }] });
        });
        const group = rec.named(SG, "db");
        const ingress = rec.ofType(RULE_IN).filter((r) => r.inputs.securityGroupId === group.id);
        expect(ingress.map((r) => r.inputs.referencedSecurityGroupId)).to.have.members(["sg-0app1", "sg-0app2"]);
        for (const rule of ingress) {
            expect(rule.inputs).to.include({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
            expect(rule.inputs).to.not.have.any.keys("cidrIpv4", "cidrIpv6");
        }
        // The matching egress sits on each client group, towards the database group.
        expect(rec.ofType(RULE_OUT).map((r) => [r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId])).to.have.deep.members([
            ["sg-0app1", group.id],
            ["sg-0app2", group.id],
        ]);
        const cluster = rec.named(CLUSTER, "db");
        expect(cluster.inputs.vpcSecurityGroupIds).to.deep.equal([group.id]);
    });

    it("aurora-global: the secondary cluster joins the global cluster through the secondary-region provider", async () => {
        const rec = await buildGlobal();
        const global = rec.named("aws:rds/globalCluster:GlobalCluster", "db");
        const provider = rec.named("pulumi:providers:aws", "west");
        const primary = rec.named(CLUSTER, "db");
        const secondary = rec.named(CLUSTER, "db-secondary");
        expect(secondary.provider).to.deep.include({ urn: provider.urn, region: "us-west-2" });
        expect(primary.provider?.region).to.equal("us-east-1");
        for (const member of [primary, secondary]) {
            expect(member.inputs.globalClusterIdentifier).to.equal(global.id);
            expect(member.propertyDependencies.globalClusterIdentifier).to.deep.equal([global.urn]);
        }
        // One customer key per region, each cluster encrypted with its own region's key.
        const westKey = rec.named("aws:kms/key:Key", "db-secondary-key");
        expect(westKey.provider?.region).to.equal("us-west-2");
        expect(secondary.inputs).to.include({ storageEncrypted: true });
        expect(secondary.propertyDependencies.kmsKeyId).to.deep.equal([westKey.urn]);
        expect(primary.propertyDependencies.kmsKeyId).to.deep.equal([rec.named("aws:kms/key:Key", "db-key").urn]);
        // The secondary lives in the secondary VPC's subnets and its own group there.
        const westGroup = rec.named(SG, "db-secondary");
        expect(westGroup.inputs.vpcId).to.equal(secondaryNetwork.vpcId);
        expect(rec.named("aws:rds/subnetGroup:SubnetGroup", "db-secondary").inputs.subnetIds).to.deep.equal(secondaryNetwork.privateSubnetIds);
        const westInstances = rec.ofType(INSTANCE).filter((i) => i.inputs.clusterIdentifier === secondary.id);
        // Production keeps two secondary instances by default, so a promoted region can fail over too.
        expect(westInstances).to.have.length(2);
        expect(westInstances[0].provider?.region).to.equal("us-west-2");
    });

    it("aurora-global restores the primary from a snapshot, then builds the global cluster from it", async () => {
        const rec = await buildGlobal({ snapshotIdentifier: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:seed" });
        const global = rec.named("aws:rds/globalCluster:GlobalCluster", "db");
        const primary = rec.named(CLUSTER, "db");
        const secondary = rec.named(CLUSTER, "db-secondary");
        expect(primary.inputs.snapshotIdentifier).to.equal("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:seed");
        expect(primary.inputs).to.not.have.property("globalClusterIdentifier");
        expect(global.propertyDependencies.sourceDbClusterIdentifier).to.deep.equal([primary.urn]);
        expect(secondary.inputs.globalClusterIdentifier).to.equal(global.id);
        // The secondary joins only after the primary has its writer.
        expect(secondary.dependencies).to.include(rec.named(INSTANCE, "db-0").urn);
    });

    it("aurora-global in production: writer and reader in distinct AZs of the primary region", async () => {
        const rec = await buildGlobal();
        const primary = rec.named(CLUSTER, "db");
        const instances = rec.ofType(INSTANCE).filter((i) => i.inputs.clusterIdentifier === primary.id);
        expect(instances.length).to.be.at.least(2);
        const zones = instances.map((i) => i.inputs.availabilityZone);
        expect(new Set(zones).size).to.equal(zones.length);
        expect(zones.every((z) => primaryNetwork.availabilityZones.includes(String(z)))).to.equal(true);
        expect(instances.every((i) => i.inputs.instanceClass === "db.r6g.large")).to.equal(true);
    });

    it("scales primary readers with Application Auto Scaling on ReadReplicaCount (min ≥ 1 in production)", async () => {
        const rec = await buildGlobal({ readerScaling: { max: 5, metric: "connections", target: 400 } });
        const primary = rec.named(CLUSTER, "db");
        const target = rec.named("aws:appautoscaling/target:Target", "db-readers");
        expect(target.inputs).to.include({ serviceNamespace: "rds", scalableDimension: "rds:cluster:ReadReplicaCount", maxCapacity: 5, resourceId: `cluster:${primary.id}` });
        expect(Number(target.inputs.minCapacity)).to.be.at.least(1);
        const policy = rec.named("aws:appautoscaling/policy:Policy", "db-readers");
        expect(policy.inputs.policyType).to.equal("TargetTrackingScaling");
        expect(policy.inputs.targetTrackingScalingPolicyConfiguration).to.deep.include({
            targetValue: 400,
            predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageDatabaseConnections" },
        });
        expect(policy.propertyDependencies.resourceId).to.deep.equal([target.urn]);
    });

    it("aurora-global keeps the generated master password out of state: secret in Secrets Manager, write-only on the cluster", async () => {
        const rec = await buildGlobal();
        const primary = rec.named(CLUSTER, "db");
        expect(primary.inputs).to.not.have.any.keys("masterPassword", "manageMasterUserPassword");
        expect(primary.inputs).to.include({ masterPasswordWo: "[secret]", masterPasswordWoVersion: 1 });
        const secret = rec.named("aws:secretsmanager/secret:Secret", "db-master");
        const westKey = rec.named("aws:kms/key:Key", "db-secondary-key");
        expect(secret.inputs.replicas).to.have.length(1);
        expect(secret.inputs.replicas).to.deep.equal([{ region: "us-west-2", kmsKeyId: `arn:aws:kms:us-west-2:123456789012:key/${westKey.id}` }]);
        const version = rec.named("aws:secretsmanager/secretVersion:SecretVersion", "db-master");
        expect(version.inputs).to.include({ secretStringWo: "[secret]", secretId: secret.id });
        expect(version.inputs).to.not.have.any.keys("secretString");
    });

    it("aurora uses the RDS-managed master password, encrypted with its own key", async () => {
        const rec = await recordStack(() => {
            new Database("db", { kind: "aurora", network: primaryNetwork });
        });
        const cluster = rec.named(CLUSTER, "db");
        expect(cluster.inputs.manageMasterUserPassword).to.equal(true);
        expect(cluster.propertyDependencies.masterUserSecretKmsKeyId).to.deep.equal([rec.named("aws:kms/key:Key", "db-key").urn]);
        expect(cluster.inputs).to.not.have.any.keys("masterPassword", "masterPasswordWo");
        expect(rec.ofType(INSTANCE)).to.have.length(1);
    });

    it("deletion protection, a final snapshot and protect in production only; easy teardown in development", async () => {
        const prod = await recordStack(() => {
            new Database("db", { kind: "aurora", network: primaryNetwork, production: true });
        });
        const dev = await recordStack(() => {
            new Database("db", { kind: "aurora", network: primaryNetwork });
        });
        const p = prod.named(CLUSTER, "db");
        const d = dev.named(CLUSTER, "db");
        expect(p.inputs).to.include({ deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "db-test-final", backupRetentionPeriod: 7 });
        expect(p.options.protect).to.equal(true);
        expect(d.inputs).to.include({ deletionProtection: false, skipFinalSnapshot: true });
        expect(d.inputs).to.not.have.property("finalSnapshotIdentifier");
        expect(d.options.protect).to.equal(undefined);
        expect(prod.ofType(INSTANCE).every((i) => i.inputs.performanceInsightsEnabled === true)).to.equal(true);
        expect(dev.ofType(INSTANCE).every((i) => i.inputs.performanceInsightsEnabled === false)).to.equal(true);
        for (const c of [p, d]) {
            expect(c.inputs).to.include({ storageEncrypted: true, iamDatabaseAuthenticationEnabled: true });
        }
    });

    it("restores from a named snapshot, keeping the snapshot's master user", async () => {
        const rec = await recordStack(() => {
            new Database("db", { kind: "aurora", network: primaryNetwork, snapshotIdentifier: "seed-2026-01" });
        });
        const cluster = rec.named(CLUSTER, "db");
        expect(cluster.inputs.snapshotIdentifier).to.equal("seed-2026-01");
        expect(cluster.inputs).to.not.have.property("masterUsername");
    });

    it("rds: a Multi-AZ instance with storage autoscaling and read replicas of it in other AZs", async () => {
        const rec = await recordStack(() => {
            new Database("db", { kind: "rds", engine: "postgres", network: primaryNetwork, production: true, replicas: 2, clients: [{ name: "app", securityGroupId: "sg-0app1" }] });
        });
        const primary = rec.named("aws:rds/instance:Instance", "db");
        expect(primary.inputs).to.include({ multiAz: true, storageEncrypted: true, manageMasterUserPassword: true, deletionProtection: true });
        expect(primary.inputs).to.not.have.property("availabilityZone");
        expect(Number(primary.inputs.maxAllocatedStorage)).to.be.greaterThan(Number(primary.inputs.allocatedStorage));
        const replicas = rec.ofType("aws:rds/instance:Instance").filter((i) => i.inputs.replicateSourceDb !== undefined);
        expect(replicas.map((r) => r.inputs.replicateSourceDb)).to.deep.equal([primary.id, primary.id]);
        expect(replicas.map((r) => r.inputs.availabilityZone)).to.deep.equal(["us-east-1b", "us-east-1c"]);
    });

    it("fails before registering anything, naming every invalid field at once", async () => {
        let error: unknown;
        const rec = await recordStack(() => {
            try {
                new Database("db", { ...globalProd, instanceClass: "db.t4g.medium", secondaryRegion: "us-east-1", readers: 16 });
            } catch (e) {
                error = e;
            }
        }).catch((e) => {
            error = e;
            return undefined;
        });
        expect(String(error)).to.match(/instanceClass/).and.to.match(/secondaryRegion/).and.to.match(/readers/);
        expect(rec?.resources.filter((r) => r.type.startsWith("aws:")) ?? []).to.have.length(0);
    });

    it("engine versions: RDS defaults to a supported major and upgrades minors itself; a pinned minor is kept; Aurora ignores the drift of its automatic minor upgrades", async () => {
        const rec = await recordStack(() => {
            new Database("auto", { kind: "rds", network: primaryNetwork });
            new Database("pinned", { kind: "rds", engineVersion: "8.4.3", network: primaryNetwork });
            new Database("blog", { kind: "aurora", network: primaryNetwork });
        });
        const auto = rec.named("aws:rds/instance:Instance", "auto");
        expect(auto.inputs).to.include({ engineVersion: "8.4", autoMinorVersionUpgrade: true });
        expect(rec.named("aws:rds/instance:Instance", "pinned").inputs).to.include({ engineVersion: "8.4.3", autoMinorVersionUpgrade: false });
        const cluster = rec.named(CLUSTER, "blog");
        expect(cluster.inputs.engineVersion).to.match(/^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/);
        expect(cluster.options.ignoreChanges).to.deep.equal(["engineVersion"]);
        expect(rec.named(INSTANCE, "blog-0").inputs.autoMinorVersionUpgrade).to.equal(true);
        expect(rec.named(INSTANCE, "blog-0").options.ignoreChanges).to.deep.equal(["engineVersion"]);
    });

    describe("validation", () => {
        it("accepts the production global shape as given", () => {
            expect(paths(validate({ ...globalProd }))).to.deep.equal([]);
        });
        it("rejects burstable classes for aurora-global", () => {
            expect(reasonAt(validate({ ...globalProd, instanceClass: "db.t4g.medium" }), "instanceClass")).to.match(/burstable/);
            expect(reasonAt(validate({ ...globalProd, instanceClass: "db.t3.large" }), "instanceClass")).to.match(/burstable/);
        });
        it("rejects a secondary region equal to the primary, and a missing one", () => {
            expect(reasonAt(validate({ ...globalProd, secondaryRegion: "us-east-1" }), "secondaryRegion")).to.match(/differ/);
            expect(reasonAt(validate({ ...globalProd, secondaryRegion: undefined }), "secondaryRegion")).to.match(/needs a secondary region/);
            expect(paths(validate({ ...globalProd, secondaryNetwork: undefined }))).to.include("secondaryNetwork");
        });
        it("rejects more than 15 Aurora readers, in the cluster or through scaling", () => {
            expect(reasonAt(validate({ kind: "aurora", readers: 16 }), "readers")).to.match(/0–15/);
            expect(paths(validate({ kind: "aurora", readers: 15, readerScaling: { max: 15 } }))).to.deep.equal([]);
            expect(paths(validate({ kind: "aurora", readerScaling: { min: 2, max: 16 } }))).to.include("readerScaling.max");
        });
        it("requires a reader and a reader-scaling minimum of at least 1 in production", () => {
            expect(paths(validate({ kind: "aurora", production: true, readers: 0 }))).to.include("readers");
            expect(paths(validate({ kind: "aurora", production: true, readerScaling: { min: 0 } }))).to.include("readerScaling.min");
        });
        it("limits RDS read replicas per engine (15 for MySQL/MariaDB/PostgreSQL, 5 for Oracle and SQL Server)", () => {
            expect(paths(validate({ kind: "rds", engine: "postgres", replicas: 15 }))).to.deep.equal([]);
            expect(reasonAt(validate({ kind: "rds", engine: "mysql", replicas: 16 }), "replicas")).to.match(/0–15/);
            expect(paths(validate({ kind: "rds", engine: "oracle-ee", engineVersion: "19", replicas: 5 }))).to.deep.equal([]);
            expect(reasonAt(validate({ kind: "rds", engine: "oracle-ee", engineVersion: "19", replicas: 6 }), "replicas")).to.match(/0–5/);
            expect(reasonAt(validate({ kind: "rds", engine: "sqlserver-ee", engineVersion: "16.00", replicas: 6 }), "replicas")).to.match(/0–5/);
        });
        it("rejects engine/version combinations that cannot be global", () => {
            expect(reasonAt(validate({ ...globalProd, engineVersion: "5.7.mysql_aurora.2.06.0" }), "engineVersion")).to.match(/2\.07\.0/);
            expect(reasonAt(validate({ ...globalProd, engine: "aurora-postgresql", engineVersion: "11.10" }), "engineVersion")).to.match(/11\.13/);
            expect(reasonAt(validate({ ...globalProd, engine: "aurora-postgresql", engineVersion: "10.21" }), "engineVersion")).to.match(/cannot be global/);
            expect(reasonAt(validate({ ...globalProd, engine: "postgres" }), "engine")).to.match(/aurora-mysql or aurora-postgresql/);
            expect(globalVersionProblem("aurora-postgresql", "16.6")).to.equal(null);
            expect(globalVersionProblem("aurora-mysql", "8.0.mysql_aurora.3.08.0")).to.equal(null);
        });
        it("rejects RDS storage autoscaling without headroom and out-of-range storage", () => {
            expect(paths(validate({ kind: "rds", allocatedStorage: 100, maxAllocatedStorage: 100 }))).to.include("maxAllocatedStorage");
            expect(paths(validate({ kind: "rds", allocatedStorage: 10 }))).to.include("allocatedStorage");
            expect(paths(validate({ kind: "rds", engine: "sqlserver-se", engineVersion: "16.00", allocatedStorage: 20000, maxAllocatedStorage: 30000 }))).to.include.members([
                "allocatedStorage",
                "maxAllocatedStorage",
            ]);
        });
        it("rejects production without a Multi-AZ standby or with short backups, and mixed-up kind options", () => {
            const found = paths(validate({ kind: "rds", production: true, multiAz: false, backupRetentionDays: 3, readers: 1 }));
            expect(found).to.include.members(["multiAz", "backupRetentionDays", "readers"]);
            expect(paths(validate({ kind: "aurora", replicas: 2, secondaryRegion: "us-west-2" }))).to.include.members(["replicas", "secondaryRegion"]);
        });
    });
});

describe("Database master password (aurora-global)", () => {
    it("rewrites the stored password whenever the primary cluster is replaced, so secret and live password never diverge", async () => {
        const replaceWith = new Map<string, pulumi.Resource[]>();
        const rec = await recordStack(() => {
            pulumi.runtime.registerStackTransformation((t) => {
                if (t.opts.replaceWith?.length) replaceWith.set(t.name, t.opts.replaceWith as pulumi.Resource[]);
                return undefined;
            });
            const west = new aws.Provider("west", { region: "us-west-2" });
            new Database("db", { ...globalProd, secondaryProvider: west });
        });
        const bound = replaceWith.get("db-master");
        expect(bound, "the secret version is replaced with the cluster").to.have.length(1);
        const urn = await new Promise<string>((resolve) => bound![0].urn.apply(resolve));
        expect(urn).to.equal(rec.named(CLUSTER, "db").urn);
    });
});

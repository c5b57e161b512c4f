import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { isMajorVersion } from "../limits/engine-versions";
import { BuiltDatabase, DatabaseContext } from "./database-aurora";
import { finalSnapshotName, spreadAcrossZones } from "./database-spec";

/**
 * `rds` (the MyClothes shape): a Multi-AZ instance (one synchronous, non-readable standby) with gp3
 * storage auto scaling and asynchronous read replicas spread over the other AZs. The master password
 * is managed by RDS in Secrets Manager, encrypted with the database's key.
 */
export function buildRds(ctx: DatabaseContext): BuiltDatabase {
    const { r, parent, name } = ctx;
    const restoring = r.snapshotIdentifier !== undefined;
    const performanceInsights = {
        performanceInsightsEnabled: r.performanceInsights,
        performanceInsightsKmsKeyId: r.performanceInsights ? ctx.key.arn : undefined,
        performanceInsightsRetentionPeriod: r.performanceInsights ? 7 : undefined,
    };
    const minorUpgrades = r.engineVersion === undefined || isMajorVersion(r.engine, r.engineVersion);
    const primary = new aws.rds.Instance(
        name,
        {
            engine: r.engine,
            engineVersion: r.engineVersion,
            instanceClass: r.instanceClass,
            // Storage auto scaling: RDS grows the volume up to maxAllocatedStorage when free space runs low.
            allocatedStorage: r.allocatedStorage,
            maxAllocatedStorage: r.maxAllocatedStorage,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: ctx.key.arn,
            // MultiAZ=true forbids an explicit availabilityZone (botocore rds): AWS places the standby.
            multiAz: r.multiAz,
            dbSubnetGroupName: ctx.subnetGroup.name,
            vpcSecurityGroupIds: [ctx.securityGroup.id],
            publiclyAccessible: false,
            port: r.port,
            snapshotIdentifier: r.snapshotIdentifier,
            // A restored instance keeps the snapshot's master user and database.
            username: restoring ? undefined : r.masterUsername,
            dbName: restoring ? undefined : r.databaseName,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: ctx.key.arn,
            // Read replicas need automated backups on the source (botocore rds CreateDBInstanceReadReplica).
            backupRetentionPeriod: r.backupRetentionDays,
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            deletionProtection: r.production,
            skipFinalSnapshot: !r.production,
            finalSnapshotIdentifier: r.production ? finalSnapshotName(`${name}-${pulumi.getStack()}`) : undefined,
            iamDatabaseAuthenticationEnabled: r.iamAuth,
            copyTagsToSnapshot: true,
            // A major version ("8.4") lets RDS pick and upgrade the minor: no drift. A pinned minor is kept as given
            // (automatic upgrades would move the live version past the configured one and the next up would try to go back).
            autoMinorVersionUpgrade: minorUpgrades,
            applyImmediately: !r.production,
            ...performanceInsights,
            tags: { ...ctx.tags, Name: name },
        },
        { parent, protect: r.production },
    );
    // Replicas start in the AZ after the primary's first subnet, so they spread over the others.
    const zones = spreadAcrossZones(r.availabilityZones, r.replicas + 1).slice(1);
    const replicas = zones.map(
        (zone, i) =>
            new aws.rds.Instance(
                `${name}-replica-${i}`,
                {
                    replicateSourceDb: primary.identifier,
                    instanceClass: r.instanceClass,
                    availabilityZone: zone,
                    maxAllocatedStorage: r.maxAllocatedStorage,
                    storageType: "gp3",
                    storageEncrypted: true,
                    kmsKeyId: ctx.key.arn,
                    vpcSecurityGroupIds: [ctx.securityGroup.id],
                    publiclyAccessible: false,
                    port: r.port,
                    multiAz: false,
                    deletionProtection: r.production,
                    // A replica's data is the source's: no final snapshot of its own.
                    skipFinalSnapshot: true,
                    iamDatabaseAuthenticationEnabled: r.iamAuth,
                    copyTagsToSnapshot: true,
                    autoMinorVersionUpgrade: minorUpgrades,
                    applyImmediately: !r.production,
                    ...performanceInsights,
                    tags: { ...ctx.tags, Name: `${name}-replica-${i}` },
                },
                { parent },
            ),
    );
    return {
        writerEndpoint: primary.address,
        readerEndpoint: replicas.length > 0 ? replicas[0].address : primary.address,
        readerEndpoints: pulumi.all(replicas.map((x) => x.address)),
        port: primary.port,
        secretArn: primary.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? ""),
    };
}

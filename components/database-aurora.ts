import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AuroraEngine, ResolvedDatabaseArgs, finalSnapshotName, spreadAcrossZones } from "./database-spec";
import { newDataKey } from "./kms";
import { NetworkRef } from "./network";
import { Peer, allowDefaultPortFrom, newSecurityGroup, tcp } from "./security-groups";

/**
 * The Aurora builders of {@link Database}: a regional cluster (`aurora`) and a global database over
 * two regions (`aurora-global`). Called from the component's constructor with the component as parent.
 */

/** What every builder gets from the component: its regional pieces already created. */
export interface DatabaseContext {
    parent: pulumi.Resource;
    name: string;
    r: ResolvedDatabaseArgs;
    network: NetworkRef;
    key: aws.kms.Key;
    securityGroup: aws.ec2.SecurityGroup;
    subnetGroup: aws.rds.SubnetGroup;
    tags: Record<string, string>;
}

export interface BuiltDatabase {
    writerEndpoint: pulumi.Output<string>;
    readerEndpoint: pulumi.Output<string>;
    /** rds: the address of every read replica. */
    readerEndpoints?: pulumi.Output<string[]>;
    port: pulumi.Output<number>;
    secretArn: pulumi.Output<string>;
    global?: {
        globalClusterId: pulumi.Output<string>;
        secondaryWriterEndpoint: pulumi.Output<string>;
        secondaryReaderEndpoint: pulumi.Output<string>;
        secondarySecurityGroupId: pulumi.Output<string>;
        secondaryKmsKeyArn: pulumi.Output<string>;
    };
}

export function isAuroraEngine(engine: string): engine is AuroraEngine {
    return engine === "aurora-mysql" || engine === "aurora-postgresql";
}

/** CloudWatch Logs exports per Aurora engine. */
export function auroraLogExports(engine: AuroraEngine): string[] {
    return engine === "aurora-mysql" ? ["audit", "error", "slowquery"] : ["postgresql"];
}

/** The target-tracking metric of reader auto scaling. */
export function readerScalingMetric(metric: "cpu" | "connections"): string {
    return metric === "cpu" ? "RDSReaderAverageCPUUtilization" : "RDSReaderAverageDatabaseConnections";
}

/** A writer in the first AZ and one reader per following AZ (round robin when readers outnumber AZs). */
function clusterInstances(
    name: string,
    args: {
        cluster: aws.rds.Cluster;
        engine: AuroraEngine;
        r: ResolvedDatabaseArgs;
        zones: string[];
        count: number;
        key: aws.kms.Key;
        subnetGroup: aws.rds.SubnetGroup;
        tags: Record<string, string>;
    },
    opts: pulumi.CustomResourceOptions,
): aws.rds.ClusterInstance[] {
    const { r } = args;
    const instances: aws.rds.ClusterInstance[] = [];
    spreadAcrossZones(args.zones, args.count).forEach((zone, i) => {
        instances.push(
            new aws.rds.ClusterInstance(
                `${name}-${i}`,
                {
                    clusterIdentifier: args.cluster.id,
                    engine: args.engine,
                    engineVersion: args.cluster.engineVersion,
                    instanceClass: r.instanceClass,
                    availabilityZone: zone,
                    dbSubnetGroupName: args.subnetGroup.name,
                    publiclyAccessible: false,
                    // Readers first in line for promotion; the first instance created is the writer.
                    promotionTier: i === 0 ? 0 : 1,
                    performanceInsightsEnabled: r.performanceInsights,
                    performanceInsightsKmsKeyId: r.performanceInsights ? args.key.arn : undefined,
                    performanceInsightsRetentionPeriod: r.performanceInsights ? 7 : undefined,
                    autoMinorVersionUpgrade: r.kind !== "aurora-global",
                    copyTagsToSnapshot: true,
                    applyImmediately: !r.production,
                    tags: { ...args.tags, Name: `${name}-${i}` },
                },
                // Readers wait for the writer, so the writer is always the instance in the first AZ; their engine
                // version follows the cluster's (upgraded automatically outside global databases).
                { ...opts, dependsOn: i === 0 ? [] : [instances[0]], ...(r.kind !== "aurora-global" ? { ignoreChanges: ["engineVersion"] } : {}) },
            ),
        );
    });
    return instances;
}

/** The arguments every Aurora cluster of the component shares. */
function clusterBase(ctx: DatabaseContext, engine: AuroraEngine, subnetGroup: aws.rds.SubnetGroup): aws.rds.ClusterArgs {
    const { r } = ctx;
    return {
        engine,
        engineVersion: r.engineVersion,
        engineMode: "provisioned",
        port: r.port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [ctx.securityGroup.id],
        storageEncrypted: true,
        kmsKeyId: ctx.key.arn,
        backupRetentionPeriod: r.backupRetentionDays,
        preferredBackupWindow: "03:00-04:00",
        preferredMaintenanceWindow: "sun:05:00-sun:06:00",
        deletionProtection: r.production,
        skipFinalSnapshot: !r.production,
        finalSnapshotIdentifier: r.production ? finalSnapshotName(`${ctx.name}-${pulumi.getStack()}`) : undefined,
        iamDatabaseAuthenticationEnabled: true,
        copyTagsToSnapshot: true,
        enabledCloudwatchLogsExports: auroraLogExports(engine),
        applyImmediately: !r.production,
        tags: { ...ctx.tags, Name: ctx.name },
    };
}

/** Reader auto scaling: an Application Auto Scaling target on rds:cluster:ReadReplicaCount and a target-tracking policy. */
function readerScaling(ctx: DatabaseContext, cluster: aws.rds.Cluster, instances: aws.rds.ClusterInstance[]): void {
    const s = ctx.r.readerScaling;
    if (!s) {
        return;
    }
    const target = new aws.appautoscaling.Target(
        `${ctx.name}-readers`,
        {
            serviceNamespace: "rds",
            scalableDimension: "rds:cluster:ReadReplicaCount",
            resourceId: pulumi.interpolate`cluster:${cluster.clusterIdentifier}`,
            minCapacity: s.min,
            maxCapacity: s.max,
            tags: ctx.tags,
        },
        { parent: ctx.parent, dependsOn: instances },
    );
    new aws.appautoscaling.Policy(
        `${ctx.name}-readers`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: readerScalingMetric(s.metric) },
                targetValue: s.target,
                scaleInCooldown: 300,
                scaleOutCooldown: 300,
            },
        },
        { parent: ctx.parent },
    );
}

export function subnetGroup(name: string, network: NetworkRef, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): aws.rds.SubnetGroup {
    return new aws.rds.SubnetGroup(
        name,
        { subnetIds: network.privateSubnetIds, description: `${name}: private subnets of every AZ`, tags: { ...tags, Name: name } },
        opts,
    );
}

/** `aurora`: one cluster with a managed master password (Secrets Manager, encrypted with the cluster's key). */
export function buildAurora(ctx: DatabaseContext, engine: AuroraEngine): BuiltDatabase {
    const { r, parent, name } = ctx;
    const subnets = ctx.subnetGroup;
    const restoring = r.snapshotIdentifier !== undefined;
    const cluster = new aws.rds.Cluster(
        name,
        {
            ...clusterBase(ctx, engine, subnets),
            snapshotIdentifier: r.snapshotIdentifier,
            // A restored cluster keeps the snapshot's master user and databases.
            masterUsername: restoring ? undefined : r.masterUsername,
            databaseName: restoring ? undefined : r.databaseName,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: ctx.key.arn,
        },
        // Its instances take automatic minor upgrades, after which the live version is newer than the
        // configured one: ignoring that drift keeps the next `up` from attempting a downgrade. A major
        // upgrade is a deliberate change of engineVersion together with removing this (see docs).
        { parent, protect: r.production, ignoreChanges: ["engineVersion"] },
    );
    const instances = clusterInstances(
        name,
        { cluster, engine, r, zones: r.availabilityZones, count: 1 + r.readers, key: ctx.key, subnetGroup: subnets, tags: ctx.tags },
        { parent },
    );
    readerScaling(ctx, cluster, instances);
    return {
        writerEndpoint: cluster.endpoint,
        readerEndpoint: cluster.readerEndpoint,
        port: cluster.port,
        secretArn: cluster.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? ""),
    };
}

export interface GlobalExtras {
    secondaryNetwork: NetworkRef;
    secondaryProvider: aws.Provider;
    secondaryClients: Peer[];
    globalClusterIdentifier: string;
}

/**
 * `aurora-global`: a global cluster, the primary cluster (writer + readers in distinct AZs, reader
 * auto scaling) and a secondary cluster in the secondary region through its own provider, each
 * region with its own KMS key. Global clusters cannot use the managed master password
 * (rds-secrets-manager.html), so a password is generated by Secrets Manager (GetRandomPassword),
 * stored in a secret encrypted with the primary key and replicated to the secondary region, and
 * handed to the cluster through write-only arguments: never in config, never read back into the
 * provider's outputs, but present (encrypted, as every secret input) in the Pulumi state's inputs.
 */
export function buildAuroraGlobal(ctx: DatabaseContext, engine: AuroraEngine, extras: GlobalExtras): BuiltDatabase {
    const { r, parent, name } = ctx;
    const secondaryRegion = r.secondaryRegion!;
    const onSecondary: pulumi.CustomResourceOptions = { parent, provider: extras.secondaryProvider };

    // The secondary region: its own key, subnet group and security group.
    const secondaryKey = newDataKey(`${name}-secondary-key`, { description: `${name} Aurora storage (${secondaryRegion})`, production: r.production, tags: ctx.tags }, onSecondary);
    const secondarySubnets = subnetGroup(`${name}-secondary`, extras.secondaryNetwork, ctx.tags, onSecondary);
    const secondaryGroup = newSecurityGroup(
        `${name}-secondary`,
        { vpcId: extras.secondaryNetwork.vpcId, description: `${name} Aurora secondary cluster (${secondaryRegion})`, tags: { ...ctx.tags, Name: `${name}-secondary` } },
        onSecondary,
    );
    for (const peer of extras.secondaryClients) {
        allowDefaultPortFrom(`${name}-secondary`, { securityGroupId: secondaryGroup.id, defaultPort: tcp(r.port) }, peer, `${peer.name} to ${name} (${secondaryRegion})`, onSecondary, ctx.tags);
    }

    // The master password: generated, kept in Secrets Manager, never in config. Write-only arguments
    // keep it out of the provider's state outputs; the program's inputs still carry it as an encrypted
    // secret in the Pulumi state (checkpoint inputs), as for any pulumi.secret.
    const password = aws.secretsmanager.getRandomPasswordOutput(
        { passwordLength: 40, excludePunctuation: true, requireEachIncludedType: true },
        { parent },
    ).randomPassword;
    const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
            description: `Master credentials of the ${name} Aurora global database`,
            kmsKeyId: ctx.key.arn,
            recoveryWindowInDays: r.production ? 30 : 0,
            replicas: [{ region: secondaryRegion, kmsKeyId: secondaryKey.arn }],
            tags: ctx.tags,
        },
        { parent, protect: r.production },
    );
    const subnets = ctx.subnetGroup;
    const restoring = r.snapshotIdentifier !== undefined;
    const primaryArgs: aws.rds.ClusterArgs = {
        ...clusterBase(ctx, engine, subnets),
        masterUsername: restoring ? undefined : r.masterUsername,
        databaseName: restoring ? undefined : r.databaseName,
        masterPasswordWo: pulumi.secret(password),
        masterPasswordWoVersion: r.masterPasswordVersion,
    };
    let globalCluster: aws.rds.GlobalCluster;
    let primary: aws.rds.Cluster;
    if (restoring) {
        // A cluster cannot be restored and join a global cluster in one operation: restore it alone,
        // then build the global cluster from it (the provider's "restored from snapshot" pattern).
        primary = new aws.rds.Cluster(
            name,
            { ...primaryArgs, snapshotIdentifier: r.snapshotIdentifier },
            { parent, protect: r.production, ignoreChanges: ["globalClusterIdentifier"] },
        );
        globalCluster = new aws.rds.GlobalCluster(
            name,
            {
                globalClusterIdentifier: extras.globalClusterIdentifier,
                sourceDbClusterIdentifier: primary.arn,
                forceDestroy: !r.production,
                deletionProtection: r.production,
            },
            { parent, protect: r.production },
        );
    } else {
        globalCluster = new aws.rds.GlobalCluster(
            name,
            {
                globalClusterIdentifier: extras.globalClusterIdentifier,
                engine,
                engineVersion: r.engineVersion,
                databaseName: r.databaseName,
                storageEncrypted: true,
                forceDestroy: !r.production,
                deletionProtection: r.production,
                tags: ctx.tags,
            },
            { parent, protect: r.production },
        );
        primary = new aws.rds.Cluster(name, { ...primaryArgs, globalClusterIdentifier: globalCluster.id }, { parent, protect: r.production });
    }
    new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
            secretId: secret.id,
            secretStringWo: pulumi.secret(password.apply((pw) => JSON.stringify({ engine, username: r.masterUsername, password: pw, port: r.port }))),
            secretStringWoVersion: r.masterPasswordVersion,
        },
        // The password is generated anew on every run and reaches AWS only when its version changes; a
        // replaced cluster gets this run's password, so the stored secret must be rewritten with it.
        { parent, replaceWith: [primary] },
    );

    const instances = clusterInstances(
        name,
        { cluster: primary, engine, r, zones: r.availabilityZones, count: 1 + r.readers, key: ctx.key, subnetGroup: subnets, tags: ctx.tags },
        { parent },
    );
    // Aurora Auto Scaling runs on the primary only (secondaries are not scaled, 2023 global-database limits).
    readerScaling(ctx, primary, instances);

    const secondary = new aws.rds.Cluster(
        `${name}-secondary`,
        {
            engine,
            engineVersion: r.engineVersion,
            engineMode: "provisioned",
            port: r.port,
            globalClusterIdentifier: globalCluster.id,
            dbSubnetGroupName: secondarySubnets.name,
            vpcSecurityGroupIds: [secondaryGroup.id],
            storageEncrypted: true,
            // A cross-region encrypted member needs a key valid in its own region (botocore rds CreateDBClusterMessage.KmsKeyId).
            kmsKeyId: secondaryKey.arn,
            backupRetentionPeriod: r.backupRetentionDays,
            deletionProtection: r.production,
            // The data's final snapshot is the primary's; a secondary is detached and deleted without one.
            skipFinalSnapshot: true,
            iamDatabaseAuthenticationEnabled: true,
            copyTagsToSnapshot: true,
            enabledCloudwatchLogsExports: auroraLogExports(engine),
            applyImmediately: !r.production,
            tags: { ...ctx.tags, Name: `${name}-secondary` },
        },
        {
            ...onSecondary,
            protect: r.production,
            // The secondary can join only once the primary has its writer.
            dependsOn: [instances[0]],
            // Set by AWS when the cluster joins the global cluster.
            ignoreChanges: ["replicationSourceIdentifier"],
        },
    );
    clusterInstances(
        `${name}-secondary`,
        {
            cluster: secondary,
            engine,
            r,
            zones: extras.secondaryNetwork.availabilityZones,
            count: r.secondaryReaders,
            key: secondaryKey,
            subnetGroup: secondarySubnets,
            tags: ctx.tags,
        },
        onSecondary,
    );

    return {
        writerEndpoint: primary.endpoint,
        readerEndpoint: primary.readerEndpoint,
        port: primary.port,
        secretArn: secret.arn,
        global: {
            globalClusterId: globalCluster.id,
            secondaryWriterEndpoint: secondary.endpoint,
            secondaryReaderEndpoint: secondary.readerEndpoint,
            secondarySecurityGroupId: secondaryGroup.id,
            secondaryKmsKeyArn: secondaryKey.arn,
        },
    };
}

import * as pulumi from "@pulumi/pulumi";
import type { ServiceBinding } from "./binding";
import * as aws from "@pulumi/aws";
import { BuiltDatabase, DatabaseContext, buildAurora, buildAuroraGlobal, isAuroraEngine, subnetGroup } from "./database-aurora";
import { buildRds } from "./database-rds";
import { DatabaseArgs, DatabaseKind, ResolvedDatabaseArgs, resolveDatabaseArgs, validateDatabaseArgs } from "./database-spec";
import { newDataKey } from "./kms";
import { allowDefaultPortFrom, newSecurityGroup, tcp } from "./security-groups";

export * from "./database-spec";

/**
 * A relational database of one of three explicit kinds (`aurora`, `aurora-global`, `rds`), private
 * to the VPC: a subnet group over the private subnet of every AZ, a security group admitting only
 * the given client groups on the engine port, storage encrypted with a customer KMS key, automated
 * backups, IAM database authentication, and in production deletion protection, a final snapshot,
 * Performance Insights and `protect`. Every argument problem is reported at once, before any child
 * is registered.
 */
export class Database extends pulumi.ComponentResource {
    readonly kind: DatabaseKind;
    /** The writer (cluster) endpoint, or the RDS primary's address. */
    readonly writerEndpoint: pulumi.Output<string>;
    /** The reader endpoint of the cluster, or the first RDS replica's address (the primary's when there is none). */
    readonly readerEndpoint: pulumi.Output<string>;
    /** rds: every read replica's address. */
    readonly readerEndpoints: pulumi.Output<string[]> | undefined;
    readonly port: pulumi.Output<number>;
    /** The Secrets Manager secret holding the master credentials. */
    readonly secretArn: pulumi.Output<string>;
    /** The database's security group: chain further clients to it with `allowFrom`. */
    readonly securityGroupId: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** aurora-global only. */
    readonly globalClusterId: pulumi.Output<string> | undefined;
    readonly secondaryWriterEndpoint: pulumi.Output<string> | undefined;
    readonly secondaryReaderEndpoint: pulumi.Output<string> | undefined;
    readonly secondarySecurityGroupId: pulumi.Output<string> | undefined;
    readonly secondaryKmsKeyArn: pulumi.Output<string> | undefined;
    /** The arguments with defaults resolved. */
    readonly settings: ResolvedDatabaseArgs;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Database", name, {}, opts);
        const r = resolveDatabaseArgs(args, aws.config.region);
        validateDatabaseArgs(r, args).throwIfAny(`Database '${name}'`);
        this.settings = r;
        this.kind = r.kind;
        const tags = { ...args.tags };

        const key = newDataKey(`${name}-key`, { description: `${name} ${r.kind} storage, secrets and Performance Insights`, production: r.production, tags }, { parent: this });
        const securityGroup = newSecurityGroup(
            name,
            { vpcId: args.network.vpcId, description: `${name} ${r.engine} database`, tags: { ...tags, Name: name } },
            { parent: this },
        );
        for (const peer of args.clients ?? []) {
            allowDefaultPortFrom(name, { securityGroupId: securityGroup.id, defaultPort: tcp(r.port) }, peer, `${peer.name} to ${name} (${r.engine})`, { parent: this }, tags);
        }
        const ctx: DatabaseContext = {
            parent: this,
            name,
            r,
            network: args.network,
            key,
            securityGroup,
            subnetGroup: subnetGroup(name, args.network, tags, { parent: this }),
            tags,
        };

        let built: BuiltDatabase;
        if (r.kind === "rds") {
            built = buildRds(ctx);
        } else if (!isAuroraEngine(r.engine)) {
            throw new Error(`unreachable: ${r.engine} passed validation for ${r.kind}`);
        } else if (r.kind === "aurora") {
            built = buildAurora(ctx, r.engine);
        } else {
            const secondaryProvider =
                args.secondaryProvider ?? new aws.Provider(`${name}-secondary`, { region: r.secondaryRegion, defaultTags: { tags } }, { parent: this });
            built = buildAuroraGlobal(ctx, r.engine, {
                secondaryNetwork: args.secondaryNetwork!,
                secondaryProvider,
                secondaryClients: args.secondaryClients ?? [],
                globalClusterIdentifier: args.globalClusterIdentifier ?? `${name}-${pulumi.getStack()}`,
            });
        }

        this.writerEndpoint = built.writerEndpoint;
        this.readerEndpoint = built.readerEndpoint;
        this.readerEndpoints = built.readerEndpoints;
        this.port = built.port;
        this.secretArn = built.secretArn;
        this.securityGroupId = securityGroup.id;
        this.kmsKeyArn = key.arn;
        this.globalClusterId = built.global?.globalClusterId;
        this.secondaryWriterEndpoint = built.global?.secondaryWriterEndpoint;
        this.secondaryReaderEndpoint = built.global?.secondaryReaderEndpoint;
        this.secondarySecurityGroupId = built.global?.secondarySecurityGroupId;
        this.secondaryKmsKeyArn = built.global?.secondaryKmsKeyArn;
        const outputs: Record<string, pulumi.Output<unknown> | undefined> = {
            writerEndpoint: this.writerEndpoint,
            readerEndpoint: this.readerEndpoint,
            readerEndpoints: this.readerEndpoints,
            port: this.port,
            secretArn: this.secretArn,
            securityGroupId: this.securityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            globalClusterId: this.globalClusterId,
            secondaryWriterEndpoint: this.secondaryWriterEndpoint,
            secondaryReaderEndpoint: this.secondaryReaderEndpoint,
            secondarySecurityGroupId: this.secondarySecurityGroupId,
        };
        // Outputs of other kinds are left out rather than registered as undefined.
        this.registerOutputs(Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)));
    }

    /** What a client of this database receives (see ServiceBinding): the chain on the engine port, its endpoints and the master secret's ARN as variables, read on that secret. */
    binding(): ServiceBinding {
        const r = this.settings;
        return {
            name: "database",
            securityGroupId: this.securityGroupId,
            port: r.port,
            environment: {
                DATABASE_ENGINE: r.engine,
                DATABASE_HOST: this.writerEndpoint,
                DATABASE_READER_HOST: this.readerEndpoint,
                DATABASE_PORT: String(r.port),
                ...(r.databaseName ? { DATABASE_NAME: r.databaseName } : {}),
                DATABASE_SECRET_ARN: this.secretArn,
            },
            secretArns: [this.secretArn],
            secretKmsKeyArns: [this.kmsKeyArn],
        };
    }
}

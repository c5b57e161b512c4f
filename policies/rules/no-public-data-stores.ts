import type { ResourceValidationPolicy } from "@pulumi/policy";
import { bool, obj, raw, str } from "../lib/values";

/**
 * Databases, warehouses, caches, brokers and streams are never reachable from the internet. Each
 * service's own switch for a public endpoint is judged on what the program sets: unset is private
 * through the AWS provider (terraform-provider-aws sends publicly_accessible=false by default for RDS,
 * Neptune, Redshift (since v5), MQ and DMS, although the RDS API alone would make an instance in the
 * default VPC public; msk PublicAccess defaults to DISABLED). ElastiCache, MemoryDB, DocumentDB
 * clusters and DAX have no public endpoint at all.
 */
const PUBLIC_SWITCHES: Record<string, (p: Record<string, unknown>) => string | undefined> = {
    "aws:rds/instance:Instance": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:rds/clusterInstance:ClusterInstance": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:rds/cluster:Cluster": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:neptune/clusterInstance:ClusterInstance": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:redshift/cluster:Cluster": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:redshiftserverless/workgroup:Workgroup": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:mq/broker:Broker": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:msk/cluster:Cluster": (p) => {
        const t = str(obj(obj(obj(obj(p.brokerNodeGroupInfo).connectivityInfo).publicAccess)).type);
        return t !== undefined && t !== "DISABLED" ? `brokerNodeGroupInfo.connectivityInfo.publicAccess.type is ${t}` : undefined;
    },
    "aws:lightsail/database:Database": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
    "aws:dms/replicationInstance:ReplicationInstance": (p) => (bool(p.publiclyAccessible) === true ? "publiclyAccessible is true" : undefined),
};

export const noPublicDataStores: ResourceValidationPolicy = {
    name: "no-public-data-stores",
    description: "Databases, warehouses, caches, brokers and streams are never publicly accessible: they sit behind the application tier.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const check = PUBLIC_SWITCHES[args.type];
        const why = check?.(raw(args.props));
        if (why) {
            reportViolation(`${args.type.split(":").pop()} '${args.name}' is publicly accessible (${why}). Fix: keep it private (publiclyAccessible: false, in private subnets) and reach it from the application tier's group.`, args.urn);
        }
    },
};

/**
 * Stateful resources: those whose replacement or removal loses data — databases and clusters,
 * caches, file systems and volumes, buckets, KMS keys (data encrypted under a deleted key is lost),
 * queues, streams and secrets. Pulumi type tokens of the AWS provider; components never hold data.
 */
const STATEFUL_TYPES = new Set([
    // databases and clusters
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:docdb/cluster:Cluster",
    "aws:docdb/elasticCluster:ElasticCluster",
    "aws:docdb/globalCluster:GlobalCluster",
    "aws:neptune/cluster:Cluster",
    "aws:neptune/globalCluster:GlobalCluster",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/globalTable:GlobalTable",
    "aws:redshift/cluster:Cluster",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:opensearch/domain:Domain",
    "aws:elasticsearch/domain:Domain",
    "aws:timestreamwrite/table:Table",
    "aws:keyspaces/table:Table",
    "aws:qldb/ledger:Ledger",
    // caches
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/cluster:Cluster",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    "aws:memorydb/cluster:Cluster",
    // file systems and volumes
    "aws:efs/fileSystem:FileSystem",
    "aws:fsx/lustreFileSystem:LustreFileSystem",
    "aws:fsx/ontapFileSystem:OntapFileSystem",
    "aws:fsx/ontapVolume:OntapVolume",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    "aws:fsx/windowsFileSystem:WindowsFileSystem",
    "aws:ebs/volume:Volume",
    // buckets and repositories
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/directoryBucket:DirectoryBucket",
    "aws:glacier/vault:Vault",
    "aws:ecr/repository:Repository",
    "aws:backup/vault:Vault",
    // keys and secrets
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:secretsmanager/secret:Secret",
    "aws:ssm/parameter:Parameter",
    // queues and streams
    "aws:sqs/queue:Queue",
    "aws:kinesis/stream:Stream",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:msk/cluster:Cluster",
    "aws:mq/broker:Broker",
]);

export function isStateful(type: string): boolean {
    return STATEFUL_TYPES.has(type);
}

const PRODUCTION_PATTERNS = [/^prod$/, /^prod-.*$/];

/**
 * Whether a stack is production by its name: `prod` or `prod-*`, the convention the policy pack
 * uses by default. The command line overrides it (`--production` / `--no-production`).
 */
export function isProductionStack(stack: string): boolean {
    return PRODUCTION_PATTERNS.some((p) => p.test(stack));
}

import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { listOf } from "../lib/stack";
import { T } from "../lib/types";
import { bool, num, str } from "../lib/values";

export const multiAzRedis = multiAzPolicy({
    name: "multi-az-redis",
    description: "Redis/Valkey caches (ElastiCache, MemoryDB) keep a replica in another AZ: replication groups with a replica, automatic failover and Multi-AZ; MemoryDB shards with a replica.",
    check: ({ ix, report }) => {
        for (const rg of ix.ofType(T.cacheReplicationGroup)) {
            if (isMultiAzExempt(rg)) continue;
            const p = rg.props;
            const problems: string[] = [];
            if (bool(p.automaticFailoverEnabled) === false || p.automaticFailoverEnabled === undefined) problems.push("automaticFailoverEnabled is not true");
            if (bool(p.multiAzEnabled) === false || p.multiAzEnabled === undefined) problems.push("multiAzEnabled is not true");
            const nodes = num(p.numCacheClusters);
            const replicas = num(p.replicasPerNodeGroup);
            // aws-facts (botocore CreateReplicationGroup): automatic failover needs NumCacheClusters >= 2 (or a replica per shard).
            if (replicas === undefined && nodes !== undefined && nodes < 2) problems.push(`numCacheClusters is ${nodes} (no replica)`);
            if (replicas !== undefined && replicas < 1 && nodes === undefined) problems.push("replicasPerNodeGroup is 0 (no replica)");
            const pinned = listOf(p.preferredCacheClusterAzs).map(str);
            if (pinned.length > 1 && pinned.every((z) => z !== undefined) && new Set(pinned).size === 1) problems.push(`every node is pinned to ${pinned[0]} (preferredCacheClusterAzs)`);
            if (problems.length > 0) {
                report(
                    `replication group '${rg.name}': ${problems.join("; ")}. Fix: numCacheClusters >= 2, automaticFailoverEnabled: true and multiAzEnabled: true.`,
                    rg.urn,
                );
            }
        }
        // MemoryDB: a replica per shard by default (botocore memorydb CreateCluster NumReplicasPerShard, default 1),
        // spread across AZs by the service; 0 leaves each shard a single node.
        for (const c of ix.ofType(T.memorydbCluster)) {
            if (isMultiAzExempt(c)) continue;
            const replicas = num(c.props.numReplicasPerShard);
            if (replicas !== undefined && replicas < 1) {
                report(`MemoryDB cluster '${c.name}' has no replica per shard (numReplicasPerShard is ${replicas}): a node or AZ loss takes its data offline. Fix: numReplicasPerShard >= 1 (the default).`, c.urn);
            }
        }
        for (const c of ix.ofType(T.cacheCluster)) {
            if (isMultiAzExempt(c)) continue;
            const engine = str(c.props.engine);
            if ((engine === "redis" || engine === "valkey") && c.props.replicationGroupId === undefined) {
                report(`cache cluster '${c.name}' is a single ${engine} node with no failover. Fix: use an aws.elasticache.ReplicationGroup with a replica, automatic failover and Multi-AZ.`, c.urn);
            }
        }
    },
});

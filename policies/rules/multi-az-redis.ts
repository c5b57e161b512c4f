import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { T } from "../lib/types";
import { bool, num, str } from "../lib/values";

export const multiAzRedis = multiAzPolicy({
    name: "multi-az-redis",
    description: "Redis/Valkey caches are replication groups with a replica, automatic failover and Multi-AZ.",
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
            if (problems.length > 0) {
                report(
                    `replication group '${rg.name}': ${problems.join("; ")}. Fix: numCacheClusters >= 2, automaticFailoverEnabled: true and multiAzEnabled: true.`,
                    rg.urn,
                );
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

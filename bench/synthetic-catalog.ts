/**
 * Synthetic application catalogs for the benchmark: N entries cycling through the three seed shapes,
 * written the way a team would (a few lines each, defaults from the stack class):
 * stateless web; web feeding a worker with Redis and RDS; web with Aurora and EFS.
 */
export function syntheticApplications(n: number): Record<string, unknown>[] {
    const apps: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
        const name = `app${String(i).padStart(3, "0")}`;
        const version = { label: "v1", source: { path: "apps/hello" } };
        const web = { name: "web", tier: "web", domain: `${name}.example.com`, hostedZone: "example.com" };
        switch (i % 3) {
            case 0:
                apps.push({ name, version, environments: [web] });
                break;
            case 1:
                apps.push({
                    name,
                    version,
                    environments: [{ ...web, stickiness: 3600, feeds: "jobs" }, { name: "jobs", tier: "worker" }],
                    database: { kind: "rds", replicas: 1 },
                    cache: { engine: "redis" },
                });
                break;
            default:
                // Single-region Aurora: a hundred global databases would each need their own global cluster.
                apps.push({ name, version, environments: [web], database: { kind: "aurora" }, fileSystem: {} });
        }
    }
    return apps;
}

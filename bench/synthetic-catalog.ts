/**
 * Synthetic application catalogs for the benchmark: N entries cycling through the shapes teams ask
 * for (stateless web; web feeding a worker), each a few lines of config as a team would write it.
 */
export function syntheticApplications(n: number): Record<string, unknown>[] {
    const apps: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
        const name = `app${String(i).padStart(3, "0")}`;
        const web = { name: "web", tier: "web", domain: `${name}.example.com`, hostedZone: "example.com" };
        const environments = i % 2 === 0 ? [web] : [{ ...web, feeds: "jobs" }, { name: "jobs", tier: "worker" }];
        apps.push({ name, version: { label: "v1", source: { path: "apps/hello" } }, environments });
    }
    return apps;
}

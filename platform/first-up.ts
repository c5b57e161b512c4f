import type { PlatformConfig } from "../config";
import type { ConfigProblem } from "../config/validation";
import type { ApplicationConfig } from "../config/applications";
import { DEFAULT_ENGINE_VERSIONS, vcpusFromSize } from "../limits";

/**
 * What the stack config alone can tell about the first `pulumi up`: the pack's rejections spoken in
 * the config's language (rejected in the preflight), and what an offline plan cannot know —
 * account state, quotas, placeholders — listed for the stack output `verifyBeforeFirstUp`.
 */

/** RFC 2606 / RFC 6761 names no one can own: certificates for them never validate. */
export function isReservedDomain(domain: string): boolean {
    const d = domain.toLowerCase().replace(/\.$/, "");
    return /(^|\.)example\.(com|net|org)$/.test(d) || /\.(example|test|invalid|localhost)$/.test(d) || d === "localhost";
}

const envPath = (project: string, i: number, j: number) => `${project}:applications[${i}].environments[${j}]`;

/**
 * The pack's mandatory rules that config alone decides, as preflight problems with the config path
 * and the YAML that fixes them: an internet-facing (web, ha) environment serves HTTPS, so it needs a
 * domain and its hosted zone (alb-https). Pure.
 */
export function guardrailProblems(apps: ReadonlyArray<ApplicationConfig | undefined>, project: string, isProduction: boolean): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    apps.forEach((app, i) => {
        app?.environments.forEach((env, j) => {
            const ha = (env.mode ?? (isProduction ? "ha" : "single")) === "ha";
            if (env.tier === "web" && ha && env.domain === undefined) {
                problems.push({
                    path: `${envPath(project, i, j)}.domain`,
                    message:
                        `an internet-facing load balancer must serve HTTPS (policy alb-https), which needs a domain and its public hosted zone: ` +
                        `set { name: ${env.name}, tier: web, domain: ${env.name}.${app.name}.your-domain.com, hostedZone: your-domain.com }` +
                        (isProduction ? "" : ", or mode: single (one instance behind an Elastic IP)"),
                });
            }
        });
    });
    return problems;
}

/** What to check in the account before the first `pulumi up` of this stack. Pure. */
export function verifyBeforeFirstUp(cfg: PlatformConfig, availabilityZones: string[]): string[] {
    const out: string[] = [];
    const p = cfg.project;
    const zones = new Set<string>();
    let elasticIps = cfg.network.natGateways === "perAz" ? availabilityZones.length : cfg.network.natGateways === "single" ? 1 : 0;
    cfg.applications.forEach((app, i) => {
        app.environments.forEach((env, j) => {
            if (env.domain !== undefined && isReservedDomain(env.domain)) {
                out.push(
                    `${envPath(p, i, j)}.domain: ${env.domain} is a reserved name (RFC 2606): its certificate can never be validated, so pulumi up would wait on it and fail. Set a domain you own and its public hosted zone.`,
                );
            }
            if (env.hostedZone !== undefined && !/^Z[A-Z0-9]{1,32}$/.test(env.hostedZone)) zones.add(env.hostedZone);
            if (env.tier === "web" && (env.mode ?? (cfg.isProduction ? "ha" : "single")) === "single") elasticIps += 1;
        });
        const db = app.database;
        const engine = db?.engine ?? (db && (db.kind ?? (cfg.isProduction ? "aurora-global" : "aurora")) !== "rds" ? "aurora-mysql" : "mysql");
        if (db && engine.startsWith("aurora")) {
            const version = db.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine];
            out.push(
                `${p}:applications[${i}].database: ${engine} ${version} must still be offered for new clusters in ${cfg.region}${db.kind === "aurora-global" || (db.kind === undefined && cfg.isProduction) ? ` and ${cfg.secondaryRegion ?? "the secondary region"}` : ""} (aws rds describe-db-engine-versions --engine ${engine} --engine-version ${version}).`,
            );
        }
    });
    for (const zone of [...zones].sort()) {
        out.push(`Route 53: the public hosted zone ${zone} must exist in this account and be delegated from its registrar (it is looked up by name).`);
    }
    if (elasticIps > 0) {
        out.push(`EC2: this stack allocates ${elasticIps} Elastic IP(s) in ${cfg.region} (NAT gateways and single-instance environments); the default quota is 5 per region, shared with everything else in the account.`);
    }
    if (cfg.hpc.enabled) {
        const vcpus = vcpusFromSize(cfg.hpc.instanceType);
        out.push(
            `EC2: the On-Demand vCPU quota of ${cfg.region} must cover the HPC compute fleet (${cfg.hpc.compute.maxSize} × ${cfg.hpc.instanceType}${vcpus ? ` = ${cfg.hpc.compute.maxSize * vcpus} vCPUs` : ""}) plus the head node, and ${cfg.hpc.instanceType} must be offered in ${cfg.hpc.availabilityZone ?? availabilityZones[0]}.`,
        );
    }
    if (cfg.secondaryRegion) {
        out.push(`Regions: ${cfg.secondaryRegion} must be enabled for the account if it is an opt-in region (those are off by default).`);
    }
    return out;
}

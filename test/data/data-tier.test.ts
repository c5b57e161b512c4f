import { expect } from "chai";
import * as path from "node:path";
import { loadPlatformConfig } from "../../config";
import { secondaryCidrBlock, validateDataTier } from "../../components/data-tier";
import { loadProject, loadStackConfig } from "../../plan/project";
import { runProgram } from "../../plan/program";
import { Recorded } from "../support/harness";
import { RULE_IN } from "./fixtures";

const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

function config(values: Record<string, unknown>) {
    const raw: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [k, v] of Object.entries(values)) raw[`platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    return loadPlatformConfig(raw, "platform", "test");
}

async function plan(stack: string): Promise<Recorded> {
    const project = loadProject(path.resolve(__dirname, "..", ".."));
    return new Recorded(await runProgram({ project, stack, config: loadStackConfig(project, stack) }));
}

describe("data tier wiring", () => {
    it("reports every data-tier problem at once, each at the config path that causes it", () => {
        const cfg = config({
            environmentClass: "production",
            data: { database: { kind: "aurora-global", instanceClass: "db.t3.medium", readers: 16 }, cache: { nodes: 1 }, fileSystem: { oneZone: true } },
        });
        const problems = validateDataTier(cfg, zones).map((p) => p.path);
        expect(problems).to.include.members([
            "platform:secondaryRegion",
            "platform:data.database.instanceClass",
            "platform:data.database.readers",
            "platform:data.cache.nodes",
            "platform:data.fileSystem.oneZone",
        ]);
    });

    it("accepts the defaults of each environment class", () => {
        expect(validateDataTier(config({ environmentClass: "production", secondaryRegion: "us-west-2", data: { database: {}, cache: {}, fileSystem: {} } }), zones)).to.deep.equal([]);
        expect(validateDataTier(config({ environmentClass: "development", data: { database: {}, cache: {}, fileSystem: { oneZone: true } } }), zones.slice(0, 2))).to.deep.equal([]);
    });

    it("rejects unknown data keys and wrong shapes in stack config, naming the path", () => {
        const load = () => config({ environmentClass: "development", data: { database: { readerz: 2 }, cache: { engine: "memcached" } } });
        expect(load).to.throw(/platform:data\.database\.readerz/);
        expect(load).to.throw(/platform:data\.cache\.engine/);
    });

    it("derives a non-overlapping secondary VPC CIDR", () => {
        expect(secondaryCidrBlock("10.0.0.0/16")).to.equal("10.1.0.0/16");
        expect(secondaryCidrBlock("172.20.0.0/20")).to.equal("172.21.0.0/20");
    });

    it("prod plan: Aurora Global across us-east-1 and us-west-2, Multi-AZ Valkey and regional EFS, reachable only from the environments' instance groups", async () => {
        const rec = await plan("prod");
        const envs = (rec.run.outputs.applications as Record<string, { environments: Record<string, { instanceSecurityGroupId: string }> }>).hello.environments;
        const clients = [envs.web.instanceSecurityGroupId, envs.jobs.instanceSecurityGroupId];
        expect(clients.every((id) => /^sg-/.test(id))).to.equal(true);
        const secondary = rec.named("aws:rds/cluster:Cluster", "platform-db-secondary");
        expect(secondary.provider?.region).to.equal("us-west-2");
        expect(rec.named("aws:rds/globalCluster:GlobalCluster", "platform-db").id).to.equal(secondary.inputs.globalClusterIdentifier);
        expect(rec.named("aws:elasticache/replicationGroup:ReplicationGroup", "platform-sessions").inputs).to.include({ multiAzEnabled: true, numCacheClusters: 2 });
        expect(rec.ofType("aws:efs/mountTarget:MountTarget")).to.have.length(3);
        const dataGroups = ["platform-db", "platform-sessions", "platform-files"].map((n) => rec.named("aws:ec2/securityGroup:SecurityGroup", n).id);
        const ingress = rec.ofType(RULE_IN).filter((r) => dataGroups.includes(String(r.inputs.securityGroupId)));
        expect(ingress).to.have.length(6, "one rule per data group and client");
        for (const group of dataGroups) {
            const sources = ingress.filter((r) => r.inputs.securityGroupId === group).map((r) => r.inputs.referencedSecurityGroupId);
            expect(sources).to.have.members(clients);
        }
        expect(rec.run.outputs.data).to.have.nested.property("database.kind", "aurora-global");
    });

    it("dev plan: one Aurora instance in one region, one cache node, EFS in every AZ", async () => {
        const rec = await plan("dev");
        expect(rec.ofType("aws:rds/globalCluster:GlobalCluster")).to.have.length(0);
        expect(rec.ofType("aws:rds/clusterInstance:ClusterInstance")).to.have.length(1);
        expect(rec.named("aws:elasticache/replicationGroup:ReplicationGroup", "platform-sessions").inputs).to.include({ numCacheClusters: 1 });
        expect(rec.ofType("aws:efs/mountTarget:MountTarget")).to.have.length(2);
        expect(rec.named("aws:rds/cluster:Cluster", "platform-db").inputs).to.include({ deletionProtection: false, skipFinalSnapshot: true });
    });
});

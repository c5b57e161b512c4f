import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SessionCache, SessionCacheArgs, resolveSessionCacheArgs, validateSessionCacheArgs } from "../../components/session-cache";
import { recordStack } from "../support/harness";
import { RULE_IN, SG, paths, primaryNetwork, reasonAt } from "./fixtures";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

function validate(args: Partial<SessionCacheArgs>) {
    return validateSessionCacheArgs(resolveSessionCacheArgs({ network: primaryNetwork, ...args }));
}

describe("SessionCache", () => {
    it("production: two nodes in distinct AZs with automatic failover, Multi-AZ, encryption and kept snapshots", async () => {
        const rec = await recordStack(() => {
            new SessionCache("sessions", { network: primaryNetwork, production: true, clients: [{ name: "web", securityGroupId: "sg-0web" }] });
        });
        const rg = rec.named(RG, "sessions");
        expect(rg.inputs).to.include({
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            engine: "valkey",
        });
        const zones = rg.inputs.preferredCacheClusterAzs as string[];
        expect(zones).to.have.length(2);
        expect(new Set(zones).size).to.equal(2);
        expect(Number(rg.inputs.snapshotRetentionLimit)).to.be.at.least(1);
        expect(rg.inputs.finalSnapshotIdentifier).to.equal("sessions-test-final");
        expect(rg.options.protect).to.equal(true);
        expect(rg.propertyDependencies.kmsKeyId).to.deep.equal([rec.named("aws:kms/key:Key", "sessions-key").urn]);
        // The auth token is generated, stored as a secret and handed over write-only.
        expect(rg.inputs).to.include({ authTokenWo: "[secret]", authTokenWoVersion: 1 });
        expect(rg.inputs).to.not.have.property("authToken");
        const version = rec.named("aws:secretsmanager/secretVersion:SecretVersion", "sessions-auth");
        expect(version.inputs).to.include({ secretStringWo: "[secret]", secretId: rec.named("aws:secretsmanager/secret:Secret", "sessions-auth").id });
    });

    it("development: one node, no failover", async () => {
        const rec = await recordStack(() => {
            new SessionCache("sessions", { network: primaryNetwork });
        });
        const rg = rec.named(RG, "sessions");
        expect(rg.inputs).to.include({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false, atRestEncryptionEnabled: true, transitEncryptionEnabled: true });
        expect(rg.options.protect).to.equal(undefined);
    });

    it("admits only the client groups, on the Redis port", async () => {
        const rec = await recordStack(() => {
            new SessionCache("sessions", { network: primaryNetwork, clients: [{ name: "web", securityGroupId: "sg-0web" }, { name: "worker", securityGroupId: "sg-0worker" }] });
        });
        const group = rec.named(SG, "sessions");
        const ingress = rec.ofType(RULE_IN).filter((r) => r.inputs.securityGroupId === group.id);
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).to.have.deep.members([
            ["sg-0web", 6379, 6379],
            ["sg-0worker", 6379, 6379],
        ]);
        // Rules are named after the peer they admit, so reordering the clients changes nothing.
        expect(ingress.map((r) => r.name).sort()).to.deep.equal(["sessions-from-web-in", "sessions-from-worker-in"]);
        expect(rec.named(RG, "sessions").inputs.securityGroupIds).to.deep.equal([group.id]);
    });

    it("offers its binding: its group and port, TLS endpoints and the auth token secret (never the token) with its key", async () => {
        let offered: Record<string, unknown> = {};
        const rec = await recordStack(() => {
            const cache = new SessionCache("sessions", { network: primaryNetwork });
            const b = cache.binding();
            pulumi.all([b.securityGroupId, pulumi.all(b.environment ?? {}), pulumi.all(b.secretArns ?? []), pulumi.all(b.secretKmsKeyArns ?? [])]).apply(([sg, env, secrets, keys]) => {
                offered = { name: b.name, port: b.port, sg, env, secrets, keys };
            });
        });
        const secret = rec.named("aws:secretsmanager/secret:Secret", "sessions-auth");
        expect(offered).to.deep.include({ name: "cache", port: 6379, sg: rec.named(SG, "sessions").id, secrets: [secret.id] });
        expect(offered.env).to.include({ CACHE_PORT: "6379", CACHE_TLS: "true", CACHE_AUTH_SECRET_ARN: secret.id });
        expect(offered.keys).to.deep.equal([`arn:aws:kms:us-east-1:123456789012:key/${rec.named("aws:kms/key:Key", "sessions-key").id}`]);
    });

    describe("validation", () => {
        it("accepts the defaults in both classes", () => {
            expect(paths(validate({}))).to.deep.equal([]);
            expect(paths(validate({ production: true }))).to.deep.equal([]);
        });
        it("rejects node counts outside 1–6 and a single node in production", () => {
            expect(reasonAt(validate({ nodes: 7 }), "nodes")).to.match(/1–6/);
            expect(reasonAt(validate({ nodes: 0 }), "nodes")).to.match(/1–6/);
            expect(reasonAt(validate({ production: true, nodes: 1 }), "nodes")).to.match(/at least 2/);
        });
        it("rejects engine versions not offered, snapshot retention out of range, and no snapshots in production", () => {
            expect(paths(validate({ engine: "valkey", engineVersion: "7.0" }))).to.include("engineVersion");
            expect(paths(validate({ engine: "redis", engineVersion: "4.0.9" }))).to.include("engineVersion");
            expect(paths(validate({ engine: "redis", engineVersion: "7.1" }))).to.deep.equal([]);
            // Versions ElastiCache never offered, and Redis OSS 5 past standard support (2026-01-31).
            expect(reasonAt(validate({ engine: "valkey", engineVersion: "99.1" }), "engineVersion")).to.match(/Valkey 99\.1 is not offered by ElastiCache/);
            expect(reasonAt(validate({ engine: "redis", engineVersion: "8.0" }), "engineVersion")).to.match(/Redis OSS 8\.0 is not offered/);
            expect(reasonAt(validate({ engine: "redis", engineVersion: "5.0.6" }), "engineVersion")).to.match(/left ElastiCache standard support on 2026-01-31/);
            expect(paths(validate({ engine: "valkey", engineVersion: "8.2" }))).to.deep.equal([]);
            expect(paths(validate({ snapshotRetentionDays: 36 }))).to.include("snapshotRetentionDays");
            expect(paths(validate({ production: true, snapshotRetentionDays: 0 }))).to.include("snapshotRetentionDays");
            expect(paths(validate({ nodes: 2, nodeType: "cache.t1.micro" }))).to.include("nodeType");
        });
    });
});

describe("SessionCache auth token", () => {
    it("rewrites the stored token whenever the replication group is replaced, so secret and live token never diverge", async () => {
        const replaceWith = new Map<string, unknown[]>();
        const rec = await recordStack(() => {
            pulumi.runtime.registerStackTransformation((t) => {
                if (t.opts.replaceWith?.length) replaceWith.set(`${t.type}::${t.name}`, t.opts.replaceWith);
                return undefined;
            });
            new SessionCache("sessions", { network: primaryNetwork });
        });
        const bound = replaceWith.get("aws:secretsmanager/secretVersion:SecretVersion::sessions-auth") as pulumi.Resource[] | undefined;
        expect(bound, "the secret version is replaced with the group").to.have.length(1);
        const urn = await new Promise<string>((resolve) => bound![0].urn.apply(resolve));
        expect(urn).to.equal(rec.named(RG, "sessions").urn);
        // Both get the same run's token through write-only arguments at the same version.
        expect(rec.named("aws:secretsmanager/secretVersion:SecretVersion", "sessions-auth").inputs.secretStringWoVersion).to.equal(rec.named(RG, "sessions").inputs.authTokenWoVersion);
    });
});

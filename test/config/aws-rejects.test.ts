import { expect } from "chai";
import { ConfigError } from "../../config";
import { preflightFindings, runPlatform } from "../support/preflight";

/**
 * Configs that pass the schema but that AWS (or the first boot) would reject: the preflight names
 * each one's config path, and the program registers nothing (the plan then exits 2).
 */


const app = (env: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    name: "shop",
    version: { label: "v1", source: { path: "apps/hello" } },
    environments: [{ name: "web", tier: "web", domain: "shop.acme.io", hostedZone: "acme.io", ...env }],
    ...extra,
});

const config = (applications: unknown[], more: Record<string, string> = {}): Record<string, string> => ({
    "aws:region": "us-east-1",
    "platform:environmentClass": "production",
    "platform:secondaryRegion": "us-west-2",
    "platform:applications": JSON.stringify(applications),
    ...more,
});

const found = (values: Record<string, string>) => preflightFindings(values);

const A = "platform:applications[0]";
const CASES: { what: string; values: Record<string, string>; path: string; message: RegExp }[] = [
    { what: "an instance type EC2 does not offer", values: config([app({ instanceType: "t3.superlarge" })]), path: `${A}.environments[0].instanceType`, message: /t3\.superlarge is not an EC2 instance type/ },
    { what: "a database engine version AWS does not offer", values: config([app({}, { database: { kind: "rds", engineVersion: "99.1" } })]), path: `${A}.database.engineVersion`, message: /mysql 99\.1 is not a major version/ },
    { what: "a DB instance class that does not exist", values: config([app({}, { database: { kind: "rds", instanceClass: "db.t9.huge" } })]), path: `${A}.database.instanceClass`, message: /db\.t9\.huge is not a DB instance class/ },
    {
        what: "a version folder without a start file",
        values: config([{ ...app(), version: { label: "v1", source: { path: "test/fixtures/no-start" } } }]),
        path: `${A}.version.source.path`,
        message: /no start file/,
    },
    {
        what: "c5n.metal with Batch and no maxVcpus",
        values: config([app()], { "platform:hpc": JSON.stringify({ enabled: true, instanceType: "c5n.metal" }) }),
        path: "platform:hpc.batch.maxVcpus",
        message: /required for c5n\.metal/,
    },
];

describe("configs AWS would reject are rejected in the preflight", () => {
    for (const c of CASES) {
        it(`${c.what}: ${c.path}`, () => {
            const problems = found(c.values);
            const at = problems.filter((p) => p.startsWith(`${c.path}: `));
            expect(at, problems.join("\n")).to.have.length(1);
            expect(at[0]).to.match(c.message);
        });
    }

    it("a load balancer or target group name too long once Pulumi's suffix is added is rejected on the environment's name", () => {
        const long = { ...app({ name: "abcdefghijklmnopqrst" }), name: "shopshopshopshopshop" };
        const problems = found(config([long]));
        expect(problems.filter((p) => p.startsWith(`${A}.environments[0].name: `)).join("\n")).to.match(/load balancer name of 53 characters.*AWS allows 32/);
        // A worker has no load balancer: the same names are fine.
        expect(found(config([{ ...long, environments: [{ name: "abcdefghijklmnopqrst", tier: "worker" }] }]))).to.deep.equal([]);
    });

    it("a sound config has no problem (the cases above fail for their own reason only)", () => {
        expect(found(config([app({ instanceType: "m7g.large" }, { database: { kind: "rds", engineVersion: "8.4", instanceClass: "db.r7g.large" }, cache: { nodeType: "cache.r7g.large" } })]))).to.deep.equal([]);
    });

    it("an engine version past RDS standard support is rejected with its date; the defaults are supported majors", () => {
        const problems = found(config([app({}, { database: { kind: "rds", engineVersion: "8.0" } })]));
        expect(problems.join("\n")).to.match(/mysql 8\.0 left RDS standard support on 2026-07-31.*8\.4/);
    });

    it("the program registers nothing when all five are in one stack, and reports every path", async function () {
        this.timeout(20000);
        const values = config(
            [
                app({ instanceType: "t3.superlarge" }, { database: { kind: "rds", engineVersion: "99.1", instanceClass: "db.t9.huge" } }),
                { ...app(), name: "blog", version: { label: "v1", source: { path: "test/fixtures/no-start" } } },
            ],
            { "platform:hpc": JSON.stringify({ enabled: true, instanceType: "c5n.metal" }) },
        );
        const { run, caught } = await runPlatform(values);
        expect(caught).to.be.instanceOf(ConfigError);
        expect((caught as ConfigError).problems.map((p) => p.path)).to.include.members([
            `${A}.environments[0].instanceType`,
            `${A}.database.engineVersion`,
            `${A}.database.instanceClass`,
            "platform:applications[1].version.source.path",
            "platform:hpc.batch.maxVcpus",
        ]);
        expect(run.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });
});

import { expect } from "chai";
import { ConfigError, checkPlatformConfig } from "../../config";
import { servicesUsed } from "../../platform/catalog";
import { preflight } from "../../platform";
import { databaseSettings, needsSecondaryRegion } from "../../platform/services";
import { resolveDatabaseArgs } from "../../components/database";
import { settingsInput } from "../../components/environment";
import { environmentArgsFromConfig } from "../../platform/catalog";
import { resolveEnvironmentSettings } from "../../components/environment-settings";
import { REPO, ZONES, configProblems, runPlatform } from "../support/preflight";

/** The catalog's validation: every problem of a bad entry, with its config path, before any resource. */

const root = REPO;

const minimal = (extra: Record<string, unknown> = {}, env: Record<string, unknown> = {}) => ({
    name: "shop",
    version: { label: "v1", source: { path: "apps/hello" } },
    environments: [{ name: "web", tier: "web", ...env }],
    ...extra,
});

function raw(applications: unknown, environmentClass = "production", more: Record<string, string> = {}): Record<string, string> {
    return {
        "aws:region": "us-east-1",
        "platform:environmentClass": environmentClass,
        "platform:applications": JSON.stringify(applications),
        ...more,
    };
}

/** Every problem of a stack config, as `path: message`, found before anything is built. */
const problems = (values: Record<string, string>): string[] => configProblems(() => preflight(values, "platform", "test", ZONES, root));

const APP = "platform:applications[0]";
const ENV0 = `${APP}.environments[0]`;

describe("catalog validation", () => {
    const cases: { name: string; config: Record<string, string>; path: string; message?: RegExp }[] = [
        { name: "an unknown key (a typo)", config: raw([minimal({}, { sise: 3 })]), path: `${ENV0}.sise`, message: /unknown key/ },
        { name: "an unknown service key", config: raw([minimal({ database: { readerz: 2 } })]), path: `${APP}.database.readerz` },
        { name: "a mode that does not exist", config: raw([minimal({}, { mode: "banana" })]), path: `${ENV0}.mode`, message: /single|ha/ },
        { name: "a database kind that does not exist", config: raw([minimal({ database: { kind: "dynamo" } })]), path: `${APP}.database.kind` },
        { name: "duplicate application names", config: raw([minimal(), minimal()]), path: "platform:applications[1].name", message: /duplicate application name 'shop'/ },
        {
            name: "duplicate environment names",
            config: raw([{ ...minimal(), environments: [{ name: "web", tier: "web" }, { name: "web", tier: "worker" }] }]),
            path: `${APP}.environments[1].name`,
            message: /duplicate environment name/,
        },
        { name: "feeds naming a missing environment", config: raw([minimal({}, { feeds: "jobs" })]), path: `${ENV0}.feeds`, message: /no environment 'jobs'/ },
        {
            name: "feeds naming a web environment",
            config: raw([{ ...minimal(), environments: [{ name: "web", tier: "web", feeds: "api" }, { name: "api", tier: "web" }] }]),
            path: `${ENV0}.feeds`,
            message: /must name a worker/,
        },
        { name: "uses naming a service the app does not declare", config: raw([minimal({ cache: {} }, { uses: ["cache", "database"] })]), path: `${ENV0}.uses[1]`, message: /declares no database/ },
        { name: "single mode with maxSize above 1", config: raw([minimal({}, { mode: "single", maxSize: 3 })]), path: `${ENV0}.maxSize` },
        {
            name: "stickiness on a worker",
            config: raw([{ ...minimal(), environments: [{ name: "jobs", tier: "worker", stickiness: 60 }] }]),
            path: `${ENV0}.stickiness`,
        },
        { name: "a domain without a hosted zone", config: raw([minimal({}, { domain: "shop.example.com" })]), path: `${ENV0}.domain` },
        { name: "aurora-global without platform:secondaryRegion", config: raw([minimal({ database: { kind: "aurora-global" } })]), path: `${APP}.database.kind`, message: /secondaryRegion/ },
        { name: "One Zone EFS in production", config: raw([minimal({ fileSystem: { oneZone: true } })]), path: `${APP}.fileSystem.oneZone`, message: /development only/ },
        { name: "more cache nodes than ElastiCache allows", config: raw([minimal({ cache: { nodes: 9 } })], "development"), path: `${APP}.cache.nodes` },
        { name: "a relative mount point", config: raw([minimal({ fileSystem: { mountPoint: "uploads" } })], "development"), path: `${APP}.fileSystem.mountPoint` },
        { name: "a version path that does not exist", config: raw([{ ...minimal(), version: { label: "v1", source: { path: "apps/nope" } } }], "development"), path: `${APP}.version.source.path` },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, naming ${c.path}`, () => {
            const found = problems(c.config);
            const hit = found.find((p) => p.startsWith(`${c.path}: `));
            expect(hit, found.join("\n")).to.not.equal(undefined);
            if (c.message) expect(hit).to.match(c.message);
        });
    }

    it("accepts the minimal entry in both classes (in production a web environment is ha behind HTTPS, so it names its domain)", () => {
        const https = { domain: "shop.acme.io", hostedZone: "acme.io" };
        expect(problems(raw([minimal({ database: {}, cache: {}, fileSystem: {} }, https)], "production", { "platform:secondaryRegion": "us-west-2" }))).to.deep.equal([]);
        expect(problems(raw([minimal({ database: {}, cache: {}, fileSystem: {} })], "development"))).to.deep.equal([]);
    });

    it("reports shape, cross-reference and component problems of different entries in one run", () => {
        const found = problems(
            raw([
                minimal({}, { mode: "banana" }),
                { ...minimal(), name: "blog", environments: [{ name: "web", tier: "web", feeds: "nope" }] },
                { ...minimal(), name: "cart", fileSystem: { oneZone: true } },
            ]),
        ).map((p) => p.split(": ")[0]);
        expect(found).to.include.members([`${ENV0}.mode`, "platform:applications[1].environments[0].feeds", "platform:applications[2].fileSystem.oneZone"]);
    });

    it("the program registers no resource at all for a bad entry, and names its path", async function () {
        this.timeout(10000);
        const { run, caught } = await runPlatform(raw([minimal({}, { mode: "banana" }), minimal()], "production"));
        expect(caught).to.be.instanceOf(ConfigError);
        const paths = (caught as ConfigError).problems.map((p) => p.path);
        expect(paths).to.include.members([`${ENV0}.mode`, "platform:applications[1].name"]);
        expect(run.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });
});

describe("catalog defaults", () => {
    const entry = (environmentClass: "development" | "production") =>
        checkPlatformConfig(raw([minimal({ database: {}, cache: {} })], environmentClass, { "platform:secondaryRegion": "us-west-2" }), "platform", "test").config!;

    it("a minimal web environment is a single instance in development and ha over every AZ in production", () => {
        for (const [cls, zones, mode, min] of [
            ["development", 2, "single", 1],
            ["production", 3, "ha", 3],
        ] as const) {
            const app = entry(cls).applications[0];
            const s = resolveEnvironmentSettings(
                settingsInput({ ...environmentArgsFromConfig(app.environments[0], cls), network: { availabilityZones: ZONES.slice(0, zones) }, application: { environmentClass: cls } }),
            );
            expect([s.mode, s.minSize], cls).to.deep.equal([mode, min]);
        }
    });

    it("a minimal database is one Aurora cluster in development and Aurora Global with readers and Multi-AZ protection in production", () => {
        const network = { vpcId: "", publicSubnetIds: [], privateSubnetIds: [], availabilityZones: ZONES, cidrBlock: "10.0.0.0/16" };
        const dev = entry("development");
        const devDb = resolveDatabaseArgs({ ...databaseSettings(dev.applications[0], { ...dev, secondaryRegion: dev.secondaryRegion })!, network });
        expect([devDb.kind, devDb.readers, devDb.production]).to.deep.equal(["aurora", 0, false]);
        expect(needsSecondaryRegion(dev.applications, "development")).to.equal(false);
        const prod = entry("production");
        const prodDb = resolveDatabaseArgs({ ...databaseSettings(prod.applications[0], prod)!, network, secondaryNetwork: network });
        expect([prodDb.kind, prodDb.readers, prodDb.secondaryReaders, prodDb.production, prodDb.secondaryRegion]).to.deep.equal(["aurora-global", 1, 2, true, "us-west-2"]);
        expect(needsSecondaryRegion(prod.applications, "production")).to.equal(true);
    });

    it("an environment uses every service its application declares unless it lists some in uses", () => {
        const app = entry("development").applications[0];
        expect(servicesUsed(app, app.environments[0])).to.deep.equal(["database", "cache"]);
        expect(servicesUsed(app, { ...app.environments[0], uses: ["cache"] })).to.deep.equal(["cache"]);
        expect(servicesUsed(app, { ...app.environments[0], uses: [] })).to.deep.equal([]);
    });
});

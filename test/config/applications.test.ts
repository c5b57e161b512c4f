import { expect } from "chai";
import { loadPlatformConfig } from "../../config";
import { validateCatalog } from "../../platform/catalog";
import { configProblems } from "../support/preflight";

const raw = (applications: unknown, environmentClass = "production") => ({
    "aws:region": "us-east-1",
    "platform:environmentClass": environmentClass,
    "platform:applications": JSON.stringify(applications),
});
const problemsOf = configProblems;
const app = (environments: unknown[], extra: Record<string, unknown> = {}) => ({
    name: "shop",
    version: { label: "v1", source: { ami: "ami-0123456789abcdef0" } },
    environments,
    ...extra,
});

describe("platform:applications config", () => {
    it("parses an application with a web environment feeding a worker", () => {
        const cfg = loadPlatformConfig(raw([app([{ name: "web", tier: "web", feeds: "jobs", stickiness: 3600 }, { name: "jobs", tier: "worker" }])]), "platform", "prod");
        expect(cfg.applications[0].environments.map((e) => [e.name, e.tier, e.feeds])).to.deep.equal([
            ["web", "web", "jobs"],
            ["jobs", "worker", undefined],
        ]);
    });

    it("defaults to no applications", () => {
        expect(loadPlatformConfig({ "aws:region": "us-east-1", "platform:environmentClass": "development" }, "platform", "dev").applications).to.deep.equal([]);
    });

    it("rejects feeds that do not name a worker of the same application and duplicate names, with their paths", () => {
        const problems = problemsOf(() =>
            loadPlatformConfig(
                raw([
                    app([
                        { name: "web", tier: "web", feeds: "other" },
                        { name: "api", tier: "web" },
                        { name: "api", tier: "worker" },
                        { name: "other", tier: "web", feeds: "nope" },
                    ]),
                ]),
                "platform",
                "prod",
            ),
        );
        expect(problems.join("\n")).to.include("platform:applications[0].environments[0].feeds: 'other' is a web environment");
        expect(problems.join("\n")).to.include("platform:applications[0].environments[2].name: duplicate environment name 'api'");
        expect(problems.join("\n")).to.include("platform:applications[0].environments[3].feeds: no environment 'nope'");
    });

    it("rejects unknown keys, naming them", () => {
        const problems = problemsOf(() => loadPlatformConfig(raw([app([{ name: "web", tier: "web", replicas: 2 }])]), "platform", "prod"));
        expect(problems).to.deep.equal(["platform:applications[0].environments[0].replicas: unknown key (a typo?); remove it or check the documented keys"]);
    });

    it("reports component-level problems with the config path to fix", () => {
        const cfg = loadPlatformConfig(
            raw(
                [
                    app([
                        { name: "web", tier: "web", mode: "single", maxSize: 3, stickiness: 999999 },
                        { name: "jobs", tier: "worker", domain: "jobs.example.com", hostedZone: "example.com" },
                        { name: "site", tier: "web", domain: "www.example.com", env: { PORT: "80" } },
                    ]),
                ],
                "development",
            ),
            "platform",
            "dev",
        );
        const problems = validateCatalog(cfg.applications, { project: "platform", environmentClass: "development", availabilityZones: ["us-east-1a", "us-east-1b"] }).map(
            (p) => p.path,
        );
        expect(problems).to.include.members([
            "platform:applications[0].environments[0].maxSize",
            "platform:applications[0].environments[0].stickiness",
            "platform:applications[0].environments[1].domain",
            "platform:applications[0].environments[1].hostedZone",
            "platform:applications[0].environments[2].domain",
            "platform:applications[0].environments[2].env.PORT",
        ]);
    });

    it("checks the version's source path relative to the project", () => {
        const cfg = loadPlatformConfig(raw([{ ...app([{ name: "web", tier: "web" }]), version: { label: "v1", source: { path: "apps/missing" } } }]), "platform", "prod");
        const problems = validateCatalog(cfg.applications, { project: "platform", environmentClass: "production", availabilityZones: ["a", "b", "c"] });
        expect(problems.map((p) => p.path)).to.deep.equal(["platform:applications[0].version.source.path"]);
    });
});

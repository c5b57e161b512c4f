import { expect } from "chai";
import { EnvironmentSettingsInput, resolveEnvironmentSettings, validateEnvironmentSettings } from "../../components/environment-settings";

const base: EnvironmentSettingsInput = { tier: "web", environmentClass: "production", availabilityZoneCount: 3 };
/** The problems of one input, as `path: reason` strings. */
const problems = (over: Partial<EnvironmentSettingsInput>) =>
    validateEnvironmentSettings({ ...base, ...over }).problems.map((p) => `${p.propertyPath}: ${p.reason}`);
const paths = (over: Partial<EnvironmentSettingsInput>) => validateEnvironmentSettings({ ...base, ...over }).problems.map((p) => p.propertyPath);

describe("Environment settings", () => {
    it("defaults the mode from the environment class: development → single, production → ha", () => {
        expect(resolveEnvironmentSettings({ ...base, environmentClass: "development" })).to.include({ mode: "single", minSize: 1, maxSize: 1 });
        expect(resolveEnvironmentSettings(base)).to.include({ mode: "ha", minSize: 3, desiredCapacity: 3, maxSize: 9 });
    });

    it("accepts the defaults of every tier and mode", () => {
        for (const tier of ["web", "worker"] as const) {
            for (const mode of ["single", "ha"] as const) {
                expect(problems({ tier, mode }), `${tier} ${mode}`).to.deep.equal([]);
            }
        }
    });

    const invalid: [string, Partial<EnvironmentSettingsInput>, string, RegExp][] = [
        ["single mode with max > 1", { mode: "single", maxSize: 3 }, "maxSize", /exactly one instance/],
        ["worker with a domain", { tier: "worker", domain: "jobs.example.com" }, "domain", /not reachable/],
        ["stickiness on a worker", { tier: "worker", stickiness: { durationSeconds: 60 } }, "stickiness", /worker has no load balancer/],
        ["a domain without a hosted zone", { domain: "shop.example.com" }, "domain", /needs hostedZoneId or hostedZoneName/],
        ["a hosted zone without a domain", { hasHostedZoneId: true }, "hostedZone", /without a domain/],
        ["both zone id and name", { domain: "a.example.com", hasHostedZoneId: true, hostedZoneName: "example.com" }, "hostedZone", /not both/],
        ["a domain outside its zone", { domain: "shop.example.org", hostedZoneName: "example.com" }, "domain", /not inside the hosted zone/],
        ["min > max", { minSize: 5, maxSize: 4 }, "minSize", /greater than maxSize/],
        ["desired above max", { minSize: 1, desiredCapacity: 10, maxSize: 4 }, "desiredCapacity", /between minSize 1 and maxSize 4/],
        ["desired below min", { minSize: 3, desiredCapacity: 2, maxSize: 4 }, "desiredCapacity", /between minSize 3 and maxSize 4/],
        ["deregistration delay above 3600", { deregistrationDelaySeconds: 3601 }, "deregistrationDelaySeconds", /0-3600/],
        ["stickiness above one week", { stickiness: { durationSeconds: 604801 } }, "stickiness.durationSeconds", /1-604800/],
        ["visibility timeout above 12 h", { tier: "worker", queue: { visibilityTimeoutSeconds: 43201 } }, "queue.visibilityTimeoutSeconds", /0-43200/],
        ["maxReceiveCount 0", { tier: "worker", queue: { maxReceiveCount: 0 } }, "queue.maxReceiveCount", /1-1000/],
        ["maxReceiveCount above 1000", { tier: "worker", queue: { maxReceiveCount: 1001 } }, "queue.maxReceiveCount", /1-1000/],
        ["min healthy above 100", { minHealthyPercentage: 101 }, "minHealthyPercentage", /0-100/],
        ["an ALB in one AZ", { availabilityZoneCount: 1 }, "network.availabilityZones", /at least 2 AZs/],
        ["a worker feeding a worker", { tier: "worker", workerTier: "worker" }, "worker", /only a web environment/],
        ["a web environment fed a web environment", { workerTier: "web" }, "worker", /must be a worker-tier/],
        ["a queue on a web environment", { queue: { maxReceiveCount: 3 } }, "queue", /only a worker/],
        ["spot in single mode", { mode: "single", spot: {} }, "spot", /single mode/],
        ["scaling settings on a worker", { tier: "worker", scaling: { metric: "cpu" } }, "scaling", /backlog per instance/],
        ["requestCount scaling without a load balancer", { mode: "single", scaling: { metric: "requestCount" } }, "scaling.metric", /no load balancer/],
        ["CPU target above 100", { scaling: { target: 150 } }, "scaling.target", /\(0, 100\]/],
        ["SSH port", { port: 22 }, "port", /no SSH/],
        ["a plain-text secret", { secrets: { DB_PASSWORD: "hunter2" } }, "secrets.DB_PASSWORD", /ARN/],
        ["overriding a platform variable", { environment: { PORT: "1" } }, "environment.PORT", /set by the platform/],
        ["a multi-line variable", { environment: { GREETING: "a\nb" } }, "environment.GREETING", /single line/],
        ["a bad instance type", { instanceType: "large" }, "instanceType", /instance type/],
    ];
    for (const [what, over, path, reason] of invalid) {
        it(`rejects ${what}, naming ${path}`, () => {
            const found = validateEnvironmentSettings({ ...base, ...over }).problems.filter((p) => p.propertyPath === path);
            expect(found, problems(over).join("\n")).to.have.length.greaterThan(0);
            expect(found.map((p) => p.reason).join("\n")).to.match(reason);
        });
    }

    it("reports every problem at once", () => {
        expect(paths({ tier: "worker", mode: "single", maxSize: 2, domain: "a.example.com", stickiness: {}, port: 80 })).to.include.members([
            "maxSize",
            "domain",
            "stickiness",
            "port",
        ]);
    });

    it("accepts secrets given as Secrets Manager or SSM parameter ARNs", () => {
        expect(
            problems({
                secrets: {
                    DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                    API_KEY: "arn:aws:ssm:us-east-1:123456789012:parameter/shop/api-key",
                },
            }),
        ).to.deep.equal([]);
    });
});

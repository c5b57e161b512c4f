import { expect } from "chai";
import { REPO, ZONES, configProblems } from "../support/preflight";
import { preflight } from "../../platform";
import { filtersOverlap, scheduleExpressionProblem } from "../../components/environment/events";
import { isIpv4Cidr } from "../../components/environment/edge";

/**
 * The preflight of the event and edge keys: every problem at once with the config path to fix,
 * before anything is registered (the plan exits 2).
 */

const root = REPO;
const APP = "platform:applications[0]";

function problems(app: Record<string, unknown>, environmentClass = "production"): string[] {
    const values = { "aws:region": "us-east-1", "platform:environmentClass": environmentClass, "platform:applications": JSON.stringify([app]) };
    return configProblems(() => preflight(values, "platform", "test", ZONES, root));
}

const app = (environments: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    name: "shop",
    version: { label: "v1", source: { path: "apps/hello" } },
    environments,
    ...extra,
});
const web = (more: Record<string, unknown> = {}) => ({ name: "web", tier: "web", domain: "shop.example.com", hostedZone: "example.com", ...more });

describe("preflight: worker event sources", () => {
    it("accepts topics, buckets, subscriptions, S3 events, schedules, fifo and maxReceiveCount that fit together", () => {
        const ok = app(
            [
                web({ publishes: ["orders", "audit"], writes: ["uploads"] }),
                { name: "jobs", tier: "worker", subscribe: ["orders"], maxReceiveCount: 8, s3Events: [{ bucket: "uploads", prefix: "a/" }, { bucket: "uploads", prefix: "b/" }], schedule: [{ name: "hourly", rate: "1 hour" }] },
                { name: "ledger", tier: "worker", fifo: true, subscribe: ["audit"], schedule: [{ name: "close", cron: "0 0 1 * ? *", timezone: "Europe/Paris" }] },
            ],
            { topics: [{ name: "orders" }, { name: "audit", fifo: true }], buckets: [{ name: "uploads" }] },
        );
        expect(problems(ok)).to.deep.equal([]);
    });

    it("names every broken reference and pairing with its path, in one run", () => {
        const bad = app(
            [
                web({ publishes: ["nope"], writes: ["missing"], subscribe: ["orders"] }),
                { name: "jobs", tier: "worker", fifo: true, subscribe: ["orders"], s3Events: [{ bucket: "uploads", events: ["s3:ObjectMade"] }], maxReceiveCount: 0 },
                { name: "cron", tier: "worker", schedule: [{ name: "bad name!", cron: "0 0 * * * *" }, { name: "r", rate: "2 minute" }] },
            ],
            { topics: [{ name: "orders" }, { name: "orders" }], buckets: [{ name: "uploads" }] },
        );
        const found = problems(bad);
        const expectAt = (p: string, m: RegExp) => expect(found.some((f) => f.startsWith(`${p}: `) && m.test(f)), `${p} ${m}\n${found.join("\n")}`).to.equal(true);
        expectAt(`${APP}.topics[1].name`, /duplicate topic name 'orders'/);
        expectAt(`${APP}.environments[0].publishes[0]`, /no topic 'nope'/);
        expectAt(`${APP}.environments[0].writes[0]`, /no bucket 'missing'/);
        expectAt(`${APP}.environments[0].subscribe`, /only a worker environment subscribes/);
        expectAt(`${APP}.environments[1].subscribe[0]`, /topic 'orders' is standard but the queue is FIFO/);
        expectAt(`${APP}.environments[1].s3Events[0]`, /cannot be delivered to a FIFO queue/);
        expectAt(`${APP}.environments[1].s3Events[0].events`, /unknown S3 event type 's3:ObjectMade'/);
        expectAt(`${APP}.environments[1].maxReceiveCount`, /1-1000/);
        expectAt(`${APP}.environments[2].schedule[0].name`, /expected 1-64 letters/);
        expectAt(`${APP}.environments[2].schedule[0]`, /'\?' in exactly one of day-of-month/);
        expectAt(`${APP}.environments[2].schedule[1]`, /plural unit for 2/);
    });

    it("wants exactly one of cron and rate in a schedule", () => {
        const both = app([{ name: "jobs", tier: "worker", schedule: [{ name: "x", cron: "0 0 ? * * *", rate: "5 minutes" }] }]);
        expect(problems(both)).to.deep.equal([`${APP}.environments[0].schedule[0]: give exactly one of cron and rate`]);
    });

    it("refuses S3 notifications that overlap on one bucket (S3 rejects the whole configuration)", () => {
        const overlapping = app(
            [
                { name: "a", tier: "worker", s3Events: [{ bucket: "uploads", prefix: "images/" }] },
                { name: "b", tier: "worker", s3Events: [{ bucket: "uploads", prefix: "images/thumbs/", events: ["s3:ObjectCreated:Put"] }] },
            ],
            { buckets: [{ name: "uploads" }] },
        );
        expect(problems(overlapping)).to.deep.equal([
            `${APP}.environments[1].s3Events[0]: overlaps ${APP}.environments[0].s3Events[0] on bucket 'uploads' (same event types, overlapping prefix/suffix): S3 rejects overlapping notifications; narrow the prefix or suffix`,
        ]);
        expect(filtersOverlap({ prefix: "images/", suffix: ".jpg" }, { prefix: "images/", suffix: ".png" })).to.equal(false);
        expect(filtersOverlap({ suffix: ".jpg" }, { prefix: "x/" })).to.equal(true);
    });

    it("checks Scheduler expressions by their meaning", () => {
        expect(scheduleExpressionProblem("rate(1 minute)")).to.equal(undefined);
        expect(scheduleExpressionProblem("rate(0 minutes)")).to.match(/at least 1/);
        expect(scheduleExpressionProblem("cron(0 12 ? * MON-FRI *)")).to.equal(undefined);
        expect(scheduleExpressionProblem("cron(0 12 * *)")).to.match(/expected rate/);
        expect(scheduleExpressionProblem("at(2026-12-01T00:00:00)")).to.match(/expected rate/);
    });

    it("keeps a FIFO queue's name within SQS's 80 characters", () => {
        const long = app([{ name: "a-very-long-worker-n", tier: "worker", fifo: true }]);
        const longer = { ...long, name: "an-application-named" };
        expect(problems(longer)).to.deep.equal([]);
        // 20 + 1 + 20 + "-test-queue.fifo": within 80; a long stack name is what overflows.
        const found = configProblems(() =>
            preflight({ "aws:region": "us-east-1", "platform:environmentClass": "production", "platform:applications": JSON.stringify([longer]) }, "platform", "x".repeat(40), ZONES, root),
        );
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/environments\[0\]\.fifo: the FIFO queue name '.*\.fifo' exceeds 80 characters/);
    });
});

describe("preflight: the edge", () => {
    it("accepts WAF and CloudFront on a web environment in ha mode with a domain", () => {
        const ok = app([web({ waf: { rateLimit: 10, blockIps: ["203.0.113.0/24"], blockCountries: ["KP"] }, cdn: { priceClass: "PriceClass_200", geoRestriction: { allowCountries: ["US", "CA"] } } })]);
        expect(problems(ok)).to.deep.equal([]);
    });

    it("names every bad edge value with its path", () => {
        const bad = app([
            web({
                waf: { rateLimit: 9, blockIps: ["10.0.0.0/33", "1.2.3"], managedRules: ["CommonRuleSet"], allowCountries: ["USA"], blockCountries: ["FR"] },
                cdn: { priceClass: "PriceClass_50", geoRestriction: { blockCountries: ["fr"] } },
            }),
            { name: "single", tier: "web", mode: "single", waf: {}, cdn: {} },
        ]);
        const found = problems(bad);
        const expectAt = (p: string, m: RegExp) => expect(found.some((f) => f.startsWith(`${p}: `) && m.test(f)), `${p} ${m}\n${found.join("\n")}`).to.equal(true);
        const ENV0 = `${APP}.environments[0]`;
        expectAt(`${ENV0}.waf.rateLimit`, /from 10 to 2000000000/);
        expectAt(`${ENV0}.waf.blockIps`, /'10\.0\.0\.0\/33'/);
        expectAt(`${ENV0}.waf.blockIps`, /'1\.2\.3'/);
        expectAt(`${ENV0}.waf.managedRules`, /'CommonRuleSet'/);
        expectAt(`${ENV0}.waf.allowCountries`, /'USA'/);
        expectAt(`${ENV0}.waf`, /not both/);
        expectAt(`${ENV0}.cdn.priceClass`, /PriceClass_100, PriceClass_200, PriceClass_All/);
        expectAt(`${ENV0}.cdn.geoRestriction.blockCountries`, /'fr'/);
        expectAt(`${APP}.environments[1].waf`, /only a web environment in ha mode/);
        expectAt(`${APP}.environments[1].cdn`, /only a web environment in ha mode/);
        expectAt(`${APP}.environments[1].cdn`, /needs the environment's domain and hostedZone/);
    });

    it("checks the network ACL's blocked addresses: CIDR blocks, at most 18 (20 rules per direction)", () => {
        const values = (blockIps: string[]) => ({ "aws:region": "us-east-1", "platform:environmentClass": "production", "platform:network": JSON.stringify({ blockIps }) });
        const run = (blockIps: string[]) => configProblems(() => preflight(values(blockIps), "platform", "test", ZONES, root));
        expect(run(["198.51.100.0/24"])).to.deep.equal([]);
        expect(run(["198.51.100.0/24", "300.1.1.1/32"])).to.deep.equal(["platform:network.blockIps: expected IPv4 CIDR blocks such as 203.0.113.0/24, got '300.1.1.1/32'"]);
        const many = Array.from({ length: 19 }, (_, i) => `10.${i}.0.0/16`);
        expect(run(many)[0]).to.match(/^platform:network\.blockIps: at most 18 blocks/);
    });

    it("reads CIDR blocks by their meaning", () => {
        expect(["0.0.0.0/1", "198.51.100.7/32"].every(isIpv4Cidr)).to.equal(true);
        expect(["256.0.0.0/8", "10.0.0.0/0", "10.0.0.0", "::/0"].some(isIpv4Cidr)).to.equal(false);
    });
});

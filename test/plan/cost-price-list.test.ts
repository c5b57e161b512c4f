import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCsvLine, parseOfferCsv, parseOfferJson } from "../../plan/cost/price-list";
import { loadPriceTable, PriceTable, PRICES_FILE } from "../../plan/cost/table";
import { priceTableSchema } from "../../plan/cost/table-schema";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "price-list");

describe("cost: AWS Price List offer files", () => {
    it("keeps on-demand Linux shared-tenancy instance hours, EBS, NAT and IPv4 hourly prices from a JSON offer file", () => {
        const parsed = parseOfferJson(fs.readFileSync(path.join(FIXTURES, "AmazonEC2-us-east-1.json"), "utf8"), "https://example/AmazonEC2/us-east-1/index.json", "2026-12-01");
        expect(parsed).to.include({ offerCode: "AmazonEC2", version: "20261115000000", publicationDate: "2026-11-15T00:00:00Z" });
        const got = Object.fromEntries(parsed.entries.map((e) => [`${e.region} ${e.key}`, `${e.usd}/${e.unit}`]));
        // Windows, an unused capacity reservation, reserved terms and per-GB NAT processing are left out;
        // a product with only a location (no regionCode) still lands in its region.
        expect(got).to.deep.equal({
            "us-east-1 ec2:instance:t3.small": "0.0111/hour",
            "us-east-1 ec2:instance:m5.xlarge": "0.1234/hour",
            "us-east-1 ebs:gp3:storage": "0.07/GB-month",
            "us-east-1 vpc:nat-gateway:hour": "0.04/hour",
            "us-east-1 vpc:public-ipv4:hour": "0.004/hour",
        });
        const small = parsed.entries.find((e) => e.key === "ec2:instance:t3.small")!;
        expect(small.source).to.equal("https://example/AmazonEC2/us-east-1/index.json");
        expect(small.note).to.match(/AmazonEC2 20261115000000 .*SKU AAAAFIXTURELINUX/);
        expect(parsed.conflicts).to.deep.equal([]);
    });

    it("streams a CSV offer file: metadata rows, quoted fields, Single-AZ RDS instances and storage, I/O-Optimized left out", async () => {
        const lines = fs.readFileSync(path.join(FIXTURES, "AmazonRDS-us-west-2.csv"), "utf8").split("\n");
        const parsed = await parseOfferCsv(lines, "https://example/AmazonRDS/us-west-2/index.csv", "2026-12-01");
        expect(parsed).to.include({ offerCode: "AmazonRDS", version: "20261116000000", publicationDate: "2026-11-16T00:00:00Z" });
        const got = Object.fromEntries(parsed.entries.map((e) => [`${e.region} ${e.key}`, e.usd]));
        expect(got).to.deep.equal({
            "us-west-2 rds:instance:mysql:db.t4g.medium": 0.061,
            "us-west-2 rds:instance:aurora-mysql:db.r6g.large": 0.25,
            "us-west-2 rds:storage:gp3": 0.111,
        });
    });

    it("produces entries the price table accepts and the estimator can look up", () => {
        const parsed = parseOfferJson(fs.readFileSync(path.join(FIXTURES, "AmazonEC2-us-east-1.json"), "utf8"), "u", "2026-12-01");
        const table = new PriceTable(priceTableSchema.parse({ currency: "USD", hoursPerMonth: 730, entries: parsed.entries }));
        expect(table.lookup("us-east-1", "ec2:instance:t3.small")).to.include({ ok: true, usd: 0.0111 });
        expect(table.lookup("us-west-2", "ec2:instance:t3.small")).to.deep.equal({ ok: false, reason: "not in the price table for us-west-2" });
    });

    it("splits CSV records with quoted commas and doubled quotes, and rejects a broken record", () => {
        expect(parseCsvLine('"a","b, c","say ""hi""",,d')).to.deep.equal(["a", "b, c", 'say "hi"', "", "d"]);
        expect(() => parseCsvLine('"a","b')).to.throw(/unterminated/);
        expect(() => parseCsvLine('"a"x,"b"')).to.throw(/unexpected character/);
    });
});

describe("cost: the committed price table", () => {
    const table = loadPriceTable();

    it("matches its schema (the plan reads it without checking)", () => {
        expect(() => priceTableSchema.parse(JSON.parse(fs.readFileSync(PRICES_FILE, "utf8")))).not.to.throw();
    });

    it("gives every entry a source and a read date, or says why it is unavailable", () => {
        for (const e of table.data.entries) {
            if (e.usd === null) expect(e.note, `${e.region} ${e.key}`).to.be.a("string").and.not.equal("");
            else expect(e.source, `${e.region} ${e.key}`).to.match(/^https:\/\//);
        }
    });

    it("covers both regions the stacks use: each price the seed stacks need has an entry or an explained absence", () => {
        const regions = new Set(table.data.entries.map((e) => e.region));
        expect([...regions].sort()).to.deep.equal(["us-east-1", "us-west-2"]);
        const needed: [string, string][] = [
            ["us-east-1", "ec2:instance:t3.small"],
            ["us-east-1", "ec2:instance:c5n.18xlarge"],
            ["us-east-1", "ec2:instance:c6i.xlarge"],
            ["us-east-1", "elb:application:hour"],
            ["us-east-1", "rds:instance:mysql:db.r6g.large"],
            ["us-west-2", "rds:instance:aurora-mysql:db.r6g.large"],
            ["us-east-1", "elasticache:node:redis:cache.r7g.large"],
            ["us-east-1", "fsx:lustre:PERSISTENT_2:SSD:125"],
            ...["us-east-1", "us-west-2"].flatMap((r): [string, string][] => [
                [r, "vpc:nat-gateway:hour"],
                [r, "vpc:public-ipv4:hour"],
                [r, "kms:key:month"],
                [r, "secretsmanager:secret:month"],
                [r, "cloudwatch:alarm:standard:month"],
            ]),
        ];
        for (const [region, key] of needed) {
            const found = table.lookup(region, key);
            if (!found.ok) expect(found.reason, `${region} ${key}`).not.to.match(/not in the price table/);
        }
    });
});

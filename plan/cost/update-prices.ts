import * as fs from "node:fs";
import * as readline from "node:readline";
import { Readable } from "node:stream";
import { parseOfferCsv } from "./price-list";
import { PRICES_FILE, PriceEntry } from "./table";
import { priceTableSchema } from "./table-schema";

/**
 * `npm run prices:update [-- --region <r> …]`: rebuilds plan/cost/prices.json from the public AWS Price
 * List bulk files (no credentials needed) on a machine with internet. Each offer's regional CSV is
 * streamed and parsed (price-list.ts); entries it yields replace the table's, with the offer URL as
 * source and today as the read date. Entries no offer yields (hand-cited ones, unavailable markers)
 * are kept as they are. Regions default to those already in the table.
 */

const OFFERS = ["AmazonEC2", "AmazonVPC", "AWSELB", "AmazonRDS", "AmazonElastiCache", "AmazonFSx", "awskms", "AWSSecretsManager", "AmazonCloudWatch"];
const BASE = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";

async function main(argv: string[]): Promise<number> {
    const table = priceTableSchema.parse(JSON.parse(fs.readFileSync(PRICES_FILE, "utf8")));
    const asked = argv.flatMap((a, i) => (argv[i - 1] === "--region" ? [a] : []));
    const regions = asked.length > 0 ? asked : [...new Set(table.entries.map((e) => e.region))].sort();
    const today = new Date().toISOString().slice(0, 10);
    const fresh = new Map<string, PriceEntry>();
    for (const region of regions) {
        for (const offer of OFFERS) {
            const url = `${BASE}/${offer}/current/${region}/index.csv`;
            process.stderr.write(`fetching ${url}\n`);
            const res = await fetch(url);
            if (!res.ok || !res.body) {
                process.stderr.write(`  skipped: HTTP ${res.status}\n`);
                continue;
            }
            const lines = readline.createInterface({ input: Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), crlfDelay: Infinity });
            const parsed = await parseOfferCsv(lines, url, today);
            for (const e of parsed.entries) fresh.set(`${e.region}|${e.key}`, e);
            process.stderr.write(`  ${parsed.entries.length} prices (${parsed.offerCode} ${parsed.version})${parsed.conflicts.length ? `; ${parsed.conflicts.length} keys with differing products kept first` : ""}\n`);
        }
    }
    if (fresh.size === 0) {
        process.stderr.write("no prices fetched; the table is unchanged\n");
        return 1;
    }
    const kept = table.entries.filter((e) => !fresh.has(`${e.region}|${e.key}`));
    const entries = [...kept, ...fresh.values()].sort((a, b) => a.region.localeCompare(b.region) || a.key.localeCompare(b.key));
    const next = { ...table, generated: { by: "npm run prices:update (AWS Price List bulk API, regional CSV offer files)", date: today }, entries };
    fs.writeFileSync(PRICES_FILE, `${JSON.stringify(priceTableSchema.parse(next), null, 2)}\n`);
    process.stderr.write(`wrote ${entries.length} entries (${fresh.size} from the Price List) to ${PRICES_FILE}\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`error: ${(e as Error).message}\n`);
        process.exit(1);
    },
);

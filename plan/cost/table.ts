import * as fs from "node:fs";
import * as path from "node:path";
import type { PriceEntry, PriceTableData } from "./table-schema";

/**
 * The price table: on-demand list prices as data (`prices.json`), one entry per region and price key,
 * each with its source and the date it was read. `usd: null` marks a price that could not be had from
 * a citable source; resources needing it are reported as unpriced, never guessed.
 *
 * Price keys (the estimator's vocabulary, also produced by the Price List parser):
 *   ec2:instance:<type>                         hour (Linux, shared tenancy)
 *   ebs:<volumeType>:storage                    GB-month
 *   elb:<application|network|gateway>:hour      hour
 *   vpc:nat-gateway:hour, vpc:public-ipv4:hour  hour
 *   rds:instance:<engine>:<class>               hour, Single-AZ (Multi-AZ bills two instances)
 *   rds:storage:<gp2|gp3|io1|io2>               GB-month, Single-AZ
 *   elasticache:node:<redis|valkey|memcached>:<nodeType>  hour
 *   fsx:lustre:<DEPLOYMENT_TYPE>:<SSD|HDD>[:<MB/s/TiB>]   GB-month
 *   kms:key:month, secretsmanager:secret:month  month
 *   cloudwatch:alarm:<standard|high-resolution>:month     month per alarm metric
 * A key ending in `:*` only explains why a whole family is unavailable in a region.
 */

export type { PriceEntry, PriceTableData } from "./table-schema";

export type Lookup = { ok: true; usd: number; entry: PriceEntry } | { ok: false; reason: string };

export const PRICES_FILE = path.join(__dirname, "prices.json");

export class PriceTable {
    private readonly byKey = new Map<string, PriceEntry>();

    constructor(readonly data: PriceTableData) {
        for (const e of data.entries) this.byKey.set(`${e.region}|${e.key}`, e);
    }

    get hoursPerMonth(): number {
        return this.data.hoursPerMonth;
    }

    /** The price of `key` in `region`, or why there is none. */
    lookup(region: string, key: string): Lookup {
        const e = this.byKey.get(`${region}|${key}`);
        if (e && e.usd !== null) return { ok: true, usd: e.usd, entry: e };
        if (e) return { ok: false, reason: e.note ?? "marked unavailable in the price table" };
        // A family-wide entry (`ec2:instance:*`) explains a whole family's absence.
        const parts = key.split(":");
        for (let i = parts.length - 1; i > 0; i--) {
            const wide = this.byKey.get(`${region}|${[...parts.slice(0, i), "*"].join(":")}`);
            if (wide) return { ok: false, reason: wide.note ?? "marked unavailable in the price table" };
        }
        return { ok: false, reason: `not in the price table for ${region}` };
    }

    /** Read dates of the entries, oldest first. */
    dates(): string[] {
        return [...new Set(this.data.entries.map((e) => e.date))].sort();
    }
}

let cached: PriceTable | undefined;

/**
 * The committed price table (read once per process). It is checked against its schema where it is
 * written (`npm run prices:update`) and by the tests, so a plan only reads it; another file is checked
 * on load.
 */
export function loadPriceTable(file: string = PRICES_FILE): PriceTable {
    if (file === PRICES_FILE && cached) return cached;
    const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const data = file === PRICES_FILE ? (raw as PriceTableData) : (require("./table-schema") as typeof import("./table-schema")).priceTableSchema.parse(raw);
    const table = new PriceTable(data);
    if (file === PRICES_FILE) cached = table;
    return table;
}

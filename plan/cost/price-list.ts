import type { PriceEntry } from "./table";

/**
 * A parser for AWS Price List offer files (the public bulk API: `…/offers/v1.0/aws/<offer>/current/
 * <region>/index.json` or `index.csv`) that keeps the on-demand prices the estimator uses and names
 * them with its price keys (table.ts). Both formats carry the same products and terms; attribute
 * names are compared normalized (lower case, letters and digits only), so the CSV's "Instance Type"
 * and the JSON's "instanceType" are one attribute.
 */

export type Attrs = Record<string, string>;

/** Normalized attribute name: "Instance Type", "instanceType" → "instancetype". */
export const norm = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Regions by the location names older offer files use instead of `regionCode`. */
const LOCATIONS: Record<string, string> = {
    "US East (N. Virginia)": "us-east-1",
    "US East (Ohio)": "us-east-2",
    "US West (N. California)": "us-west-1",
    "US West (Oregon)": "us-west-2",
    "EU (Ireland)": "eu-west-1",
    "EU (Frankfurt)": "eu-central-1",
    "EU (London)": "eu-west-2",
    "Asia Pacific (Tokyo)": "ap-northeast-1",
    "Asia Pacific (Singapore)": "ap-southeast-1",
    "Asia Pacific (Sydney)": "ap-southeast-2",
};

const RDS_ENGINES: Record<string, string> = {
    mysql: "mysql",
    postgresql: "postgres",
    mariadb: "mariadb",
    auroramysql: "aurora-mysql",
    aurorapostgresql: "aurora-postgresql",
};

const RDS_VOLUMES: Record<string, string> = {
    generalpurposegp3: "gp3",
    generalpurpose: "gp2",
    provisionediops: "io1",
    provisionediopsio2: "io2",
};

const ends = (a: Attrs, suffix: string) => (a.usagetype ?? "").endsWith(suffix);

/** The price key of a product, or undefined when the estimator has no use for it. */
export function priceKeyOf(family: string, a: Attrs): string | undefined {
    switch (family) {
        case "Compute Instance":
            if (a.operatingsystem === "Linux" && a.tenancy === "Shared" && a.preinstalledsw === "NA" && (a.capacitystatus ?? "Used") === "Used" && a.licensemodel !== "Bring your own license" && a.instancetype) {
                return `ec2:instance:${a.instancetype}`;
            }
            return undefined;
        case "Storage":
            if (a.volumeapiname) return `ebs:${a.volumeapiname}:storage`;
            if (norm(a.filesystemtype ?? "") === "lustre" && a.deploymentoption) {
                const deployment = a.deploymentoption.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
                const throughput = a.throughputcapacity && /^\d+$/.test(a.throughputcapacity) ? `:${a.throughputcapacity}` : "";
                return `fsx:lustre:${deployment}:${(a.storagetype ?? "SSD").toUpperCase()}${throughput}`;
            }
            return undefined;
        case "NAT Gateway":
            return ends(a, "NatGateway-Hours") ? "vpc:nat-gateway:hour" : undefined;
        case "Load Balancer-Application":
            return ends(a, "LoadBalancerUsage") ? "elb:application:hour" : undefined;
        case "Load Balancer-Network":
            return ends(a, "LoadBalancerUsage") ? "elb:network:hour" : undefined;
        case "Load Balancer-Gateway":
            return ends(a, "LoadBalancerUsage") ? "elb:gateway:hour" : undefined;
        case "Database Instance": {
            const engine = RDS_ENGINES[norm(a.databaseengine ?? "")];
            if (!engine || a.deploymentoption !== "Single-AZ" || !a.instancetype || /IOOptimized/i.test(a.usagetype ?? "")) return undefined;
            if (a.licensemodel && a.licensemodel !== "No license required" && a.licensemodel !== "General Public License") return undefined;
            return `rds:instance:${engine}:${a.instancetype}`;
        }
        case "Database Storage": {
            const volume = RDS_VOLUMES[norm(a.volumetype ?? "")];
            return volume && a.deploymentoption === "Single-AZ" && !/aurora/i.test(a.databaseengine ?? "") ? `rds:storage:${volume}` : undefined;
        }
        case "Cache Instance":
            return a.cacheengine && a.instancetype ? `elasticache:node:${a.cacheengine.toLowerCase()}:${a.instancetype}` : undefined;
        case "Encryption Key":
            return ends(a, "KMS-Keys") ? "kms:key:month" : undefined;
        case "Secret":
            return ends(a, "AWSSecretsManager-Secrets") ? "secretsmanager:secret:month" : undefined;
        case "Alarm":
            if (ends(a, "CW:HighResAlarmMonitorUsage")) return "cloudwatch:alarm:high-resolution:month";
            if (ends(a, "CW:AlarmMonitorUsage")) return "cloudwatch:alarm:standard:month";
            return undefined;
        default:
            // The public IPv4 charge has had more than one product family; its usage type is stable.
            return ends(a, "PublicIPv4:InUseAddress") ? "vpc:public-ipv4:hour" : undefined;
    }
}

const unitOf = (key: string): PriceEntry["unit"] => (key.endsWith(":hour") || key.startsWith("ec2:instance:") || key.startsWith("rds:instance:") || key.startsWith("elasticache:node:") ? "hour" : key.endsWith(":month") ? "month" : "GB-month");

export interface OfferInfo {
    offerCode: string;
    version: string;
    publicationDate: string;
}

export interface ParsedOffer extends OfferInfo {
    entries: PriceEntry[];
    /** Keys that more than one product priced differently (the first is kept). */
    conflicts: string[];
}

interface Row {
    sku: string;
    family: string;
    attrs: Attrs;
    termType: string;
    beginRange: string;
    usd: number;
}

function collect(info: OfferInfo, rows: Iterable<Row>, source: string, date: string): ParsedOffer {
    const entries = new Map<string, PriceEntry>();
    const conflicts = new Set<string>();
    for (const row of rows) {
        if (row.termType !== "OnDemand" || (row.beginRange !== "" && row.beginRange !== "0") || !Number.isFinite(row.usd)) continue;
        const key = priceKeyOf(row.family, row.attrs);
        if (!key) continue;
        const region = row.attrs.regioncode || LOCATIONS[row.attrs.location ?? ""];
        if (!region) continue;
        const id = `${region}|${key}`;
        const seen = entries.get(id);
        if (seen) {
            if (seen.usd !== row.usd) conflicts.add(id);
            continue;
        }
        entries.set(id, {
            region,
            key,
            usd: row.usd,
            unit: unitOf(key),
            source,
            date,
            note: `AWS Price List ${info.offerCode} ${info.version} (published ${info.publicationDate}), SKU ${row.sku}`,
        });
    }
    return { ...info, entries: [...entries.values()], conflicts: [...conflicts] };
}

/** An offer file in JSON. */
export function parseOfferJson(text: string, source: string, date: string): ParsedOffer {
    const doc = JSON.parse(text) as {
        offerCode: string;
        version: string;
        publicationDate: string;
        products: Record<string, { sku: string; productFamily?: string; attributes?: Record<string, string> }>;
        terms: Record<string, Record<string, Record<string, { priceDimensions: Record<string, { beginRange?: string; pricePerUnit: Record<string, string> }> }>>>;
    };
    const rows: Row[] = [];
    for (const [termType, bySku] of Object.entries(doc.terms ?? {})) {
        for (const [sku, offers] of Object.entries(bySku)) {
            const product = doc.products[sku];
            if (!product) continue;
            const attrs: Attrs = {};
            for (const [k, v] of Object.entries(product.attributes ?? {})) attrs[norm(k)] = v;
            for (const offer of Object.values(offers)) {
                for (const dim of Object.values(offer.priceDimensions ?? {})) {
                    rows.push({ sku, family: product.productFamily ?? "", attrs, termType, beginRange: dim.beginRange ?? "", usd: Number(dim.pricePerUnit?.USD) });
                }
            }
        }
    }
    return collect({ offerCode: doc.offerCode, version: doc.version, publicationDate: doc.publicationDate }, rows, source, date);
}

/** One CSV record (RFC 4180 quoting; offer files have no line breaks inside fields). */
export function parseCsvLine(line: string): string[] {
    const out: string[] = [];
    let i = 0;
    while (i <= line.length) {
        if (line[i] === '"') {
            let value = "";
            i++;
            for (;;) {
                const q = line.indexOf('"', i);
                if (q < 0) throw new Error(`unterminated quoted field in: ${line.slice(0, 80)}`);
                value += line.slice(i, q);
                if (line[q + 1] === '"') {
                    value += '"';
                    i = q + 2;
                } else {
                    i = q + 1;
                    break;
                }
            }
            out.push(value);
            if (i < line.length && line[i] !== ",") throw new Error(`unexpected character after a quoted field in: ${line.slice(0, 80)}`);
            i++;
        } else {
            const c = line.indexOf(",", i);
            const end = c < 0 ? line.length : c;
            out.push(line.slice(i, end));
            i = end + 1;
        }
    }
    return out;
}

/** An offer file in CSV, line by line (the EC2 file is gigabytes: it is streamed, never held whole). */
export async function parseOfferCsv(lines: AsyncIterable<string> | Iterable<string>, source: string, date: string): Promise<ParsedOffer> {
    const meta: Record<string, string> = {};
    let header: string[] | undefined;
    const rows: Row[] = [];
    let n = 0;
    for await (const line of lines as AsyncIterable<string>) {
        if (line.trim() === "") continue;
        const fields = parseCsvLine(line);
        if (!header) {
            if (n++ < 5 && fields.length === 2) {
                meta[norm(fields[0])] = fields[1];
                continue;
            }
            header = fields.map(norm);
            continue;
        }
        const rec: Attrs = {};
        header.forEach((h, i) => {
            if (fields[i] !== undefined && fields[i] !== "") rec[h] = fields[i];
        });
        rows.push({ sku: rec.sku ?? "", family: rec.productfamily ?? "", attrs: rec, termType: rec.termtype ?? "", beginRange: rec.startingrange ?? "", usd: rec.currency === "USD" || rec.currency === undefined ? Number(rec.priceperunit) : NaN });
        // Keep memory flat on huge files: fold into entries as we go.
        if (rows.length >= 5000) rows.splice(0, rows.length, ...rows.filter((r) => r.termType === "OnDemand" && priceKeyOf(r.family, r.attrs)));
    }
    if (!header) throw new Error("not a Price List CSV offer file: no header row");
    return collect({ offerCode: meta.offercode ?? "", version: meta.version ?? "", publicationDate: meta.publicationdate ?? "" }, rows, source, date);
}

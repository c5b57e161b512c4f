import { createHash } from "node:crypto";

/** Deterministic values for the mocks: counters, hashes, and AWS's per-region tables. */

/** The value the SDK treats as unknown during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const seen = new Map<string, number>();

/** Resets the per-run counters (one plan per process in the CLI; tests run several). */
export function resetMockCounters(): void {
    seen.clear();
}

export function hexFor(key: string, length: number): string {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha1").update(`${key}#${n}#${i}`).digest("hex");
    }
    return out.slice(0, length);
}

export function uuidFrom(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** Region name → AZ suffixes, from EC2 DescribeAvailabilityZones (standard zones only). */
const regionZones: Record<string, string> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "ac",
    "us-west-2": "abcd",
    "ca-central-1": "abd",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-central-1": "abc",
    "eu-north-1": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-south-1": "abc",
    "sa-east-1": "abc",
};

/** `us-east-1` → `use1`, `ap-northeast-2` → `apne2` (the prefix of AZ ids and ElastiCache hosts). */
export function regionShort(region: string): string {
    const [area, direction, n] = region.split("-");
    const dir = (direction ?? "").replace(/north/g, "n").replace(/south/g, "s").replace(/east/g, "e").replace(/west/g, "w").replace(/central/g, "c");
    return `${area}${dir}${n ?? ""}`;
}

export function availabilityZonesOf(region: string): { names: string[]; zoneIds: string[] } {
    const suffixes = regionZones[region] ?? "abc";
    const short = regionShort(region);
    return {
        names: [...suffixes].map((s) => `${region}${s}`),
        zoneIds: [...suffixes].map((_s, i) => `${short}-az${i + 1}`),
    };
}

/** ALB/NLB canonical hosted zone ids per region (Elastic Load Balancing endpoints table). */
export const elbZoneIds: Record<string, string> = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
    "ap-northeast-2": "ZWKZPGTI48KDX",
};

export const dbPorts: Record<string, number> = {
    "aurora-mysql": 3306,
    aurora: 3306,
    mysql: 3306,
    mariadb: 3306,
    "aurora-postgresql": 5432,
    postgres: 5432,
    "oracle-ee": 1521,
    "sqlserver-se": 1433,
};

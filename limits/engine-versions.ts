/**
 * Database engine versions the platform accepts, per engine and major version, with the end of
 * RDS standard support (after it AWS bills Extended Support or upgrades the database). Pure.
 *
 * Sources, read 2026-12-01:
 * - RDS for MySQL: "Supported MySQL major versions on Amazon RDS" (MySQL.Concepts.VersionMgmt):
 *   8.0 standard support ends 2026-07-31, 8.4 2029-07-31.
 * - RDS for PostgreSQL and Aurora PostgreSQL: "Release calendar for Amazon RDS for PostgreSQL" and
 *   the Aurora PostgreSQL release calendar: 13 ends 2026-02-28, 14 2027-02-28, 15 2028-02-29,
 *   16 2029-02-28, 17 2030-02-28 (the community's five years, as for 11 and 12 in AWS's upgrade posts).
 * - RDS for MariaDB: MariaDB.Concepts.VersionMgmt, as listed by endoflife.date (amazon-rds-mariadb,
 *   generated 2026-04-04): 10.6 ends 2026-08-31, 10.11 2028-02-29, 11.4 2029-05-31, 11.8 2030-06-30.
 * - Aurora MySQL: version 3 is MySQL 8.0-compatible ("8.0.mysql_aurora.3.xx.y"); 3.10.0 (MySQL 8.0.42)
 *   released 2025-07-31 (Aurora MySQL release notes, document history). Aurora takes full versions
 *   only, so its default is a full version and minor upgrades are left to AWS (see database-aurora.ts).
 * Minor versions retire within about a year, so RDS defaults are major versions (RDS picks the
 * current minor at creation and upgrades minors automatically) and a pinned minor is accepted but
 * never defaulted. Widen this table, with its source and date, when AWS adds a major version.
 */

export interface MajorVersion {
    /** The major version as RDS names it: "8.4", "17", "11.4". */
    major: string;
    /** Last day of RDS standard support (ISO date). */
    standardSupportEnds: string;
}

export const ENGINE_MAJOR_VERSIONS: Readonly<Record<string, readonly MajorVersion[]>> = {
    mysql: [
        { major: "8.0", standardSupportEnds: "2026-07-31" },
        { major: "8.4", standardSupportEnds: "2029-07-31" },
    ],
    postgres: [
        { major: "13", standardSupportEnds: "2026-02-28" },
        { major: "14", standardSupportEnds: "2027-02-28" },
        { major: "15", standardSupportEnds: "2028-02-29" },
        { major: "16", standardSupportEnds: "2029-02-28" },
        { major: "17", standardSupportEnds: "2030-02-28" },
    ],
    mariadb: [
        { major: "10.6", standardSupportEnds: "2026-08-31" },
        { major: "10.11", standardSupportEnds: "2028-02-29" },
        { major: "11.4", standardSupportEnds: "2029-05-31" },
        { major: "11.8", standardSupportEnds: "2030-06-30" },
    ],
    "aurora-postgresql": [
        { major: "13", standardSupportEnds: "2026-02-28" },
        { major: "14", standardSupportEnds: "2027-02-28" },
        { major: "15", standardSupportEnds: "2028-02-29" },
        { major: "16", standardSupportEnds: "2029-02-28" },
        { major: "17", standardSupportEnds: "2030-02-28" },
    ],
};

/** The default engine version per engine: a major version for RDS, a full version for Aurora MySQL (which takes no other form). */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<string, string>> = {
    mysql: "8.4",
    postgres: "17",
    mariadb: "11.4",
    "aurora-postgresql": "16.9",
    "aurora-mysql": "8.0.mysql_aurora.3.10.0",
};

const AURORA_MYSQL = /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/;

/** Whether a version names a major version only ("8.4", "17"), leaving the minor to RDS. */
export function isMajorVersion(engine: string, version: string): boolean {
    return (ENGINE_MAJOR_VERSIONS[engine] ?? []).some((m) => m.major === version);
}

/** The major version a version string belongs to in the table, or undefined. */
export function majorOf(engine: string, version: string): MajorVersion | undefined {
    return (ENGINE_MAJOR_VERSIONS[engine] ?? []).find((m) => version === m.major || version.startsWith(`${m.major}.`));
}

/**
 * Why an engine version cannot be created, or undefined when it can: unknown to the table, or past
 * the end of standard support on `today` (ISO date). Engines without a table (commercial engines)
 * are not checked.
 */
export function engineVersionProblem(engine: string, version: string, today: string): string | undefined {
    if (engine === "aurora-mysql") {
        return AURORA_MYSQL.test(version) ? undefined : `Aurora MySQL versions look like 8.0.mysql_aurora.3.10.0 (version 3, MySQL 8.0-compatible), got ${version}`;
    }
    const majors = ENGINE_MAJOR_VERSIONS[engine];
    if (!majors) return undefined;
    const found = majorOf(engine, version);
    if (!found) return `${engine} ${version} is not a major version AWS offers (${majors.map((m) => m.major).join(", ")})`;
    if (found.standardSupportEnds < today) {
        const next = majors.find((m) => m.standardSupportEnds >= today);
        return `${engine} ${found.major} left RDS standard support on ${found.standardSupportEnds} (paid Extended Support or a forced upgrade follow)${next ? `; use ${next.major} or later` : ""}`;
    }
    return undefined;
}

/**
 * ElastiCache engine versions (major.minor) offered for node-based replication groups, with the end of
 * standard support where AWS has announced one. Sources, read 2026-12-01: ElastiCache "Supported
 * engine versions" (Valkey 7.2, 8.0, 8.1, 8.2, 9.0, 9.1; Redis OSS 4.0.10 and later up to 7.1, the last
 * Redis OSS version ElastiCache offers); ElastiCache "Extended Support" announcement: Redis OSS 4 and 5
 * leave standard support on 2026-01-31.
 */
export const CACHE_VERSIONS: Readonly<Record<"valkey" | "redis", readonly { version: string; standardSupportEnds?: string }[]>> = {
    valkey: [{ version: "7.2" }, { version: "8.0" }, { version: "8.1" }, { version: "8.2" }, { version: "9.0" }, { version: "9.1" }],
    redis: [
        { version: "4.0", standardSupportEnds: "2026-01-31" },
        { version: "5.0", standardSupportEnds: "2026-01-31" },
        { version: "6.0" },
        { version: "6.2" },
        { version: "7.0" },
        { version: "7.1" },
    ],
};

/** Why a cache engine version cannot be created, or undefined: unknown, or past standard support on `today`. */
export function cacheEngineVersionProblem(engine: "valkey" | "redis", version: string, today: string): string | undefined {
    const known = CACHE_VERSIONS[engine];
    const majorMinor = version.split(".").slice(0, 2).join(".");
    const found = known.find((v) => v.version === majorMinor || (majorMinor.endsWith(".x") && v.version.startsWith(majorMinor.slice(0, -1))));
    const name = engine === "valkey" ? "Valkey" : "Redis OSS";
    if (!found) return `${name} ${version} is not offered by ElastiCache (${known.map((v) => v.version).join(", ")})`;
    if (found.standardSupportEnds && found.standardSupportEnds < today) {
        return `${name} ${found.version} left ElastiCache standard support on ${found.standardSupportEnds}; use ${known[known.length - 1].version}`;
    }
    return undefined;
}

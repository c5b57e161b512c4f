import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The arrows of the code base, checked on every source file: `index.ts` → the stack layer
 * (`platform/`) → `config/` and the components (`components/`, `hpc/`); `config/` and the
 * components share only the `limits/` leaf; the policy pack and the plan engine import nothing of
 * the platform (the pack gates any team's program, the plan loads any program and any pack).
 */

const REPO = path.resolve(__dirname, "..");

/** Per top-level folder (or root file): the other folders it may import. Packages are always allowed unless listed in `noPackages`. */
const ALLOWED: Record<string, readonly string[]> = {
    "index.ts": ["platform"],
    platform: ["config", "components", "hpc", "limits"],
    config: ["limits"],
    components: ["limits"],
    hpc: ["components", "limits"],
    limits: [],
    policies: [],
    plan: [],
};

/** Folders that must load without the Pulumi SDK or provider (pure data and schema). */
const NO_PULUMI = ["config", "limits"];

export interface ImportEdge {
    file: string;
    from: string;
    specifier: string;
    /** The top-level folder (or root file) a relative import lands in; undefined for a package. */
    to?: string;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** The top-level folder of a repository-relative path ("index.ts" for root files). */
export function areaOf(relative: string): string {
    return relative.split(/[\\/]/)[0];
}

/** Every import of a source file, with the area a relative one lands in. Pure. */
export function importsOf(relative: string, source: string): ImportEdge[] {
    const edges: ImportEdge[] = [];
    for (const m of source.matchAll(SPECIFIER)) {
        const specifier = m[1];
        const edge: ImportEdge = { file: relative, from: areaOf(relative), specifier };
        if (specifier.startsWith(".")) {
            edge.to = areaOf(path.relative(REPO, path.resolve(REPO, path.dirname(relative), specifier)));
        }
        edges.push(edge);
    }
    return edges;
}

/** The edges that break the arrows, as readable lines. Pure. */
export function arrowViolations(edges: ImportEdge[]): string[] {
    const out: string[] = [];
    for (const e of edges) {
        const allowed = ALLOWED[e.from];
        if (allowed === undefined) continue;
        if (e.to !== undefined && e.to !== e.from && !allowed.includes(e.to)) {
            out.push(`${e.file} imports ${e.specifier} (${e.from} → ${e.to}; ${e.from} may import ${allowed.join(", ") || "nothing of the platform"})`);
        }
        if (e.to === undefined && NO_PULUMI.includes(e.from) && e.specifier.startsWith("@pulumi/")) {
            out.push(`${e.file} imports ${e.specifier} (${e.from} must load without Pulumi)`);
        }
    }
    return out;
}

function sourceFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...sourceFiles(full));
        else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
    }
    return out;
}

describe("import boundaries", () => {
    const files = ["index.ts", ...Object.keys(ALLOWED).filter((a) => a !== "index.ts").flatMap((a) => sourceFiles(path.join(REPO, a)).map((f) => path.relative(REPO, f)))];
    const edges = files.flatMap((f) => importsOf(f, fs.readFileSync(path.join(REPO, f), "utf8")));

    it("every folder imports only what its arrow allows; config/ and limits/ load without Pulumi", () => {
        expect(files.filter((f) => f.startsWith("platform/")), "the stack layer exists").to.not.be.empty;
        expect(arrowViolations(edges)).to.deep.equal([]);
    });

    it("only the stack layer imports both config/ and the components", () => {
        const reaches = (area: string, to: string) => edges.some((e) => e.from === area && e.to === to);
        const both = Object.keys(ALLOWED).filter((a) => reaches(a, "config") && (reaches(a, "components") || reaches(a, "hpc")));
        expect(both).to.deep.equal(["platform"]);
    });

    it("catches a component importing config, a config module importing Pulumi and the pack importing a component", () => {
        const bad = [
            ...importsOf("components/environment.ts", 'import type { EnvironmentConfig } from "../config/applications";'),
            ...importsOf("config/data.ts", 'import * as pulumi from "@pulumi/pulumi";'),
            ...importsOf("policies/rules/x.ts", 'const n = require("../../components/network");'),
            ...importsOf("hpc/cluster.ts", 'import { Network } from "../components/network";'),
        ];
        expect(arrowViolations(bad)).to.have.length(3);
        expect(arrowViolations(bad).join("\n")).to.match(/components\/environment\.ts .*components → config/).and.match(/config\/data\.ts imports @pulumi\/pulumi/).and.match(/policies → components/);
    });

    it("no source file of the platform passes 400 lines, except data tables", () => {
        const DATA_TABLES = ["limits/efa-instance-types.ts"];
        const platform = files.filter((f) => /^(index\.ts|platform\/|config\/|components\/|hpc\/|limits\/)/.test(f) && !DATA_TABLES.includes(f));
        const long = platform.map((f) => [f, fs.readFileSync(path.join(REPO, f), "utf8").split("\n").length] as const).filter(([, n]) => n > 400);
        expect(long).to.deep.equal([]);
    });
});

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Pair, YAMLMap } from "yaml";
import { Owner, ownersOf } from "./ownership";

/**
 * Traces violations to what caused them. A resource that belongs to an application (see ownership.ts)
 * is traced to that application's entry in the stack file, then to its environment's or service's
 * entry; a resource under a component whose type module names a stack config key
 * (`platform:hpc:HpcCluster` → `platform:hpc`) to that key; anything else to where the program built
 * it when the run recorded it, else to nothing ("unknown", never a guess).
 *
 * Generic: no config key is hard-wired. The catalog is whichever top-level list of objects in the
 * stack file has an entry whose `name` is the application's; its environments whichever list of
 * named objects in that entry has one named like the environment tag (`<env>` or `<app>-<env>`); a
 * service whichever key of the entry matches the service tag.
 */

export interface SourceLocation {
    /** Relative to the planned project's directory; null when unknown. */
    file: string | null;
    /** 1-based line in `file`; null when unknown. */
    line: number | null;
    /** The config path (`platform:applications[1].environments[0]`); null when not from config. */
    path: string | null;
}

/** One place in the stack file. */
interface Located {
    path: string;
    line: number;
}

type Node = unknown;

const named = (node: Node): node is YAMLMap => isMap(node) && isScalar(node.get("name", true));
const nameOf = (node: YAMLMap): string => String(node.get("name"));
const keyOf = (pair: Pair): string => String(isScalar(pair.key) ? pair.key.value : pair.key);
const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The stack file parsed once, with line numbers. */
export class StackFileIndex {
    private readonly lines = new LineCounter();
    private readonly config: YAMLMap | undefined;

    constructor(text: string) {
        const doc = parseDocument(text, { lineCounter: this.lines });
        const config = doc.get("config", true);
        this.config = isMap(config) ? config : undefined;
    }

    private lineOf(node: { range?: [number, number, number] | null } | null | undefined): number {
        return this.lines.linePos(node?.range?.[0] ?? 0).line;
    }

    private pairs(): Pair[] {
        return (this.config?.items ?? []) as Pair[];
    }

    /** A top-level config key as written (`platform:hpc`). */
    key(name: string): Located | undefined {
        const pair = this.pairs().find((p) => keyOf(p) === name);
        return pair ? { path: name, line: this.lineOf(pair.key as never) } : undefined;
    }

    /** The entry of an application, its environment and its service, as precisely as the owner says. */
    entry(owner: Owner): Located | undefined {
        if (!owner.application) return undefined;
        for (const pair of this.pairs()) {
            if (!isSeq(pair.value)) continue;
            const index = pair.value.items.findIndex((item) => named(item) && nameOf(item) === owner.application);
            if (index < 0) continue;
            const app = pair.value.items[index] as YAMLMap;
            const base = `${keyOf(pair)}[${index}]`;
            if (owner.environment) {
                const env = this.environment(app, owner.application, owner.environment);
                if (env) return { path: `${base}.${env.path}`, line: env.line };
            }
            if (owner.service) {
                const svc = (app.items as Pair[]).find((p) => normalize(keyOf(p)) === normalize(owner.service!));
                if (svc) return { path: `${base}.${keyOf(svc)}`, line: this.lineOf(svc.key as never) };
            }
            return { path: base, line: this.lineOf(app) };
        }
        return undefined;
    }

    private entryNames: Set<string> | undefined;

    /** Whether some top-level list of named objects has an entry of this name. */
    hasEntry(name: string): boolean {
        this.entryNames ??= new Set(this.pairs().flatMap((p) => (isSeq(p.value) ? p.value.items.filter(named).map(nameOf) : [])));
        return this.entryNames.has(name);
    }

    private environment(app: YAMLMap, application: string, tag: string): Located | undefined {
        for (const pair of app.items as Pair[]) {
            if (!isSeq(pair.value)) continue;
            const index = pair.value.items.findIndex((item) => named(item) && (nameOf(item) === tag || `${application}-${nameOf(item)}` === tag));
            if (index >= 0) return { path: `${keyOf(pair)}[${index}]`, line: this.lineOf(pair.value.items[index] as YAMLMap) };
        }
        return undefined;
    }
}

/** The fields of a plan resource that tracing needs. */
export interface TracedResource {
    urn: string;
    type: string;
    parent: string | null;
    custom: boolean;
    inputs: Record<string, unknown>;
    /** Where the program built it, when the run recorded it (`file://…` URI or path, 1-based line). */
    sourcePosition?: { uri: string; line: number } | null;
}

export interface TraceContext {
    /** The planned project's directory. */
    programDir: string;
    /** The stack file (absolute, or relative to programDir). */
    stackFile: string;
    /** Its text; read from stackFile when absent. */
    stackText?: string;
    /** The plan's ownership (`ownersOf`), when the caller has it already. */
    owners?: Map<string, Owner>;
}

/** A tracer for one plan: resource URN (or null for the stack) → source and owner. */
export function tracer(resources: TracedResource[], ctx: TraceContext) {
    const stackPath = path.resolve(ctx.programDir, ctx.stackFile);
    let text = ctx.stackText;
    if (text === undefined) {
        try {
            text = fs.readFileSync(stackPath, "utf8");
        } catch {
            text = "";
        }
    }
    const index = new StackFileIndex(text);
    const owners = ctx.owners ?? ownersOf(resources);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stackFile = path.relative(ctx.programDir, stackPath).split(path.sep).join("/");
    const unknown = (): SourceLocation => ({ file: null, line: null, path: null });

    const fromComponent = (urn: string): Located | undefined => {
        for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
            const parts = r.type.split(":");
            if (r.custom || parts.length !== 3) continue;
            const found = index.key(`${parts[0]}:${parts[1]}`);
            if (found) return found;
        }
        return undefined;
    };
    const fromProgram = (urn: string): SourceLocation | undefined => {
        const pos = byUrn.get(urn)?.sourcePosition;
        if (!pos?.uri || !pos.line) return undefined;
        const file = pos.uri.startsWith("file:") ? fileURLToPath(pos.uri) : pos.uri;
        // A frame inside a package (a `.get()` read, a default provider) is not where the program built it.
        if (file.split(/[\\/]/).includes("node_modules")) return undefined;
        return { file: path.relative(ctx.programDir, file).split(path.sep).join("/"), line: pos.line, path: null };
    };

    // Resources with no ownership tags (a program that tags only some of what it builds) belong to the
    // nearest component named after a catalog entry.
    const ownerOf = (urn: string): Owner | undefined => {
        const tagged = owners.get(urn);
        if (tagged) return tagged;
        for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
            const name = r.custom ? undefined : r.urn.split("::").pop();
            if (name && index.hasEntry(name)) return { application: name };
        }
        return undefined;
    };

    const trace = (urn: string | null): { source: SourceLocation; owner?: Owner } => {
        if (!urn) return { source: unknown() };
        const owner = ownerOf(urn);
        const located = (owner && index.entry(owner)) ?? fromComponent(urn);
        const source = located ? { file: stackFile, line: located.line, path: located.path } : fromProgram(urn) ?? unknown();
        return owner ? { source, owner } : { source };
    };
    return { trace, ownerOf };
}

/**
 * Adds `source: { file, line, path }` (and `owner` when the resource belongs to an application) to
 * every violation of a plan JSON, and `owner: { application, environment?, service? }` to every
 * resource that belongs to an application. Mutates and returns `json`.
 */
export function attachSources<T extends { resources: TracedResource[]; violations: { urn: string | null }[] }>(json: T, ctx: TraceContext): T {
    const { trace, ownerOf } = tracer(json.resources, ctx);
    for (const r of json.resources) {
        const owner = ownerOf(r.urn);
        if (owner) Object.assign(r, { owner });
    }
    for (const v of json.violations) Object.assign(v, trace(v.urn));
    return json;
}

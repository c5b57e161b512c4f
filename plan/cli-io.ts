import * as fs from "node:fs";
import * as path from "node:path";
import { PlanInputError } from "./errors";

/** How the CLI writes its documents, decides on colour and describes failures (exit 2). */

/** Writes a document to a file (creating its folder) or, for `-`, to stdout. */
export function writeOutput(target: string, text: string): void {
    if (target === "-") {
        process.stdout.write(text);
        return;
    }
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    fs.writeFileSync(target, text);
}

/**
 * Colour for the text report: `--no-color` always wins; then, as Node.js does, `FORCE_COLOR` (any value
 * but `0`/`false` forces colour, those two disable it) takes precedence over `NO_COLOR` (any non-empty
 * value disables it, no-color.org); otherwise colour only on a terminal.
 */
export function useColor(noColorFlag: boolean, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
    if (noColorFlag) return false;
    const force = env.FORCE_COLOR;
    if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
    return isTTY;
}

export interface PlanFailure {
    /** `usage` (the command line), `plan input` (files the plan was pointed at), `config` (stack config), `program` (the program threw). */
    kind: "usage" | "plan input" | "config" | "program";
    message: string;
    problems: { path: string; message: string }[];
}

/** A failure as exit 2 reports it; problems come from errors that list them (`problems` or SDK `errors`). */
export function describeFailure(e: unknown): PlanFailure {
    const err = (e ?? {}) as Error & { problems?: unknown; errors?: unknown };
    const problems: PlanFailure["problems"] = [];
    const list = Array.isArray(err.problems) ? err.problems : Array.isArray(err.errors) ? err.errors : [];
    for (const p of list as Record<string, unknown>[]) {
        if (!p || typeof p !== "object") continue;
        const at = p.path ?? p.propertyPath;
        const what = p.message ?? p.reason;
        if (what !== undefined) problems.push({ path: Array.isArray(at) ? at.join(".") : String(at ?? ""), message: String(what) });
    }
    const kind = e instanceof PlanInputError ? "plan input" : err?.name === "ConfigError" ? "config" : "program";
    return { kind, message: err instanceof Error ? err.message : String(e), problems };
}

/** The `--json` target of a command line that may not have parsed. */
export function jsonTarget(argv: string[]): string | undefined {
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--json" && i + 1 < argv.length) return argv[i + 1];
        if (argv[i].startsWith("--json=")) return argv[i].slice("--json=".length);
    }
    return undefined;
}

/** On exit 2 the `--json` document is `{ "error": { kind, message, problems } }`. */
export function writeErrorJson(target: string | undefined, failure: PlanFailure): void {
    if (!target) return;
    try {
        writeOutput(target, `${JSON.stringify({ error: failure }, null, 2)}\n`);
    } catch (e) {
        process.stderr.write(`error: cannot write ${target}: ${(e as Error).message}\n`);
    }
}

import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";

/** Loading a program as Pulumi's Node.js language host would: its own packages first, TypeScript stripped. */

const ENGINE_NODE_MODULES = path.resolve(__dirname, "..", "node_modules");

/** Makes the engine's own packages the last resort for a program without its own node_modules. */
export function addFallbackNodePath(): void {
    const current = (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean);
    if (!current.includes(ENGINE_NODE_MODULES) && fs.existsSync(ENGINE_NODE_MODULES)) {
        process.env.NODE_PATH = [...current, ENGINE_NODE_MODULES].join(path.delimiter);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("node:module") as { Module: { _initPaths(): void } }).Module._initPaths();
    }
}

/** Registers TypeScript loading (types stripped, never checked: that is `tsc --noEmit`'s job) unless present. */
export function ensureTypeScript(): void {
    if (!require.extensions[".ts"]) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("./register.js");
    }
}

/** Resolves the program's own copy of a package (its node_modules, then NODE_PATH, then ours). */
export function programRequire(dir: string): NodeJS.Require {
    return createRequire(path.join(dir, "__offline_plan__.js"));
}

/**
 * Forgets a program's own modules (its entry and what it loaded outside node_modules) so that a second
 * run in the same process runs the program again, as a fresh `pulumi up` would, instead of getting
 * the first run's cached exports. Packages stay loaded.
 */
export function forgetProgramModules(main: string): void {
    const seen = new Set<string>();
    const visit = (m: NodeJS.Module | undefined) => {
        if (!m || seen.has(m.id) || m.filename.split(path.sep).includes("node_modules")) return;
        seen.add(m.id);
        for (const child of m.children) visit(child);
    };
    visit(require.cache[main]);
    for (const id of seen) delete require.cache[id];
}

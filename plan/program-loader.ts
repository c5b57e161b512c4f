import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

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

/** Modules (outside node_modules) first loaded while a program ran: its own code, dropped before the next run. */
const programModules = new Set<string>();

/**
 * Forgets a program's own modules (its entry and what a previous run loaded outside node_modules) so
 * that a second run in the same process runs the program again, as a fresh `pulumi up` would, instead
 * of getting the first run's cached exports. Packages stay loaded, and so do modules the host process
 * had loaded itself before any run (a test's own imports keep their identity: `instanceof` still holds).
 */
export function forgetProgramModules(main: string): void {
    delete require.cache[main];
    for (const id of programModules) delete require.cache[id];
    programModules.clear();
}

/** Remembers which modules a run loaded for the first time (see `forgetProgramModules`). */
function rememberProgramModules(before: Set<string>): void {
    for (const id of Object.keys(require.cache)) {
        if (!before.has(id) && !id.split(path.sep).includes("node_modules")) programModules.add(id);
    }
}

let esmHooks = false;
/** Registers the ES module hooks (TypeScript sources, `.js` specifiers naming `.ts` files) once. */
function ensureEsmHooks(): void {
    if (esmHooks) return;
    esmHooks = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { register } = require("node:module") as { register?: (specifier: string, parentURL: string) => void };
    if (typeof register === "function") {
        register(pathToFileURL(path.join(__dirname, "esm-hooks.mjs")).href, pathToFileURL(__filename).href);
    }
}

let cjsFallback = false;
/**
 * In CommonJS programs too, `require("./x.js")` of a `x.ts` source resolves to it, as TypeScript's
 * module resolution allows (programs written for ESM output, compiled as CommonJS by Pulumi).
 */
function ensureCommonJsTsFallback(): void {
    if (cjsFallback) return;
    cjsFallback = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require("node:module") as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _extensions: Record<string, unknown> };
    const original = Module._resolveFilename;
    Module._resolveFilename = function (request: string, ...rest: unknown[]) {
        try {
            return original.call(this, request, ...rest);
        } catch (e) {
            const m = /^(\.{1,2}\/.*)\.(c?js)$/.exec(request);
            if (!m) throw e;
            for (const ext of m[2] === "cjs" ? [".cts"] : [".ts", ".tsx"]) {
                try {
                    return original.call(this, m[1] + ext, ...rest);
                } catch {
                    // try the next extension
                }
            }
            throw e;
        }
    };
    for (const ext of [".cts", ".tsx"]) {
        if (!Module._extensions[ext] && Module._extensions[".ts"]) Module._extensions[ext] = Module._extensions[".ts"];
    }
}

/** Whether a program's entry is an ES module (`.mjs`/`.mts`, or `.js`/`.ts` in a `"type": "module"` package). */
export function isEsmEntry(main: string): boolean {
    if (/\.m[jt]s$/.test(main)) return true;
    if (/\.c[jt]s$/.test(main)) return false;
    for (let dir = path.dirname(main); ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
            } catch {
                return false;
            }
        }
        if (path.dirname(dir) === dir) return false;
    }
}

/**
 * Prepares loading before the run changes directory: the module-hooks thread starts with this
 * process's `-r` preloads, which may be relative to the directory we were started in.
 */
export function prepareLoading(main: string): void {
    if (/\.[cm]?tsx?$/.test(main)) ensureTypeScript();
    ensureCommonJsTsFallback();
    if (isEsmEntry(main)) ensureEsmHooks();
}

let esmRuns = 0;
/** Loads the program's entry as Pulumi's Node.js language host does: `import()` for ES modules, else `require`. */
export async function loadProgram(main: string): Promise<unknown> {
    prepareLoading(main);
    if (isEsmEntry(main)) {
        // A fresh URL per run, so a second run in one process runs the program again.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const importEsm = require("./esm-import.js") as (url: string) => Promise<unknown>;
        return importEsm(`${pathToFileURL(main).href}?run=${++esmRuns}`);
    }
    forgetProgramModules(main);
    const before = new Set(Object.keys(require.cache));
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(main);
    } finally {
        rememberProgramModules(before);
    }
}

/**
 * What Pulumi runs of a loaded program: the module itself when it is a function, its default export
 * when that is a function (a transpiled or native ES module), else nothing (the module ran on load).
 */
export function programEntry(mod: unknown): (() => unknown) | undefined {
    if (typeof mod === "function") return mod as () => unknown;
    if (mod === null || typeof mod !== "object") return undefined;
    const m = mod as { default?: unknown; __esModule?: boolean };
    return typeof m.default === "function" && (m.__esModule || isModuleNamespace(mod)) ? (m.default as () => unknown) : undefined;
}

/** An ES module namespace object (what `import()` returns). */
export function isModuleNamespace(mod: unknown): boolean {
    return typeof mod === "object" && mod !== null && Object.prototype.toString.call(mod) === "[object Module]";
}

type SdkState = { getStore?: () => { settings?: { options?: Record<string, unknown> }; pendingResourceRegistrations?: Map<unknown, { name?: string; type?: string; label?: string }> } };

/**
 * Hands the program what the engine gives it and the mocks of older SDKs do not set: organization and
 * project root directory (`getOrganization()`, `getRootDirectory()`), where this SDK has them.
 */
export function setEngineSettings(settings: Record<string, unknown>, state: SdkState | undefined, values: { organization: string; rootDirectory: string }): void {
    const setOrg = settings._setOrganization;
    if (typeof setOrg === "function") setOrg(values.organization);
    const options = state?.getStore?.().settings?.options;
    if (options) {
        options.organization = values.organization;
        options.rootDirectory = values.rootDirectory;
    }
    // SDKs that read their settings from the environment.
    process.env.PULUMI_NODEJS_ORGANIZATION = values.organization;
    process.env.PULUMI_NODEJS_ROOT_DIRECTORY = values.rootDirectory;
}

/** Registrations the SDK has started and not finished (SDKs that track them), as `"name" [type]`. */
export function pendingRegistrations(state: SdkState | undefined): string[] {
    const pending = state?.getStore?.().pendingResourceRegistrations;
    if (!pending) return [];
    return [...pending.values()].map((r) => (r.name && r.type ? `"${r.name}" [${r.type}]` : String(r.label ?? "?")));
}

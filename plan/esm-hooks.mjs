/**
 * Node.js module hooks for programs written as ES modules, as Pulumi runs them: TypeScript sources
 * (`.ts` in a `"type": "module"` package, `.mts`) have their types stripped by sucrase (never
 * checked), and relative `.js`/`.mjs`/`.cjs` specifiers that name a `.ts`/`.mts`/`.cts` source resolve
 * to it, as TypeScript's own module resolution does. CommonJS TypeScript stays with the CommonJS loader
 * (plan/register.js). Registered by plan/program-loader.ts with `module.register`.
 */
import { readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import sucrase from "sucrase";

const TS_FOR = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"] };

/** The engine's own packages, the last resort for a program without its node_modules (as NODE_PATH is for CommonJS). */
const ENGINE_PARENT = new URL("../package.json", import.meta.url).href;

export async function resolve(specifier, context, next) {
    try {
        return await next(specifier, context);
    } catch (e) {
        if (e && e.code === "ERR_MODULE_NOT_FOUND" && /^(@[^./][^/]*\/)?[^./][^/]*/.test(specifier) && !specifier.startsWith("node:") && context.parentURL !== ENGINE_PARENT) {
            try {
                return await next(specifier, { ...context, parentURL: ENGINE_PARENT });
            } catch {
                throw e;
            }
        }
        const m = /^(\.{1,2}\/.*|file:.*)(\.m?js|\.cjs)$/.exec(specifier);
        if (!m || (e && e.code !== "ERR_MODULE_NOT_FOUND")) throw e;
        for (const ext of TS_FOR[m[2]]) {
            try {
                return await next(m[1] + ext, context);
            } catch {
                // try the next extension
            }
        }
        throw e;
    }
}

const typeCache = new Map();
/** The `type` of the nearest package.json above a file. */
function packageType(file) {
    let dir = dirname(file);
    const seen = [];
    for (;;) {
        if (typeCache.has(dir)) break;
        seen.push(dir);
        const pkg = join(dir, "package.json");
        if (existsSync(pkg)) {
            let type = "commonjs";
            try {
                type = JSON.parse(readFileSync(pkg, "utf8")).type === "module" ? "module" : "commonjs";
            } catch {
                // an unreadable package.json: CommonJS, as Node assumes
            }
            typeCache.set(dir, type);
            break;
        }
        const parent = dirname(dir);
        if (parent === dir) {
            typeCache.set(dir, "commonjs");
            break;
        }
        dir = parent;
    }
    const type = typeCache.get(dir);
    for (const d of seen) typeCache.set(d, type);
    return type;
}

export async function load(url, context, next) {
    const m = /\.(m|c)?tsx?$/.exec(url.split("?")[0]);
    if (!m || !url.startsWith("file:")) return next(url, context);
    const file = fileURLToPath(url);
    const format = m[1] === "m" ? "module" : m[1] === "c" ? "commonjs" : packageType(file);
    if (format !== "module") return { format: "commonjs", shortCircuit: true };
    const source = sucrase.transform(await readFile(file, "utf8"), { transforms: ["typescript"], filePath: file, keepUnusedImports: false, disableESTransforms: true }).code;
    return { format: "module", source, shortCircuit: true };
}

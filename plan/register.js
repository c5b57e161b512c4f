"use strict";
/**
 * Fast TypeScript loading for the offline plan and the tests (`node -r ./plan/register.js …`).
 *
 * Type-checking is `tsc --noEmit`'s job, done once; at run time TypeScript only needs its types
 * stripped. Sucrase does that in pure JavaScript and keeps line numbers, so stack traces point at
 * the right lines. Transpiled files are cached on disk by content hash (set OFFLINE_PLAN_NO_CACHE=1
 * to bypass the cache). V8 code caching through v8-compile-cache was measured and left out: it
 * replaces `require` and breaks Node's `require()` of ES modules, which programs may rely on.
 */
const fs = require("node:fs");
const path = require("node:path");
const os = require("node:os");
const crypto = require("node:crypto");

const noCache = process.env.OFFLINE_PLAN_NO_CACHE === "1";

const sucraseVersion = require("sucrase/package.json").version;
let cacheDir;
if (!noCache) {
    for (const candidate of [path.join(__dirname, "..", "node_modules", ".cache", "offline-plan"), path.join(os.tmpdir(), "offline-plan-cache")]) {
        try {
            fs.mkdirSync(candidate, { recursive: true });
            fs.accessSync(candidate, fs.constants.W_OK);
            cacheDir = candidate;
            break;
        } catch {
            // try the next place
        }
    }
}

let transform;
/** Strips types and turns ES imports into CommonJS, as `tsc` would with esModuleInterop. */
function transpile(source, filename) {
    transform ??= require("sucrase").transform;
    return transform(source, { transforms: ["typescript", "imports"], filePath: filename, keepUnusedImports: false }).code;
}

function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    let code;
    const key = cacheDir && path.join(cacheDir, `${crypto.createHash("sha1").update(`${sucraseVersion}\0${filename}\0${source}`).digest("hex")}.js`);
    if (key) {
        try {
            code = fs.readFileSync(key, "utf8");
        } catch {
            // not cached yet
        }
    }
    if (code === undefined) {
        code = transpile(source, filename);
        if (key) {
            try {
                fs.writeFileSync(`${key}.${process.pid}`, code);
                fs.renameSync(`${key}.${process.pid}`, key);
            } catch {
                // a read-only cache only costs speed
            }
        }
    }
    module._compile(code, filename);
}

if (!require.extensions[".ts"]) {
    require.extensions[".ts"] = compileTs;
}

module.exports = { transpile };

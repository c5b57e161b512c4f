"use strict";
/**
 * Fast TypeScript loading for the offline plan and the tests (`node -r ./plan/register.js …`).
 *
 * Type-checking is `tsc --noEmit`'s job, done once; at run time TypeScript only needs its types
 * stripped. Sucrase does that in pure JavaScript and keeps line numbers, so stack traces point at
 * the right lines. Transpiled files are cached on disk by content hash.
 *
 * Compiling the ~1,800 CommonJS modules a plan loads (the Pulumi SDK alone brings ~1,400) is the
 * largest cost after the SDK's own work, and Node 20 has no built-in compile cache (Node 22's
 * `module.enableCompileCache` is the same idea). So CommonJS modules are compiled through `vm.Script`
 * with V8's code cache, keyed by a hash of their full source (V8 itself only checks the length).
 * Anything else — ES modules, `require()` of ES modules, sources V8 will not compile as a script —
 * goes through Node's own loader unchanged. The package `v8-compile-cache` was tried first and left
 * out: it replaces `require` and breaks `require()` of ES modules.
 *
 * OFFLINE_PLAN_NO_CACHE=1 bypasses both caches.
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
/**
 * Strips types and turns ES imports into CommonJS, as `tsc` would with esModuleInterop. Modern syntax
 * (`?.`, `??`, class fields) stays native, as tsc emits it for the ES2020+ targets Pulumi programs
 * use: functions Pulumi serializes (Lambda callbacks) then carry no sucrase helpers.
 */
const OPTIONS = { transforms: ["typescript", "imports"], keepUnusedImports: false, disableESTransforms: true };
function transpile(source, filename) {
    transform ??= require("sucrase").transform;
    return transform(source, { ...OPTIONS, filePath: filename }).code;
}

function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    let code;
    const key = cacheDir && path.join(cacheDir, `${crypto.createHash("sha1").update(`${sucraseVersion}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`).digest("hex")}.js`);
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

/** V8 code cache for CommonJS modules (see the header). */
function enableCodeCache(dir) {
    const vm = require("node:vm");
    const Module = require("node:module");
    const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if (!dynamicImport || Module.prototype._compile.__offlinePlanCodeCache) {
        return; // a Node without the main-context loader for import(), or already enabled
    }
    const codeDir = path.join(dir, `v8-${process.version}-${process.arch}`);
    try {
        fs.mkdirSync(codeDir, { recursive: true });
    } catch {
        return;
    }
    const originalCompile = Module.prototype._compile;
    const toWrite = [];
    function compile(content, filename, format) {
        // Dynamic import() in a script compiled with cached data loses its import callback (the
        // module would fail with "A dynamic import callback was not specified"): Node compiles those.
        if (format === "module" || typeof content !== "string" || content.includes("import(")) {
            return originalCompile.call(this, content, filename, format);
        }
        const key = path.join(codeDir, crypto.createHash("sha1").update(filename).update("\0").update(content).digest("hex"));
        let cachedData;
        try {
            cachedData = fs.readFileSync(key);
        } catch {
            // first time this source is seen
        }
        let script;
        try {
            script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: dynamicImport });
        } catch {
            // ES module syntax in a .js file, or a genuine syntax error: Node's loader handles and reports it.
            return originalCompile.call(this, content, filename, format);
        }
        if (cachedData === undefined || script.cachedDataRejected) {
            toWrite.push([key, script]);
        }
        const mod = this;
        const localRequire = function require(id) {
            return mod.require(id);
        };
        localRequire.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
        localRequire.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
        localRequire.main = require.main;
        localRequire.extensions = Module._extensions;
        localRequire.cache = Module._cache;
        const fn = script.runInThisContext({ displayErrors: true });
        return fn.call(mod.exports, mod.exports, localRequire, mod, filename, path.dirname(filename));
    }
    compile.__offlinePlanCodeCache = true;
    Module.prototype._compile = compile;
    // Written at exit, after the run: the cache then holds the functions V8 compiled lazily too.
    process.once("exit", () => {
        for (const [key, script] of toWrite) {
            try {
                fs.writeFileSync(key, script.createCachedData());
            } catch {
                // a read-only cache only costs speed
            }
        }
    });
}

if (cacheDir) {
    enableCodeCache(cacheDir);
}

module.exports = { transpile };

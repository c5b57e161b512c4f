"use strict";
/**
 * Installs each SDK-matrix fixture (test/fixtures/sdk-matrix/<name>, its own pinned @pulumi/pulumi and
 * committed lockfile) into node_modules/.cache/sdk-matrix/<name> with `npm ci --ignore-scripts`: only
 * the SDK and its dependencies, no provider plugins. Skips a fixture whose lockfile is unchanged since
 * its last install. Outside CI an install failure (e.g. no registry) is reported and the matrix then
 * skips; with CI=true it fails.
 */
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "test", "fixtures", "sdk-matrix");
const CACHE = path.join(REPO, "node_modules", ".cache", "sdk-matrix");
const ci = process.env.CI === "true";

let failed = false;
for (const name of fs.readdirSync(FIXTURES).sort()) {
    const src = path.join(FIXTURES, name);
    const dest = path.join(CACHE, name);
    const lock = fs.readFileSync(path.join(src, "package-lock.json"), "utf8");
    const stamp = path.join(dest, ".installed-lock");
    fs.mkdirSync(dest, { recursive: true });
    for (const file of fs.readdirSync(src)) fs.copyFileSync(path.join(src, file), path.join(dest, file));
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === lock && fs.existsSync(path.join(dest, "node_modules", "@pulumi", "pulumi"))) {
        console.log(`sdk-matrix: ${name} already installed`);
        continue;
    }
    console.log(`sdk-matrix: installing ${name} (npm ci --ignore-scripts) into ${path.relative(REPO, dest)}`);
    const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dest, stdio: "inherit" });
    if (r.status === 0) {
        fs.writeFileSync(stamp, lock);
    } else {
        failed = true;
        console.error(`sdk-matrix: could not install ${name} (npm ci exited ${r.status})`);
    }
}
if (failed && ci) process.exit(1);

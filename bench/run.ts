/**
 * `npm run bench`: the offline plan's speed, measured side by side in one run, medians of several
 * repetitions. A benchmark, not a test: it asserts nothing and prints numbers to compare.
 *   1. the prod plan against the floor (node loading @pulumi/pulumi and @pulumi/aws, nothing else);
 *   2. plans of synthetic catalogs of 10 and 100 applications: time and peak memory;
 *   3. the policy pack alone over synthetic stacks of 1,000 and 10,000 resources;
 *   4. the test suite's wall time.
 * Options: --reps N (default 5), --skip-tests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { evaluatePolicies, loadPolicyPack } from "../plan/policy-pack";
import { syntheticStack } from "./synthetic-stack";
import { syntheticApplications } from "./synthetic-catalog";

const REPO = path.resolve(__dirname, "..");
const REGISTER = path.join(REPO, "plan", "register.js");
const RUSAGE = path.join(REPO, "bench", "rusage.js");

const { values } = parseArgs({ options: { reps: { type: "string" }, "skip-tests": { type: "boolean" } } });
const REPS = Math.max(1, Number(values.reps ?? 5));

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

interface Timed {
    ms: number;
    rssKiB: number;
}

/** Runs a command to completion; fails loudly if it fails, since a failed run measures nothing. */
function run(cmd: string, args: string[], opts: { env?: Record<string, string>; okCodes?: number[] } = {}): Timed {
    const rusageFile = path.join(os.tmpdir(), `bench-rusage-${process.pid}`);
    fs.rmSync(rusageFile, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: REPO, encoding: "utf8", env: { ...process.env, ...opts.env, BENCH_RUSAGE_FILE: rusageFile }, maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!(opts.okCodes ?? [0]).includes(r.status ?? -1)) {
        throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
    }
    const rss = fs.existsSync(rusageFile) ? Number(fs.readFileSync(rusageFile, "utf8")) : NaN;
    return { ms, rssKiB: rss };
}

function section(title: string) {
    console.log(`\n== ${title}`);
}

async function main() {
    console.log(`offline plan benchmark: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${REPS} repetitions, medians`);

    // 1. prod plan vs the floor, interleaved so both see the same machine state.
    section("1. prod plan vs floor (node loading @pulumi/pulumi + @pulumi/aws)");
    const floorArgs = ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws");'];
    const planArgs = ["--max-semi-space-size=16", "-r", REGISTER, "plan/cli.ts", "--stack", "prod", "--no-color"];
    run(process.execPath, planArgs); // warm the caches: every later run on a machine finds them
    const floor: number[] = [];
    const plan: number[] = [];
    const npmPlan: number[] = [];
    for (let i = 0; i < REPS; i++) {
        floor.push(run(process.execPath, floorArgs).ms);
        plan.push(run(process.execPath, planArgs).ms);
        npmPlan.push(run("npm", ["run", "--silent", "plan", "--", "--stack", "prod", "--no-color"]).ms);
    }
    const cold = run(process.execPath, planArgs, { env: { OFFLINE_PLAN_NO_CACHE: "1" } }).ms;
    console.log(`floor                               ${fmt(median(floor))}`);
    console.log(`plan (node … plan/cli.ts)           ${fmt(median(plan))}   ratio ${(median(plan) / median(floor)).toFixed(2)}x`);
    console.log(`npm run plan -- --stack prod        ${fmt(median(npmPlan))}   ratio ${(median(npmPlan) / median(floor)).toFixed(2)}x (npm's own start-up included)`);
    console.log(`plan without the transpile cache    ${fmt(cold)} (one run)`);

    // 2. synthetic catalogs.
    section("2. synthetic catalogs (prod stack config with N applications)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-catalog-"));
    const prod = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: platform\nruntime: nodejs\nmain: ${JSON.stringify(path.join(REPO, "index.ts"))}\n`);
    // The program runs in its project folder, where the catalog's bundle paths (apps/hello) resolve.
    fs.symlinkSync(path.join(REPO, "apps"), path.join(dir, "apps"), "dir");
    const catalog: Record<number, Timed> = {};
    for (const n of [10, 100]) {
        const config = { ...prod.config, "platform:applications": syntheticApplications(n) };
        fs.writeFileSync(path.join(dir, `Pulumi.apps${n}.yaml`), YAML.stringify({ config }));
        const args = ["--max-semi-space-size=16", "-r", REGISTER, "-r", RUSAGE, "plan/cli.ts", "--stack", `apps${n}`, "--program", dir, "--no-color", "--json", path.join(dir, `apps${n}.json`)];
        const runs = Array.from({ length: Math.min(REPS, 3) }, () => run(process.execPath, args));
        const resources = (JSON.parse(fs.readFileSync(path.join(dir, `apps${n}.json`), "utf8")) as { summary: { resources: number } }).summary.resources;
        catalog[n] = { ms: median(runs.map((r) => r.ms)), rssKiB: Math.max(...runs.map((r) => r.rssKiB)) };
        console.log(`${String(n).padStart(3)} applications: ${String(resources).padStart(5)} resources   ${fmt(catalog[n].ms)}   peak ${(catalog[n].rssKiB / 1024).toFixed(0)} MiB`);
    }
    console.log(`ratio 100 / 10: time ${(catalog[100].ms / catalog[10].ms).toFixed(1)}x, memory ${(catalog[100].rssKiB / catalog[10].rssKiB).toFixed(1)}x`);
    fs.rmSync(dir, { recursive: true, force: true });

    // 3. the policy pack alone.
    section("3. policy pack alone over synthetic stacks");
    const pack = loadPolicyPack(path.join(REPO, "policies"));
    const packTimes: Record<number, number> = {};
    for (const size of [1000, 10000]) {
        const resources = syntheticStack(size);
        await evaluatePolicies(pack, resources.slice(0, 200)); // warm-up
        const times: number[] = [];
        let mandatory = 0;
        for (let i = 0; i < REPS; i++) {
            const start = process.hrtime.bigint();
            const result = await evaluatePolicies(pack, resources);
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
            mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
        }
        packTimes[size] = median(times);
        console.log(`${String(size).padStart(6)} resources: ${fmt(packTimes[size])} for ${pack.policies.length} policies (${mandatory} mandatory violations)`);
    }
    console.log(`ratio 10,000 / 1,000: ${(packTimes[10000] / packTimes[1000]).toFixed(1)}x (linear: 10x)`);

    // 4. the test suite.
    section("4. test suite");
    if (values["skip-tests"]) {
        console.log("skipped (--skip-tests)");
    } else {
        const mocha = run(process.execPath, [path.join(REPO, "node_modules", "mocha", "bin", "mocha.js")]);
        console.log(`mocha (the suite, transpile-only)   ${fmt(mocha.ms)}`);
        const full = run("npm", ["test", "--silent"]);
        console.log(`npm test (tsc --noEmit + mocha)     ${fmt(full.ms)}`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});

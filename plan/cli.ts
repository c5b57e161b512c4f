import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readJsonFile, runPlan, PlanInputError } from "./index";
import { renderReport } from "./report";

const USAGE = `usage: npm run plan -- --stack <name> [options]

Runs a Pulumi TypeScript/JavaScript program offline under AWS-shaped mocks, records every resource,
evaluates a CrossGuard policy pack in-process, prints a report and exits
  0  no mandatory violation
  1  at least one mandatory violation
  2  usage, config or program error

options:
  --stack <name>               stack to plan (reads Pulumi.<name>.yaml)              (required)
  --program <dir>              Pulumi project directory                        (default: this repo)
  --json <file>                also write the plan as JSON (the machine contract)
  --policy-pack <dir>          CrossGuard pack to evaluate                 (default: ./policies here)
  --policy-pack-config <file>  pack config, as pulumi preview --policy-pack-config
  --no-policies                skip policy evaluation
  --stack-outputs <file>       JSON {"org/project/stack": {outputs}} for StackReferences
  --preview                    plan as pulumi preview of a new stack: ids, ARNs and outputs unknown
  --typecheck                  type-check a TypeScript program with its own tsconfig.json first (errors: exit 2)
  --timeout <seconds>          bound on the program run; a run that does not settle exits 2  (default: 300)
  --stack-traces               keep stack traces while the program runs (slower; to debug a program that throws)
  --timings                    print how long each phase took (to stderr)
  --no-color                   plain report
  -h, --help                   this help`;

const REPO = path.resolve(__dirname, "..");

function seconds(text: string): number {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new PlanInputError(`--timeout must be a positive number of seconds, not '${text}'`);
    return n * 1000;
}

async function main(argv: string[]): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                program: { type: "string" },
                json: { type: "string" },
                "policy-pack": { type: "string" },
                "policy-pack-config": { type: "string" },
                "no-policies": { type: "boolean" },
                "stack-outputs": { type: "string" },
                "no-color": { type: "boolean" },
                "stack-traces": { type: "boolean" },
                preview: { type: "boolean" },
                timeout: { type: "string" },
                typecheck: { type: "boolean" },
                timings: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (e) {
        process.stderr.write(`error: ${(e as Error).message}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!values.stack) {
        process.stderr.write(`error: --stack is required\n\n${USAGE}\n`);
        return 2;
    }
    try {
        const packDir = values["no-policies"] ? undefined : path.resolve(values["policy-pack"] ?? path.join(REPO, "policies"));
        if (packDir && !fs.existsSync(packDir)) {
            throw new PlanInputError(`policy pack directory ${packDir} does not exist`);
        }
        const result = await runPlan({
            programDir: path.resolve(values.program ?? REPO),
            stack: values.stack,
            policyPackDir: packDir,
            policyConfig: values["policy-pack-config"] ? readJsonFile<Record<string, unknown>>(values["policy-pack-config"], "policy pack config") : undefined,
            stackOutputs: values["stack-outputs"] ? readJsonFile<Record<string, Record<string, unknown>>>(values["stack-outputs"], "stack outputs") : undefined,
            stackTraces: values["stack-traces"],
            preview: values.preview,
            typecheck: values.typecheck,
            settleTimeoutMs: values.timeout === undefined ? undefined : seconds(values.timeout),
        });
        if (values.json) {
            fs.mkdirSync(path.dirname(path.resolve(values.json)), { recursive: true });
            fs.writeFileSync(values.json, `${JSON.stringify(result.json, null, 2)}\n`);
        }
        process.stdout.write(`${renderReport(result, { color: !values["no-color"] && process.stdout.isTTY === true })}\n`);
        if (values.timings) {
            const t = { ...result.timings, report: Math.round(performance.now()) };
            let last = 0;
            const phases = Object.entries(t).map(([phase, at]) => {
                const line = `${phase.padEnd(9)} ${String(at - last).padStart(6)} ms  (at ${at} ms)`;
                last = at;
                return line;
            });
            process.stderr.write(`timings since process start:\n  ${phases.join("\n  ")}\n`);
        }
        return result.exitCode;
    } catch (e) {
        const err = e as Error & { errors?: { propertyPath: string; reason: string }[] };
        const kind = e instanceof PlanInputError ? "plan input" : err?.name === "ConfigError" ? "config" : "program";
        process.stderr.write(`error (${kind}): ${err?.message ?? String(e)}\n`);
        // Type errors and unsettled runs carry their whole cause in the message.
        if (kind === "program" && !err.errors && err?.name !== "TypeCheckError" && err?.name !== "PlanUnsettledError") {
            const frames = err?.stack?.split("\n").slice(1, 6) ?? [];
            process.stderr.write(frames.length > 0 ? `${frames.join("\n")}\n` : "(run again with --stack-traces to see where it was thrown)\n");
        }
        return 2;
    }
}

// If the event loop drains before a verdict (a promise that never settles after the program run, e.g.
// in a policy), Node would exit 0: a silent pass. Exit 2 instead, saying so.
let finished = false;
process.on("exit", () => {
    if (!finished) {
        process.stderr.write("error: the plan ended without a verdict: a promise never settled (no report was produced)\n");
        process.exitCode = 2;
    }
});

main(process.argv.slice(2)).then(
    (code) => {
        finished = true;
        process.exit(code);
    },
    (e) => {
        finished = true;
        process.stderr.write(`error: ${String(e)}\n`);
        process.exit(2);
    },
);

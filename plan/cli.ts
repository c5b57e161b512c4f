import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readJsonFile, runPlan, PlanInputError } from "./index";
import { renderReport } from "./report";
import type { CostEstimate } from "./cost";
import { describeFailure, jsonTarget, useColor, writeErrorJson, writeOutput } from "./cli-io";
import type * as Baseline from "./diff/baseline";
import type * as Cost from "./cost";
import type * as Diagram from "./diagram";
import type * as Markdown from "./markdown";
import type * as Sarif from "./sarif";
import type * as Sections from "./sections";

// The report writers a run asks for are loaded when it asks for them: a plain plan does not pay for them.
/* eslint-disable @typescript-eslint/no-require-imports */
const markdown = () => require("./markdown") as typeof Markdown;
const sections = () => require("./sections") as typeof Sections;
const sarif = () => require("./sarif") as typeof Sarif;
const diagram = () => require("./diagram") as typeof Diagram;
const cost = () => require("./cost") as typeof Cost;
/* eslint-enable @typescript-eslint/no-require-imports */

const USAGE = `usage: npm run plan -- --stack <name> [options]

Runs a Pulumi TypeScript/JavaScript program offline under AWS-shaped mocks, records every resource,
evaluates a CrossGuard policy pack in-process, prints a report and exits
  0  no mandatory violation
  1  at least one mandatory violation
  2  usage, config or program error

options:
  --stack <name>               stack to plan (reads Pulumi.<name>.yaml)              (required)
  --program <dir>              Pulumi project directory                        (default: this repo)
  --json <file|->              also write the plan as JSON (the machine contract); - for stdout.
                               On exit 2 it holds {"error": {"kind", "message", "problems"}}
  --markdown <file|->          also write the report as markdown for a pull-request comment or
                               job summary; - for stdout
  --markdown-limit <chars>     cut the markdown to fit this many characters  (default: 65536)
  --artifact <text>            where the full report is, named where markdown is cut
  --sarif <file>               also write the violations as SARIF 2.1.0 for code scanning
  --diagram <file|->           also write a Mermaid diagram of the stack
  --baseline <plan.json>       compare with an earlier plan JSON (e.g. the base branch's): what is
                               added, changed, replaced, removed; replacing or removing a stateful
                               resource fails a production stack
  --allow-replace <name>       acknowledge replacing or removing this resource (logical name; repeatable)
  --production, --no-production
                               treat the stack as production or not        (default: prod, prod-*)
  --policy-pack <dir>          CrossGuard pack to evaluate                 (default: ./policies here)
  --policy-pack-config <file>  pack config, as pulumi preview --policy-pack-config
  --no-policies                skip policy evaluation
  --stack-outputs <file>       JSON {"org/project/stack": {outputs}} for StackReferences
  --preview                    plan as pulumi preview of a new stack: ids, ARNs and outputs unknown
  --typecheck                  type-check a TypeScript program with its own tsconfig.json first (errors: exit 2)
  --timeout <seconds>          bound on the program run; a run that does not settle exits 2  (default: 300)
  --stack-traces               keep stack traces while the program runs (slower; to debug a program that throws)
  --timings                    print how long each phase took (to stderr)
  --no-color                   plain report (also NO_COLOR=1; FORCE_COLOR=1 forces colour)
  -h, --help                   this help

With --json -, --markdown - or --diagram -, stdout holds only that document and the text report goes to stderr.`;

const REPO = path.resolve(__dirname, "..");

function usageError(message: string, argv: string[]): number {
    process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
    writeErrorJson(jsonTarget(argv), { kind: "usage", message, problems: [] });
    return 2;
}

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
                diagram: { type: "string" },
                markdown: { type: "string" },
                "markdown-limit": { type: "string" },
                artifact: { type: "string" },
                sarif: { type: "string" },
                baseline: { type: "string" },
                "allow-replace": { type: "string", multiple: true },
                production: { type: "boolean" },
                "no-production": { type: "boolean" },
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
        return usageError((e as Error).message, argv);
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!values.stack) return usageError("--stack is required", argv);
    const onStdout = (["json", "markdown", "diagram"] as const).filter((k) => values[k] === "-");
    if (onStdout.length > 1) return usageError(`${onStdout.map((k) => `--${k} -`).join(" and ")} cannot all use stdout: give files to all but one`, argv);
    // Unset: the markdown writer's default, GitHub's comment limit.
    const limit = values["markdown-limit"] === undefined ? undefined : Number(values["markdown-limit"]);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1000)) return usageError("--markdown-limit must be a whole number of characters, at least 1000", argv);

    // stdout carries one machine document when asked (`-`); the human report then goes to stderr.
    const stdoutTaken = [values.json, values.markdown, values.diagram].includes("-");
    const reportStream = stdoutTaken ? process.stderr : process.stdout;
    const color = useColor(values["no-color"] === true, reportStream.isTTY === true, process.env);
    try {
        const packDir = values["no-policies"] ? undefined : path.resolve(values["policy-pack"] ?? path.join(REPO, "policies"));
        if (packDir && !fs.existsSync(packDir)) {
            throw new PlanInputError(`policy pack directory ${packDir} does not exist`);
        }
        const programDir = path.resolve(values.program ?? REPO);
        // Read before the run: a missing baseline is an input error and should not cost a program run.
        // Loaded only with --baseline, so a plain plan does not pay for it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const diffing = values.baseline ? (require("./diff/baseline") as typeof Baseline) : undefined;
        const baselineRaw = values.baseline ? readJsonFile<Record<string, unknown>>(values.baseline, "baseline plan") : undefined;
        const baseline = values.baseline && baselineRaw && diffing ? diffing.parseBaseline(baselineRaw, values.baseline) : undefined;
        const result = await runPlan({
            programDir,
            stack: values.stack,
            policyPackDir: packDir,
            policyConfig: values["policy-pack-config"] ? readJsonFile<Record<string, unknown>>(values["policy-pack-config"], "policy pack config") : undefined,
            stackOutputs: values["stack-outputs"] ? readJsonFile<Record<string, Record<string, unknown>>>(values["stack-outputs"], "stack outputs") : undefined,
            stackTraces: values["stack-traces"],
            preview: values.preview,
            typecheck: values.typecheck,
            settleTimeoutMs: values.timeout === undefined ? undefined : seconds(values.timeout),
        });
        if (baseline && diffing) {
            const diff = diffing.diffAgainstBaseline(result.json, baseline, {
                allowReplace: values["allow-replace"],
                production: values.production ? true : values["no-production"] ? false : undefined,
            });
            result.json.diff = diff;
            if (diff.guard.mandatory > 0) result.exitCode = 1;
            const baseCost = baselineRaw?.cost as CostEstimate | undefined;
            if (result.json.cost && baseCost?.byApplication) result.json.cost.delta = cost().costDelta(baseCost, result.json.cost);
        }
        if (values.json) writeOutput(values.json, `${JSON.stringify(result.json, null, 2)}\n`);
        if (values.markdown) {
            const readFile = (file: string) => {
                try {
                    return fs.readFileSync(path.resolve(result.project.dir, file), "utf8");
                } catch {
                    return undefined;
                }
            };
            writeOutput(values.markdown, markdown().renderMarkdown(result.json as never, { limit, artifact: values.artifact, readFile, sections: sections().extraSections(result.json as never) }));
        }
        if (values.diagram) writeOutput(values.diagram, diagram().renderMermaid({ region: result.json.region, resources: result.json.resources }));
        if (values.sarif) {
            const rules = (result.pack?.policies ?? []).map((p) => ({ name: p.name, description: p.description, enforcementLevel: p.enforcementLevel ?? result.pack?.enforcementLevel }));
            const pack = result.pack ? { name: result.pack.name, version: result.pack.version } : undefined;
            writeOutput(values.sarif, `${JSON.stringify(sarif().renderSarif(result.json as never, { rules, programDir: result.project.dir, pack }), null, 2)}\n`);
        }
        reportStream.write(`${renderReport(result, { color })}\n`);
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
        const failure = describeFailure(e);
        process.stderr.write(`error (${failure.kind}): ${failure.message}\n`);
        // Type errors and unsettled runs carry their whole cause in the message.
        if (failure.kind === "program" && failure.problems.length === 0) {
            const frames = (e as Error)?.stack?.split("\n").slice(1, 6) ?? [];
            process.stderr.write(frames.length > 0 ? `${frames.join("\n")}\n` : "(run again with --stack-traces to see where it was thrown)\n");
        }
        writeErrorJson(values.json, failure);
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
        writeErrorJson(jsonTarget(process.argv.slice(2)), describeFailure(e));
        process.exit(2);
    },
);

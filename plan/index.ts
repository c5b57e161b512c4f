import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePolicies, loadPolicyPack, AnalyzedResource, PolicyConfigFile, PolicyEvaluation, LoadedPolicyPack } from "./policy-pack";
import { loadProject, loadStackConfig, ProjectInfo, StackConfig } from "./project";
import { ProgramRun, runProgram } from "./program";
import { PlanInputError } from "./errors";
import { estimateCost, loadPriceTable } from "./cost";
import { attachSources } from "./source";

export { PlanInputError } from "./errors";

export interface PlanOptions {
    /** The Pulumi project directory. */
    programDir: string;
    stack: string;
    /** The CrossGuard pack directory; none to skip policies. */
    policyPackDir?: string;
    /** Parsed `--policy-pack-config` contents. */
    policyConfig?: PolicyConfigFile;
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Keep stack traces while the program runs (slower; for debugging a program that throws). */
    stackTraces?: boolean;
    /** Plan as `pulumi preview` of a new stack would: nothing a provider computes is known. */
    preview?: boolean;
}

export interface PlanResult {
    project: ProjectInfo;
    stackConfig: StackConfig;
    run: ProgramRun;
    pack?: LoadedPolicyPack;
    evaluation?: PolicyEvaluation;
    /** The plan JSON (see contract.ts). */
    json: Record<string, any>;
    exitCode: 0 | 1;
    /** Milliseconds since process start at the end of each phase. */
    timings: Record<string, number>;
}

const sinceStart = () => Math.round(performance.now());

/** Reads a JSON file given on the command line, failing as an input error. */
export function readJsonFile<T = unknown>(file: string, what: string): T {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    } catch (e) {
        throw new PlanInputError(`cannot read ${what} ${file}: ${(e as Error).message}`);
    }
}

/** Turns the recorded run into what the analyzer would receive. */
export function toAnalyzed(run: ProgramRun): AnalyzedResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    return run.resources.map((r) => {
        const prov = r.provider ? byUrn.get(r.provider.urn) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            serializedInputs: run.internals.get(r.urn)?.serializedInputs ?? {},
            options: {
                protect: r.options.protect === true,
                ignoreChanges: (r.options.ignoreChanges as string[] | undefined) ?? [],
                deleteBeforeReplace: r.options.deleteBeforeReplace as boolean | undefined,
                additionalSecretOutputs: (r.options.additionalSecretOutputs as string[] | undefined) ?? [],
            },
            parent: r.parent,
            provider: prov ? { urn: prov.urn, type: prov.type, name: prov.name, serializedInputs: run.internals.get(prov.urn)?.serializedInputs ?? {} } : null,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            id: r.id,
            custom: r.custom,
            read: r.operation === "read",
        };
    });
}

/** Loads, runs and judges a program for one stack. Throws on input or program errors (exit 2). */
export async function runPlan(opts: PlanOptions): Promise<PlanResult> {
    const timings: Record<string, number> = { start: sinceStart() };
    const project = loadProject(path.resolve(opts.programDir));
    const stackConfig = loadStackConfig(project, opts.stack);
    timings.config = sinceStart();
    // Load the pack first: a broken pack is an input error and should not cost a program run.
    const pack = opts.policyPackDir ? loadPolicyPack(opts.policyPackDir) : undefined;
    timings.pack = sinceStart();
    const run = await runProgram({ project, stack: opts.stack, config: stackConfig, stackOutputs: opts.stackOutputs, stackTraces: opts.stackTraces, preview: opts.preview });
    timings.program = sinceStart();
    const stackTags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) stackTags["pulumi:description"] = project.description;
    const evaluation = pack ? await evaluatePolicies(pack, toAnalyzed(run), { config: opts.policyConfig, stackTags }) : undefined;
    timings.policies = sinceStart();

    const violations = evaluation?.violations ?? [];
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = violations.length - mandatory;
    const notes = [...stackConfig.notes, ...run.notes];
    for (const r of run.resources) {
        if (r.remote) {
            notes.push(`${r.type} '${r.name}' is a remote (multi-language) component: offline it is one resource with no children; its outputs are mocked, and what it creates is not visible to policies`);
        }
    }
    if (!pack) notes.push("no policy pack evaluated");
    const json = {
        project: run.project,
        stack: run.stack,
        region: run.region,
        mode: run.preview ? "preview" : "plan",
        resources: run.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            parent: r.parent,
            provider: r.provider,
            id: r.id,
            inputs: r.inputs,
            options: r.options,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            operation: r.operation,
            ...(r.remote ? { remote: true } : {}),
            ...(r.synthesized ? { synthesized: true } : {}),
        })),
        outputs: run.outputs,
        violations: violations.map((v) => ({ ...v })),
        policyPack: pack ? { name: pack.name, version: pack.version, policies: pack.policies.length, notApplicable: evaluation?.notApplicable.length ?? 0 } : null,
        invokes: run.invokes,
        notes,
        summary: { resources: run.resources.length, mandatory, advisory },
    };
    Object.assign(json, { cost: estimateCost(json, loadPriceTable()) });
    attachSources(json, { programDir: project.dir, stackFile: stackConfig.file });
    timings.json = sinceStart();
    return { project, stackConfig, run, pack, evaluation, json, exitCode: mandatory > 0 ? 1 : 0, timings };
}

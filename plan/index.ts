import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePolicies, loadPolicyPack, AnalyzedResource, PolicyConfigFile, PolicyEvaluation, LoadedPolicyPack } from "./policy-pack";
import { loadProject, loadStackConfig, ProjectInfo, StackConfig } from "./project";
import { ProgramRun, runProgram } from "./program";
import { PlanInputError } from "./errors";
import { estimateCost, loadPriceTable } from "./cost";
import { attachSources } from "./source";
import { ownersOf } from "./ownership";
import { buildPlanDocument, PlanDocument } from "./plan-document";
import { typeCheckProgram, TypeCheckError } from "./typecheck";

export { PlanInputError } from "./errors";
export type { PlanDocument, PlanDocumentResource, PlanDocumentViolation } from "./plan-document";

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
    /** Bound on the program run in ms; past it (or when nothing left could settle it) the plan fails with exit 2. */
    settleTimeoutMs?: number;
    /** Type-check a TypeScript program with its own tsconfig.json first; type errors fail the plan (exit 2). */
    typecheck?: boolean;
}

export interface PlanResult {
    project: ProjectInfo;
    stackConfig: StackConfig;
    run: ProgramRun;
    pack?: LoadedPolicyPack;
    evaluation?: PolicyEvaluation;
    /** The plan JSON, typed (the contract.ts fields plus the documented extras). */
    document: PlanDocument;
    /** The same object as `document`, loosely typed for existing callers. */
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
    if (opts.typecheck && /\.[cm]?tsx?$/.test(project.main)) {
        const messages = typeCheckProgram(project.dir, project.main);
        if (messages.length > 0) throw new TypeCheckError(`the program does not type-check:\n${messages.join("\n")}`);
        timings.typecheck = sinceStart();
    }
    const run = await runProgram({ project, stack: opts.stack, config: stackConfig, stackOutputs: opts.stackOutputs, stackTraces: opts.stackTraces, preview: opts.preview, settleTimeoutMs: opts.settleTimeoutMs });
    timings.program = sinceStart();
    const stackTags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) stackTags["pulumi:description"] = project.description;
    const evaluation = pack ? await evaluatePolicies(pack, toAnalyzed(run), { config: opts.policyConfig, stackTags }) : undefined;
    timings.policies = sinceStart();

    const notes = [...stackConfig.notes, ...run.notes];
    for (const r of run.resources) {
        if (r.remote) {
            notes.push(`${r.type} '${r.name}' is a remote (multi-language) component: offline it is one resource with no children; its outputs are mocked, and what it creates is not visible to policies`);
        }
    }
    if (!pack) notes.push("no policy pack evaluated");
    const document = buildPlanDocument(run, pack, evaluation, notes);
    // Ownership (application, environment, service) is computed once for the cost and the sources.
    const owners = ownersOf(document.resources);
    document.cost = estimateCost(document, loadPriceTable(), owners);
    attachSources(document, { programDir: project.dir, stackFile: stackConfig.file, owners });
    timings.json = sinceStart();
    return { project, stackConfig, run, pack, evaluation, document, json: document, exitCode: document.summary.mandatory > 0 ? 1 : 0, timings };
}

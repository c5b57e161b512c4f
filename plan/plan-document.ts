import type { LoadedPolicyPack, PolicyEvaluation, PolicyViolation } from "./policy-pack";
import type { ProgramRun, RecordedResource } from "./program";
import type { CostDelta, CostEstimate } from "./cost";
import type { PlanDiff } from "./diff";

/**
 * The plan JSON as `runPlan` returns it: the fields `contract.ts` fixes (never renamed) plus the ones
 * the README lists as extra. `inputs`, `options` and `outputs` are the program's own shapes.
 */
export type PlanDocumentResource = Omit<RecordedResource, "inputs" | "options" | "remote" | "synthesized" | "sourcePosition"> & {
    inputs: Record<string, any>;
    options: Record<string, any>;
    /** Present only when true, to keep the JSON small. */
    remote?: true;
    synthesized?: true;
    /** Where the program built it, when the SDK reported it. */
    sourcePosition?: { uri: string; line: number };
};

/** A violation as the pack's evaluation reports it (`error`: the policy threw, counted as mandatory). */
export type PlanDocumentViolation = PolicyViolation;

export interface PlanDocument {
    project: string;
    stack: string;
    region: string | null;
    /** `preview`: planned as the first deployment of a new stack (nothing a provider computes is known). */
    mode: "plan" | "preview";
    resources: PlanDocumentResource[];
    outputs: Record<string, any>;
    violations: PlanDocumentViolation[];
    policyPack: { name: string; version: string; policies: number; notApplicable: number } | null;
    /** Invoke tokens the program called, with how often. */
    invokes: Record<string, number>;
    /** Invoke tokens the offline plan has no answer for, answered as unknown. */
    unansweredInvokes: string[];
    notes: string[];
    summary: { resources: number; mandatory: number; advisory: number };
    /** The monthly cost estimate (`plan/cost`); with `--baseline`, its change as `delta`. */
    cost?: CostEstimate & { delta?: CostDelta };
    /** With `--baseline`: what changes against the baseline plan (`plan/diff`). */
    diff?: PlanDiff;
}

/** Builds the plan JSON from a run and its evaluation; `notes` come first (config, then the run's). */
export function buildPlanDocument(run: ProgramRun, pack: LoadedPolicyPack | undefined, evaluation: PolicyEvaluation | undefined, notes: string[]): PlanDocument {
    const violations = evaluation?.violations ?? [];
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
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
            ...(r.remote ? { remote: true as const } : {}),
            ...(r.synthesized ? { synthesized: true as const } : {}),
            ...(r.sourcePosition ? { sourcePosition: r.sourcePosition } : {}),
        })),
        outputs: run.outputs,
        violations: violations.map((v) => ({ ...v })),
        policyPack: pack ? { name: pack.name, version: pack.version, policies: pack.policies.length, notApplicable: evaluation?.notApplicable.length ?? 0 } : null,
        invokes: run.invokes,
        unansweredInvokes: run.unansweredInvokes,
        notes,
        summary: { resources: run.resources.length, mandatory, advisory: violations.length - mandatory },
    };
}

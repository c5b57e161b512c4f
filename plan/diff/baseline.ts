import { PlanInputError } from "../errors";
import { planSchema, PlanJson } from "../contract";
import { computeDiff, PlanDiff } from "./index";
import { isProductionStack } from "./stateful";

/**
 * The command line's side of `--baseline`: the baseline file's contents checked against the plan
 * contract (before the program runs), then the diff of the new plan against it, the stack judged
 * production by `--production` / `--no-production`, else by its name.
 */

/** The baseline plan, or an input error (exit 2) naming what is wrong with it. */
export function parseBaseline(raw: unknown, file: string): PlanJson {
    const base = planSchema.safeParse(raw);
    if (!base.success) {
        const problems = base.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
        throw new PlanInputError(`baseline ${file} is not a plan JSON (as written by --json): ${problems.join("; ")}`);
    }
    return base.data;
}

export function diffAgainstBaseline(head: Record<string, unknown>, base: PlanJson, opts: { allowReplace?: string[]; production?: boolean }): PlanDiff {
    const plan = head as unknown as PlanJson;
    return computeDiff(base, plan, { allowReplace: opts.allowReplace, production: opts.production ?? isProductionStack(plan.stack) });
}

import * as path from "node:path";
import { runPlan, PlanResult } from "../../plan/index";
import { Recorded } from "./harness";

/**
 * The platform's own stacks, planned exactly as `npm run plan -- --stack <s>` does (program and
 * policy pack), once per test run and per stack: every test file that needs the dev or prod plan
 * shares the same result instead of planning the whole platform again.
 */

export const REPO = path.resolve(__dirname, "..", "..");

const plans = new Map<string, Promise<PlanResult>>();

/**
 * The plan of one of the repository's stacks (`dev`, `prod`), computed on first use; with `preview`,
 * planned as `pulumi preview` of a new stack (nothing a provider computes is known).
 */
export function stackPlan(stack: string, opts: { preview?: boolean } = {}): Promise<PlanResult> {
    const key = `${stack}${opts.preview ? " (preview)" : ""}`;
    let found = plans.get(key);
    if (!found) {
        found = runPlan({ programDir: REPO, stack, policyPackDir: path.join(REPO, "policies"), preview: opts.preview });
        plans.set(key, found);
    }
    return found;
}

/** The recorded resources of a stack's plan, with the harness's lookups. */
export async function recordedStack(stack: string): Promise<Recorded> {
    return new Recorded((await stackPlan(stack)).run);
}

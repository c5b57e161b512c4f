import * as path from "node:path";
import { runPlan, PlanResult } from "../../plan/index";

export const REPO = path.resolve(__dirname, "..", "..");

let dev: Promise<PlanResult> | undefined;
/** The dev stack's plan with the platform's pack, run once for all gate tests. */
export function devPlan(): Promise<PlanResult> {
    dev ??= runPlan({ programDir: REPO, stack: "dev", policyPackDir: path.join(REPO, "policies") });
    return dev;
}

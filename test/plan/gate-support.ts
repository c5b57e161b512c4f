import { PlanResult } from "../../plan/index";
import { REPO, stackPlan } from "../support/stack-plans";

export { REPO };

/** The dev stack's plan with the platform's pack, shared with every test that needs it. */
export function devPlan(): Promise<PlanResult> {
    return stackPlan("dev");
}

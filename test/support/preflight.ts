import * as path from "node:path";
import { ConfigError } from "../../config";
import { preflightProblems } from "../../platform";
import { loadProject } from "../../plan/project";
import { ProgramRun, runProgram } from "../../plan/program";

/** The preflight and the whole program run on a test config, as tests of config problems need them. */

export const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
export const REPO = path.resolve(__dirname, "..", "..");

/** The problems `fn` throws as a ConfigError, as `path: message`; none when it does not throw. */
export function configProblems(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    return [];
}

/** Every problem the stack's one preflight finds in a config, as `path: message`. */
export function preflightFindings(values: Record<string, string>, stack = "test"): string[] {
    return preflightProblems(values, "platform", stack, ZONES, REPO).problems.map((p) => `${p.path}: ${p.message}`);
}

/** Runs the platform's program (index.ts) on a config under the plan's mocks; what it threw, if anything, and what it registered. */
export async function runPlatform(values: Record<string, string>): Promise<{ run: ProgramRun; caught: unknown }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../index") as () => Promise<unknown>;
    let caught: unknown;
    const run = await runProgram({
        project: loadProject(REPO),
        stack: "test",
        config: { file: "Pulumi.test.yaml", config: values, secretKeys: [], notes: [] },
        entry: async () => {
            try {
                return await program();
            } catch (e) {
                caught = e;
                return {};
            }
        },
    });
    return { run, caught };
}

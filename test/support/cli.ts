import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";

/** The offline plan's command line, run as `npm run plan` runs it (no colour settings inherited). */
const REPO = path.resolve(__dirname, "..", "..");
const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...plainEnv } = process.env;
const command = (args: string[]) => ["-r", path.join(REPO, "plan", "register.js"), path.join(REPO, "plan", "cli.ts"), ...args];

export interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the plan CLI and waits for it. */
export function planCli(...args: string[]): CliRun {
    const r = spawnSync(process.execPath, command(args), { cwd: REPO, encoding: "utf8", env: plainEnv });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the plan CLI without blocking, so that several runs of one test overlap. */
export function planCliAsync(...args: string[]): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, command(args), { cwd: REPO, env: plainEnv });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

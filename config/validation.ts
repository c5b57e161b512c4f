import { z } from "zod";

/**
 * Turns zod issues into `path: message` lines, with paths written the way a user types them in
 * `pulumi config set --path` (`applications[2].environments[0].mode`).
 */
export function formatIssuePath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
    let out = prefix;
    for (const part of path) {
        if (typeof part === "number") {
            out += `[${part}]`;
        } else {
            out += out === "" || out.endsWith(":") ? String(part) : `.${String(part)}`;
        }
    }
    return out;
}

export interface ConfigProblem {
    path: string;
    message: string;
}

/** Flattens zod issues (including unknown keys, reported one per key) into problems with config paths. */
export function issuesToProblems(prefix: string, issues: ReadonlyArray<z.core.$ZodIssue>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                problems.push({
                    path: formatIssuePath(prefix, [...issue.path, key]),
                    message: "unknown key (a typo?); remove it or check the documented keys",
                });
            }
            continue;
        }
        if (issue.code === "invalid_union" && issue.errors.length > 0) {
            // Report the branch that got furthest instead of a bare "invalid input".
            const best = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
            problems.push(...issuesToProblems(prefix, best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
            continue;
        }
        problems.push({ path: formatIssuePath(prefix, issue.path), message: issue.message });
    }
    return problems;
}

/** Thrown when stack config is invalid; lists every problem with its config path. */
export class ConfigError extends Error {
    constructor(readonly source: string, readonly problems: ConfigProblem[]) {
        super(
            `invalid configuration in ${source} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}


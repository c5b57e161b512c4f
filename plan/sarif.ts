import { createHash } from "node:crypto";
import * as path from "node:path";

/**
 * The plan's violations as SARIF 2.1.0 for GitHub code scanning: the pack's policies as `rules`, one
 * `result` per violation (`error` when mandatory, `warning` when advisory) located at the file and
 * line it was traced to (see source.ts). Paths are relative to `root` (the repository checkout), as
 * code scanning expects. A violation not traced to a line is reported at the project file's first
 * line, and says so.
 */

export interface SarifRule {
    name: string;
    description?: string;
    enforcementLevel?: string;
}

export interface SarifOptions {
    /** The pack's policies, in pack order. */
    rules: SarifRule[];
    /** The planned project's directory (violations' `source.file` is relative to it). */
    programDir: string;
    /** Directory paths in the SARIF are relative to. Defaults to the current directory. */
    root?: string;
    /** The pack's name and version, for the tool driver. */
    pack?: { name: string; version: string };
}

interface SarifPlan {
    project: string;
    stack: string;
    violations: {
        policy: string;
        enforcementLevel: "mandatory" | "advisory";
        urn: string | null;
        message: string;
        source?: { file: string | null; line: number | null; path: string | null };
        owner?: { application?: string };
    }[];
}

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

const levelOf = (enforcement: string | undefined) => (enforcement === "mandatory" ? "error" : enforcement === "disabled" ? "none" : "warning");

export function renderSarif(plan: SarifPlan, opts: SarifOptions): Record<string, unknown> {
    const root = path.resolve(opts.root ?? process.cwd());
    const rel = (file: string) => path.relative(root, path.resolve(opts.programDir, file)).split(path.sep).join("/");
    const rules = [...opts.rules];
    // A violation of a policy the pack did not list (a policy that threw, an old plan) still gets a rule.
    for (const v of plan.violations) if (!rules.some((r) => r.name === v.policy)) rules.push({ name: v.policy });
    const ruleIndex = new Map(rules.map((r, i) => [r.name, i]));

    const results = plan.violations.map((v) => {
        const traced = v.source?.file && v.source.line;
        const file = traced ? rel(v.source!.file!) : rel("Pulumi.yaml");
        const where = v.source?.path ? ` [${v.source.path}${v.owner?.application ? `, application ${v.owner.application}` : ""}]` : "";
        const note = traced ? "" : " (not traced to a line: reported at the project file)";
        return {
            ruleId: v.policy,
            ruleIndex: ruleIndex.get(v.policy),
            level: levelOf(v.enforcementLevel),
            message: { text: `${v.message.trim()}${where}${note}` },
            locations: [
                {
                    physicalLocation: { artifactLocation: { uri: file, uriBaseId: "%SRCROOT%" }, region: { startLine: traced ? v.source!.line! : 1 } },
                    ...(v.urn || v.source?.path ? { logicalLocations: [{ fullyQualifiedName: v.source?.path ?? v.urn!, kind: "resource" }] } : {}),
                },
            ],
            partialFingerprints: { "planViolation/v1": createHash("sha256").update(`${plan.stack}\0${v.policy}\0${v.urn ?? ""}`).digest("hex").slice(0, 32) },
            properties: { urn: v.urn, enforcementLevel: v.enforcementLevel },
        };
    });

    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: opts.pack ? opts.pack.name : "offline-plan",
                        ...(opts.pack ? { version: opts.pack.version } : {}),
                        rules: rules.map((r) => ({
                            id: r.name,
                            name: r.name,
                            shortDescription: { text: r.description ?? r.name },
                            fullDescription: { text: r.description ?? r.name },
                            defaultConfiguration: { level: levelOf(r.enforcementLevel) },
                        })),
                    },
                },
                automationDetails: { id: `offline-plan/${plan.project}/${plan.stack}/` },
                results,
            },
        ],
    };
}

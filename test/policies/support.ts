import * as path from "node:path";
import { AnalyzedResource, LoadedPolicyPack, PolicyConfigFile, PolicyViolation, evaluatePolicies, loadPolicyPack } from "../../plan/policy-pack";
import { toAnalyzed } from "../../plan/index";
import { ProjectInfo } from "../../plan/project";
import { runProgram } from "../../plan/program";
import { recordStack } from "../support/harness";
import type { SpecOf, Token } from "./spec-types";

export type { Props, SpecOf, Token } from "./spec-types";

/** The unknown sentinel: a value (id, ARN) not known until the update, as in a real `pulumi preview`. */
export const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

let cached: LoadedPolicyPack | undefined;
/** The pack exactly as the offline plan loads it (policies/index.ts with PolicyPack intercepted). */
export function pack(): LoadedPolicyPack {
    cached ??= loadPolicyPack(path.resolve(__dirname, "..", "..", "policies"));
    return cached;
}

/**
 * A resource in compact form. `deps` maps a property to the NAMES of the resources it depends on
 * (names are unique within a fixture); `parent` is a name too. A union over the type tokens of
 * `spec-types.ts`, so `props` (and the keys of `deps`) are checked against the resource's Args: a
 * misspelt property or an unknown token fails to compile. `Spec<typeof SG>` narrows to one type.
 */
export type Spec<T extends Token = Token> = { [K in T]: SpecOf<K> }[T];

export const urnOf = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::platform::${type}::${name}`;

/** Builds what the analyzer receives from compact specs. */
export function analyzed(specs: Spec[], stack = "test"): AnalyzedResource[] {
    const urns = new Map<string, string>();
    for (const s of specs) {
        if (urns.has(s.name)) throw new Error(`fixture names must be unique: ${s.name}`);
        urns.set(s.name, urnOf(stack, s.type, s.name));
    }
    const urn = (n: string) => {
        const u = urns.get(n);
        if (!u) throw new Error(`fixture refers to unknown resource ${n}`);
        return u;
    };
    return specs.map((s) => {
        const pd: Record<string, string[]> = {};
        for (const [k, names] of Object.entries(s.deps ?? {})) pd[k] = names.map(urn);
        return {
            urn: urn(s.name),
            type: s.type,
            name: s.name,
            serializedInputs: JSON.parse(JSON.stringify(s.props ?? {})),
            options: { protect: s.protect },
            parent: s.parent ? urn(s.parent) : null,
            provider: null,
            dependencies: [...new Set(Object.values(pd).flat())],
            propertyDependencies: pd,
            id: null,
            custom: !s.type.startsWith("awsx:") && !s.type.startsWith("platform:"),
            read: s.read,
        };
    });
}

export interface EvalOptions {
    stack?: string;
    /** The `--policy-pack-config` contents. */
    policyConfig?: PolicyConfigFile;
    /** Only these policies (default: all). */
    only?: string[];
}

async function run(resources: AnalyzedResource[], opts: EvalOptions): Promise<PolicyViolation[]> {
    const p = pack();
    const subset = opts.only ? { ...p, policies: p.policies.filter((x) => opts.only!.includes(x.name)) } : p;
    if (opts.only && subset.policies.length !== opts.only.length) throw new Error(`no such policy among ${opts.only.join(", ")}`);
    const result = await evaluatePolicies(subset, resources, { config: opts.policyConfig });
    return result.violations;
}

/** Evaluates policies on a compact resource set. */
export function evaluate(specs: Spec[], opts: EvalOptions = {}): Promise<PolicyViolation[]> {
    return run(analyzed(specs, opts.stack ?? "test"), opts);
}

/** Runs `build` as a small program through the offline plan's engine, then evaluates the policies on what it registered. */
export async function evaluateProgram(build: () => unknown, opts: EvalOptions = {}): Promise<PolicyViolation[]> {
    const rec = await recordStack(build, { stack: opts.stack ?? "test" });
    return run(toAnalyzed(rec.run), opts);
}

/** `policy: message` lines, for readable assertion failures. */
export const lines = (vs: PolicyViolation[]) => vs.map((v) => `${v.enforcementLevel} ${v.policy}: ${v.message}`);
export const mandatory = (vs: PolicyViolation[]) => vs.filter((v) => v.enforcementLevel === "mandatory");

/**
 * The two conditions a team's program is judged in: `offline` (the plan, `pulumi up`: ids known) and
 * `preview` (a real `pulumi preview` of a new stack: every id, ARN and endpoint unknown, known only
 * through `propertyDependencies`).
 */
export type PlanMode = "offline" | "preview";
export const MODES: PlanMode[] = ["offline", "preview"];

/** Runs a small program in one mode and evaluates the pack (or `opts.only`) on what it registered. */
export async function evaluateProgramIn(mode: PlanMode, build: () => unknown, opts: EvalOptions = {}): Promise<PolicyViolation[]> {
    const stack = opts.stack ?? "test";
    const project: ProjectInfo = { dir: path.resolve(__dirname, "..", ".."), name: "platform", runtime: "nodejs", main: "(inline)", configDefaults: {} };
    const config = { file: "(test)", config: { "aws:region": "us-east-1" }, secretKeys: [], notes: [] };
    const result = await runProgram({ project, stack, config, entry: build, preview: mode === "preview" });
    return run(toAnalyzed(result), opts);
}

/** `policy resource-name` of each mandatory violation: "caught by the right rule naming the right resource". */
export const caught = (vs: PolicyViolation[]) => mandatory(vs).map((v) => `${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}`);

/**
 * One test per mode for a small program: `check` receives the violations of the whole pack (or
 * `opts.only`) and the mode, so every fixture is proven with ids known and unknown.
 */
export function forBothModes(title: string, build: () => unknown, check: (vs: PolicyViolation[], mode: PlanMode) => void, opts: EvalOptions = {}): void {
    for (const mode of MODES) {
        it(`${title} [${mode}]`, async () => check(await evaluateProgramIn(mode, build, opts), mode));
    }
}

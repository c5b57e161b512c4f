import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type { EnforcementLevel, Policy, PolicyPackArgs, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PlanInputError } from "./errors";

// Loading here; config resolution and evaluation in their own modules, re-exported for existing callers.
export { resolvePolicyConfig } from "./policy-config";
export type { PolicyConfigFile, ResolvedPolicyConfig } from "./policy-config";
export { evaluatePolicies, effectiveLevel } from "./policy-evaluation";
export type { AnalyzedResource, PolicyViolation, PolicyEvaluation } from "./policy-evaluation";

/**
 * Loads a CrossGuard policy pack for in-process evaluation, the way `@pulumi/policy`'s
 * own analyzer server builds them (server.js: `makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun`,
 * `makeRemediateRpcFun`), without constructing `PolicyPack` (which would start a gRPC server).
 */

export interface LoadedPolicyPack {
    dir: string;
    name: string;
    version: string;
    enforcementLevel: EnforcementLevel;
    policies: Policy[];
    initialConfig?: PolicyPackConfig;
    /** The pack's own copy of @pulumi/policy internals, for deserializing props as its server would. */
    runtime: PolicyRuntime;
}

export interface PolicyRuntime {
    deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
    unknownCheckingProxy<T>(o: T): T;
    UnknownValueError: new (...args: never[]) => Error;
    isResourcePolicy(p: Policy): p is ResourceValidationPolicy;
    isStackPolicy(p: Policy): p is StackValidationPolicy;
    getPulumiType(o: unknown): string | undefined;
    specialSigKey: string;
    specialResourceSig: string;
    specialOutputValueSig: string;
    unknownValue: string;
}

/**
 * Loads the pack in `dir` by running its entry module with `PolicyPack` replaced by a recorder, so
 * any CrossGuard pack (ours or a team's) can be evaluated without serving it.
 */
export function loadPolicyPack(dir: string): LoadedPolicyPack {
    const abs = path.resolve(dir);
    const pkgFile = path.join(abs, "package.json");
    if (!fs.existsSync(pkgFile)) {
        throw new PlanInputError(`policy pack ${abs} has no package.json (a CrossGuard pack needs one with a version)`);
    }
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version?: string; main?: string };
    const req = createRequire(path.join(abs, "__offline_plan__.js"));
    let policyModule: Record<string, unknown>;
    try {
        policyModule = req("@pulumi/policy/policy");
    } catch (e) {
        throw new PlanInputError(`cannot load @pulumi/policy for the pack in ${abs}: ${(e as Error).message}`);
    }
    const captured: { name: string; args: PolicyPackArgs; initialConfig?: PolicyPackConfig }[] = [];
    const original = policyModule.PolicyPack;
    policyModule.PolicyPack = class RecordedPolicyPack {
        constructor(name: string, args: PolicyPackArgs, initialConfig?: PolicyPackConfig) {
            captured.push({ name, args, initialConfig });
        }
    };
    try {
        const entry = req.resolve(pkg.main ? path.resolve(abs, pkg.main) : abs);
        // The entry constructs the pack as a side effect: load it afresh each time.
        delete require.cache[entry];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(entry);
    } finally {
        policyModule.PolicyPack = original;
    }
    if (captured.length !== 1) {
        throw new PlanInputError(`policy pack ${abs} must construct exactly one PolicyPack when loaded (found ${captured.length})`);
    }
    const [{ name, args, initialConfig }] = captured;
    const deserialize = req("@pulumi/policy/deserialize");
    const proxy = req("@pulumi/policy/proxy");
    const rpc = req("@pulumi/pulumi/runtime/rpc");
    return {
        dir: abs,
        name,
        version: pkg.version ?? "0.0.0",
        enforcementLevel: args.enforcementLevel ?? "advisory",
        policies: args.policies ?? [],
        initialConfig,
        runtime: {
            deserializeProperties: deserialize.deserializeProperties,
            unknownCheckingProxy: proxy.unknownCheckingProxy,
            UnknownValueError: proxy.UnknownValueError,
            isResourcePolicy: policyModule.isResourcePolicy as PolicyRuntime["isResourcePolicy"],
            isStackPolicy: policyModule.isStackPolicy as PolicyRuntime["isStackPolicy"],
            getPulumiType: policyModule.getPulumiType as PolicyRuntime["getPulumiType"],
            specialSigKey: rpc.specialSigKey,
            specialResourceSig: rpc.specialResourceSig,
            specialOutputValueSig: rpc.specialOutputValueSig,
            unknownValue: rpc.unknownValue,
        },
    };
}


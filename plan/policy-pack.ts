import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type {
    EnforcementLevel,
    Policy,
    PolicyPackArgs,
    PolicyPackConfig,
    PolicyResource,
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PlanInputError } from "./errors";

/**
 * Evaluates a CrossGuard policy pack in-process, with arguments shaped exactly as `@pulumi/policy`'s
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

interface PolicyRuntime {
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

/** The `--policy-pack-config` file: `{ "all": level, "<policy>": level | { enforcementLevel?, ...props } }`. */
export type PolicyConfigFile = Record<string, unknown>;

export interface ResolvedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Resolves each policy's config as the CLI does: schema defaults, then the pack's initial config,
 * then the config file; `all` sets the enforcement level of every policy, a policy's own entry wins.
 */
export function resolvePolicyConfig(pack: Pick<LoadedPolicyPack, "policies" | "initialConfig">, file: PolicyConfigFile = {}): Map<string, ResolvedPolicyConfig> {
    // As the CLI does: a config entry for a policy the pack does not have is an error (a typo would
    // otherwise silently leave the policy at its default level).
    const known = new Set(pack.policies.map((p) => p.name));
    const unknown = Object.keys(file).filter((k) => k !== "all" && !known.has(k));
    if (unknown.length > 0) {
        throw new PlanInputError(`the policy pack config names ${unknown.length === 1 ? "a policy" : "policies"} the pack does not have: ${unknown.join(", ")} (its policies: ${[...known].join(", ")})`);
    }
    const out = new Map<string, ResolvedPolicyConfig>();
    const split = (v: unknown): ResolvedPolicyConfig => {
        if (typeof v === "string") return { enforcementLevel: v as EnforcementLevel, properties: {} };
        if (v && typeof v === "object") {
            const { enforcementLevel, ...properties } = v as Record<string, unknown>;
            return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        }
        return { properties: {} };
    };
    const initial = (pack.initialConfig ?? {}) as Record<string, unknown>;
    const allLevel = split(file.all ?? initial.all).enforcementLevel;
    for (const p of pack.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            const d = (schema as { default?: unknown }).default;
            if (d !== undefined) defaults[k] = d;
        }
        const fromInitial = split(initial[p.name]);
        const fromFile = split(file[p.name]);
        out.set(p.name, {
            enforcementLevel: fromFile.enforcementLevel ?? fromInitial.enforcementLevel ?? allLevel,
            properties: { ...defaults, ...fromInitial.properties, ...fromFile.properties },
        });
    }
    return out;
}

/** A resource as the analyzer receives it. */
export interface AnalyzedResource {
    urn: string;
    type: string;
    name: string;
    /** Inputs in wire form (secret/resource/output signatures, unknown sentinels). */
    serializedInputs: Record<string, unknown>;
    options: { protect?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean; aliases?: string[]; additionalSecretOutputs?: string[]; parent?: string };
    parent: string | null;
    provider: { urn: string; type: string; name: string; serializedInputs: Record<string, unknown> } | null;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** The id the engine would substitute for references to this resource. */
    id: string | null;
    custom: boolean;
    /** A read of an existing resource (`.get()`, stack references): not created by the program. */
    read?: boolean;
}

export interface PolicyViolation {
    policy: string;
    policyPack: string;
    enforcementLevel: "mandatory" | "advisory";
    urn: string | null;
    message: string;
    /** The policy threw: the verdict is unknown, so it counts as mandatory. */
    error?: boolean;
}

export interface PolicyEvaluation {
    violations: PolicyViolation[];
    notApplicable: { policy: string; reason: string }[];
    policies: number;
}

/** Enforcement level of a policy as the server resolves it: config, then the policy's, then the pack's. */
export function effectiveLevel(p: Policy, pack: Pick<LoadedPolicyPack, "enforcementLevel">, config?: ResolvedPolicyConfig): EnforcementLevel {
    return config?.enforcementLevel || p.enforcementLevel || pack.enforcementLevel || "advisory";
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

function freezeMap(map: Map<string, string>): ReadonlyMap<string, string> {
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as unknown as ReadonlyMap<string, string>;
}

/**
 * Evaluates every policy of the pack: resource policies on each resource, stack policies on the set,
 * remediations whose fix would change a resource (unapplied offline, so mandatory).
 */
export async function evaluatePolicies(
    pack: LoadedPolicyPack,
    resources: AnalyzedResource[],
    opts: { config?: PolicyConfigFile; stackTags?: Record<string, string> } = {},
): Promise<PolicyEvaluation> {
    const rt = pack.runtime;
    const config = resolvePolicyConfig(pack, opts.config);
    const stackTags = freezeMap(new Map(Object.entries(opts.stackTags ?? {})));
    const violations: PolicyViolation[] = [];
    const notApplicable: { policy: string; reason: string }[] = [];
    const idOf = new Map(resources.map((r) => [r.urn, r.id ?? r.urn]));

    // The engine downgrades resource references to ids (custom) or URNs (components) for analyzers.
    const downgrade = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(downgrade);
        if (v !== null && typeof v === "object") {
            const o = v as Record<string, unknown>;
            const sig = o[rt.specialSigKey];
            if (sig === rt.specialResourceSig) return typeof o.id === "string" && o.id !== "" ? o.id : idOf.get(String(o.urn)) ?? o.urn;
            if (sig === rt.specialOutputValueSig) return "value" in o ? downgrade(o.value) : rt.unknownValue;
            const out: Record<string, unknown> = {};
            for (const [k, x] of Object.entries(o)) out[k] = downgrade(x);
            return out;
        }
        return v;
    };
    // Each resource's inputs are deserialized once and shared by every policy, each use behind a fresh
    // unknown-checking proxy. The server deserializes per policy; sharing keeps 16 policies over
    // 10,000 resources well under a second. Policies must treat their arguments as read-only (as
    // they must with the real server, where a mutation would be silently lost).
    const plainProps = new Map<Record<string, unknown>, Record<string, unknown>>();
    const propsOf = (serialized: Record<string, unknown>) => {
        let plain = plainProps.get(serialized);
        if (!plain) {
            const wire = downgrade(serialized) as Record<string, unknown>;
            plain = rt.deserializeProperties({ toJavaScript: () => wire }, false);
            plainProps.set(serialized, plain);
        }
        return rt.unknownCheckingProxy(plain);
    };
    const isTypeOf = (type: string, resourceClass: unknown): boolean => {
        const pulumiType = rt.getPulumiType(resourceClass);
        if (pulumiType) return type === pulumiType;
        const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
        return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
    };
    const providerOf = (r: AnalyzedResource) =>
        r.provider ? { type: r.provider.type, props: propsOf(r.provider.serializedInputs), urn: r.provider.urn, name: r.provider.name } : undefined;
    const optionsOf = (r: AnalyzedResource) => ({
        protect: r.options.protect ?? false,
        ignoreChanges: r.options.ignoreChanges ?? [],
        aliases: r.options.aliases ?? [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: r.options.additionalSecretOutputs ?? [],
        ...(r.options.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.options.deleteBeforeReplace } : {}),
        ...(r.parent ? { parent: r.parent } : {}),
    });
    const reporter = (policyName: string, description: string, level: "mandatory" | "advisory", defaultUrn: string | null): ReportViolation =>
        ((message?: unknown, urn?: string) => {
            if (message !== null && typeof message === "object") {
                const info = message as { name?: string; message?: string; description?: string; urn?: string; enforcementLevel?: string };
                violations.push({
                    policy: info.name || policyName,
                    policyPack: pack.name,
                    enforcementLevel: info.enforcementLevel === "advisory" ? "advisory" : info.enforcementLevel === "mandatory" ? "mandatory" : level,
                    urn: info.urn ?? defaultUrn,
                    message: info.message || info.description || description,
                });
                return;
            }
            violations.push({
                policy: policyName,
                policyPack: pack.name,
                enforcementLevel: level,
                urn: urn ?? defaultUrn,
                message: message ? `${description}\n${String(message)}` : description,
            });
        }) as ReportViolation;
    const onError = (p: Policy, e: unknown, urn: string | null) => {
        if (e instanceof NotApplicableError) {
            notApplicable.push({ policy: p.name, reason: e.reason ?? "not applicable" });
        } else if (e instanceof rt.UnknownValueError) {
            violations.push({
                policy: p.name,
                policyPack: pack.name,
                enforcementLevel: "advisory",
                urn,
                message: `can't run policy '${p.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${(e as Error).message}`,
            });
        } else {
            violations.push({
                policy: p.name,
                policyPack: pack.name,
                enforcementLevel: "mandatory",
                urn,
                message: `policy '${p.name}' threw: ${(e as Error)?.stack ?? String(e)}`.split("\n").slice(0, 4).join("\n"),
                error: true,
            });
        }
    };

    // The engine runs resource policies on registrations only; reads of existing resources (`.get()`)
    // appear in the stack's resource list but are never analyzed one by one.
    const analyzed = resources.filter((r) => !r.read);
    /** The stack's resources as stack policies see them, linked by parent and dependencies; built once. */
    let stackResources: PolicyResource[] | undefined;
    const buildStackResources = (): PolicyResource[] => {
        const byUrn = new Map<string, PolicyResource>();
        const list: PolicyResource[] = resources.map((r) => {
            const props = propsOf(r.serializedInputs);
            const res: Record<string, unknown> = {
                type: r.type,
                props,
                urn: r.urn,
                name: r.name,
                opts: optionsOf(r),
                dependencies: [],
                propertyDependencies: {},
                isType: (c: unknown) => isTypeOf(r.type, c),
                asType: (c: unknown) => (isTypeOf(r.type, c) ? props : undefined),
            };
            const provider = providerOf(r);
            if (provider) res.provider = provider;
            byUrn.set(r.urn, res as unknown as PolicyResource);
            return res as unknown as PolicyResource;
        });
        resources.forEach((r, i) => {
            const res = list[i] as unknown as Record<string, unknown>;
            if (r.parent && byUrn.has(r.parent)) res.parent = byUrn.get(r.parent);
            res.dependencies = r.dependencies.map((d) => byUrn.get(d)).filter((d) => d);
            const pd: Record<string, PolicyResource[]> = {};
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                pd[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
            }
            res.propertyDependencies = pd;
        });
        return list;
    };

    for (const p of pack.policies) {
        const cfg = config.get(p.name);
        let level = effectiveLevel(p, pack, cfg);
        if (level === "disabled") continue;
        const getConfig = () => ({ ...(cfg?.properties ?? {}) });

        if (rt.isResourcePolicy(p)) {
            const remediateOnly = !p.validateResource && typeof p.remediateResource === "function";
            if (level === "remediate" || remediateOnly) level = "mandatory";
            const validations = p.validateResource === undefined ? [] : Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            const single = !Array.isArray(p.validateResource) ? rt.getPulumiType(p.validateResource) : undefined;
            for (const r of analyzed) {
                if (single && r.type !== single) continue;
                const base = {
                    type: r.type,
                    urn: r.urn,
                    name: r.name,
                    opts: optionsOf(r),
                    stackTags,
                    getConfig,
                    notApplicable: throwNotApplicable,
                };
                const report = reporter(p.name, p.description, level as "mandatory" | "advisory", r.urn);
                for (const validation of validations) {
                    try {
                        const props = propsOf(r.serializedInputs);
                        const args: Record<string, unknown> = {
                            ...base,
                            props,
                            isType: (c: unknown) => isTypeOf(r.type, c),
                            asType: (c: unknown) => (isTypeOf(r.type, c) ? props : undefined),
                        };
                        const provider = providerOf(r);
                        if (provider) args.provider = provider;
                        await Promise.resolve(validation(args as never, report));
                    } catch (e) {
                        onError(p, e, r.urn);
                    }
                }
                if (remediateOnly && p.remediateResource) {
                    try {
                        const props = propsOf(r.serializedInputs);
                        const before = JSON.stringify(props);
                        const args: Record<string, unknown> = {
                            ...base,
                            props,
                            isType: (c: unknown) => isTypeOf(r.type, c),
                            asType: (c: unknown) => (isTypeOf(r.type, c) ? props : undefined),
                        };
                        const result = await Promise.resolve(p.remediateResource(args as never));
                        if (result && JSON.stringify(result) !== before) {
                            report(`remediation '${p.name}' would change this resource; offline it cannot be applied, so fix the program`);
                        }
                    } catch (e) {
                        onError(p, e, r.urn);
                    }
                }
            }
        }
        if (rt.isStackPolicy(p)) {
            if (level === "remediate") level = "mandatory";
            const only = rt.getPulumiType(p.validateStack);
            if (only && !resources.some((r) => r.type === only)) {
                notApplicable.push({ policy: p.name, reason: `Policy only applies to resources of type '${only}'` });
                continue;
            }
            try {
                stackResources ??= buildStackResources();
                await Promise.resolve(
                    p.validateStack({ resources: stackResources, getConfig, stackTags, notApplicable: throwNotApplicable } as never, reporter(p.name, p.description, level as "mandatory" | "advisory", null)),
                );
            } catch (e) {
                onError(p, e, null);
            }
        }
    }
    return { violations, notApplicable, policies: pack.policies.length };
}

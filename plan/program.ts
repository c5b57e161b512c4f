import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { MockContext, mockInvoke, mockResource, resetMockCounters, UNKNOWN } from "./aws-mocks";
import { PlanInputError } from "./errors";
import { ProjectInfo, StackConfig } from "./project";

/** One resource as the engine would see it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** A multi-language (remote) component such as `awsx:ec2:Vpc`: opaque offline. */
    remote: boolean;
    /** `create` for registrations, `read` for `.get()` reads and stack references. */
    operation: "create" | "read";
    parent: string | null;
    provider: { urn: string; region: string | null } | null;
    id: string | null;
    /** Inputs as JSON, secrets masked as "[secret]", unknowns as "[unknown]", resource references as URNs. */
    inputs: Record<string, unknown>;
    options: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Added by the plan (e.g. default providers), not registered by the program. */
    synthesized?: boolean;
}

/** What the policy evaluation needs beyond the JSON record. */
export interface ResourceInternals {
    /** Inputs in the engine's wire form (signatures for secrets, unknowns, resources). */
    serializedInputs: Record<string, unknown>;
    /** Values the mocks invented for this resource (ids, ARNs, endpoints). */
    generated: string[];
}

export interface ProgramRun {
    project: string;
    stack: string;
    region: string | null;
    rootUrn: string;
    resources: RecordedResource[];
    internals: Map<string, ResourceInternals>;
    outputs: Record<string, unknown>;
    invokes: Record<string, number>;
    notes: string[];
    /** Planned as a first-deployment preview (see `RunProgramOptions.preview`). */
    preview: boolean;
}

export interface RunProgramOptions {
    project: ProjectInfo;
    stack: string;
    config: StackConfig;
    /** Outputs of other stacks, by fully qualified stack name, for `StackReference`; unknown otherwise. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    accountId?: string;
    /** Run this function as the program instead of requiring `project.main` (tests). */
    entry?: () => unknown;
    /**
     * Keep full stack traces while the program runs. Off by default: the SDK captures a formatted
     * stack for every promise it creates (for leak diagnostics and source positions the engine shows),
     * which offline is most of the run's CPU time. Errors keep their messages either way.
     */
    stackTraces?: boolean;
    /**
     * First-deployment preview, as `pulumi preview` of a new stack: providers compute nothing (ids,
     * ARNs, endpoints and generated names are unknown, so `apply` callbacks over them do not run),
     * `isDryRun()` is true. Inputs the program passes stay known, reads and config-only invokes are
     * still answered, and property dependencies are recorded as the SDK reports them.
     */
    preview?: boolean;
}

type Callback = (err: unknown, resp?: unknown) => void;
type MonitorMethod = (rq: never, callback: Callback) => unknown;
type RegisterRequest = resproto.RegisterResourceRequest;
type ReadRequest = resproto.ReadResourceRequest;

const ENGINE_NODE_MODULES = path.resolve(__dirname, "..", "node_modules");

/** Makes the engine's own packages the last resort for a program without its own node_modules. */
function addFallbackNodePath(): void {
    const current = (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean);
    if (!current.includes(ENGINE_NODE_MODULES) && fs.existsSync(ENGINE_NODE_MODULES)) {
        process.env.NODE_PATH = [...current, ENGINE_NODE_MODULES].join(path.delimiter);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("node:module") as { Module: { _initPaths(): void } }).Module._initPaths();
    }
}

/** Registers TypeScript loading (types stripped, never checked: that is `tsc --noEmit`'s job) unless present. */
function ensureTypeScript(): void {
    if (!require.extensions[".ts"]) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("./register.js");
    }
}

/** The engine's URN: the parent's type chain (the root stack excluded), then the type and name. */
export function buildUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    let qualified = type;
    if (parentUrn) {
        const parentQualified = parentUrn.split("::")[2];
        if (parentQualified !== "pulumi:pulumi:Stack") {
            qualified = `${parentQualified}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

interface Sigs {
    key: string;
    secret: string;
    resource: string;
    asset: string;
    archive: string;
    output: string;
}

/** Wire form → JSON for the plan file. */
function toPlanJson(value: unknown, sigs: Sigs): unknown {
    if (value === UNKNOWN) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map((v) => toPlanJson(v, sigs));
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const sig = obj[sigs.key];
        if (sig === sigs.secret) {
            return "[secret]";
        }
        if (sig === sigs.resource) {
            return obj.urn;
        }
        if (sig === sigs.asset || sig === sigs.archive) {
            const kind = sig === sigs.asset ? "asset" : "archive";
            return { [kind]: obj.path ?? obj.uri ?? (obj.text !== undefined ? "(text)" : "(assets)") };
        }
        if (sig === sigs.output) {
            if (obj.secret === true) return "[secret]";
            return "value" in obj ? toPlanJson(obj.value, sigs) : "[unknown]";
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
            out[k] = toPlanJson(v, sigs);
        }
        return out;
    }
    return value;
}

const ARN_RE = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"',\]}]+/g;

/** Collects every string in a JSON value. */
function collectStrings(value: unknown, out: string[]): void {
    if (typeof value === "string") {
        out.push(value);
    } else if (Array.isArray(value)) {
        for (const v of value) collectStrings(v, out);
    } else if (value !== null && typeof value === "object") {
        for (const v of Object.values(value)) collectStrings(v, out);
    }
}

/**
 * Adds to each resource's `propertyDependencies` the resources whose mocked ids or ARNs appear in its
 * inputs (exactly, or as an ARN inside a policy document). This recovers links the SDK cannot see,
 * such as ids that passed through plain strings or came out of an opaque remote component.
 */
export function reconstructDependencies(resources: RecordedResource[], internals: Map<string, ResourceInternals>): void {
    const producers = new Map<string, string>();
    for (const r of resources) {
        for (const value of internals.get(r.urn)?.generated ?? []) {
            if (!producers.has(value)) producers.set(value, r.urn);
        }
    }
    for (const r of resources) {
        for (const [prop, value] of Object.entries(r.inputs)) {
            const strings: string[] = [];
            collectStrings(value, strings);
            const found = new Set<string>(r.propertyDependencies[prop] ?? []);
            for (const s of strings) {
                const exact = producers.get(s);
                if (exact && exact !== r.urn) found.add(exact);
                if (s.length > 20 && s.includes("arn:aws")) {
                    for (const m of s.matchAll(ARN_RE)) {
                        const arn = m[0].replace(/(\/\*|:\*)$/, "");
                        const producer = producers.get(arn);
                        if (producer && producer !== r.urn) found.add(producer);
                    }
                }
            }
            if (found.size > 0) {
                r.propertyDependencies[prop] = [...found];
            }
        }
        const deps = new Set(r.dependencies);
        for (const urns of Object.values(r.propertyDependencies)) {
            for (const u of urns) deps.add(u);
        }
        r.dependencies = [...deps];
    }
}

/** Resolves the program's own copy of a package (its node_modules, then NODE_PATH, then ours). */
function programRequire(dir: string): NodeJS.Require {
    return createRequire(path.join(dir, "__offline_plan__.js"));
}

/** Modules (outside node_modules) first loaded while a program ran: its own code, dropped before the next run. */
const programModules = new Set<string>();

/**
 * Forgets a program's own modules (its entry and what a previous run loaded outside node_modules) so
 * that a second run in the same process runs the program again, as a fresh `pulumi up` would, instead
 * of getting the first run's cached exports. Packages stay loaded, and so do modules the host process
 * had loaded itself before any run (a test's own imports keep their identity: `instanceof` still holds).
 */
export function forgetProgramModules(main: string): void {
    delete require.cache[main];
    for (const id of programModules) delete require.cache[id];
    programModules.clear();
}

/** Remembers which modules a run loaded for the first time (see `forgetProgramModules`). */
function rememberProgramModules(before: Set<string>): void {
    for (const id of Object.keys(require.cache)) {
        if (!before.has(id) && !id.split(path.sep).includes("node_modules")) programModules.add(id);
    }
}

/**
 * Runs a Pulumi program in-process under mocks that answer like AWS, recording every resource with
 * its URN, parent, provider, inputs, options and dependencies.
 */
export async function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
    const { project, stack, config } = opts;
    addFallbackNodePath();
    const req = programRequire(project.dir);
    let pulumi: typeof import("@pulumi/pulumi");
    try {
        pulumi = req("@pulumi/pulumi");
    } catch (e) {
        throw new PlanInputError(`cannot load @pulumi/pulumi for the program in ${project.dir}: ${(e as Error).message} (run npm ci there)`);
    }
    const settings = req("@pulumi/pulumi/runtime/settings");
    const rpc = req("@pulumi/pulumi/runtime/rpc");
    const sigs: Sigs = {
        key: rpc.specialSigKey,
        secret: rpc.specialSecretSig,
        resource: rpc.specialResourceSig,
        asset: rpc.specialAssetSig,
        archive: rpc.specialArchiveSig,
        output: rpc.specialOutputValueSig,
    };
    if (!opts.entry && project.main.endsWith(".ts")) {
        ensureTypeScript();
    }
    resetMockCounters();

    const region = config.config["aws:region"] ?? null;
    const accountId = opts.accountId ?? "123456789012";
    const providerRegions = new Map<string, string | null>();
    const providerUrnOf = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));
    const ctx: MockContext = {
        accountId,
        regionOf: (ref) => (ref ? providerRegions.get(providerUrnOf(ref)) : undefined) ?? region ?? "us-east-1",
    };

    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const internals = new Map<string, ResourceInternals>();
    const invokes: Record<string, number> = {};
    const notes: string[] = [];
    let pending: RecordedResource | undefined;

    const mocks = {
        newResource(args: { type: string; name: string; inputs: Record<string, unknown>; provider?: string; custom?: boolean; id?: string }) {
            if (args.type === "pulumi:pulumi:StackReference") {
                const name = String(args.inputs.name ?? args.id ?? args.name);
                const known = opts.stackOutputs?.[name];
                if (!known) {
                    notes.push(`stack reference '${name}': outputs unknown offline (give them with --stack-outputs <file>)`);
                }
                return { id: name, state: { name, outputs: known ?? UNKNOWN, secretOutputNames: [] } };
            }
            // A preview of a new stack: the engine hands back the checked inputs and nothing the provider
            // would compute (the id and every output not given are unknown). Reads and imports name an
            // existing resource, and stay answered.
            const mocked = opts.preview && !args.id ? { id: "", state: { ...args.inputs }, generated: [] } : mockResource(args, ctx);
            if (pending) {
                pending.id = mocked.id === "" ? null : mocked.id;
                internals.get(pending.urn)!.generated = mocked.generated;
                if (args.type.startsWith("pulumi:providers:")) {
                    providerRegions.set(pending.urn, typeof args.inputs.region === "string" ? args.inputs.region : region);
                }
            }
            return { id: mocked.id, state: mocked.state };
        },
        call(args: { token: string; inputs: Record<string, unknown>; provider?: string }) {
            invokes[args.token] = (invokes[args.token] ?? 0) + 1;
            return mockInvoke(args, ctx);
        },
    };

    // Both modes run as a dry run: outputs a mock does not give stay unknown rather than undefined.
    await pulumi.runtime.setMocks(mocks, project.name, stack, true);
    pulumi.runtime.setAllConfig(config.config, config.secretKeys);
    const monitor = settings.getMonitor() as Record<string, MonitorMethod> & { newUrn: (parent: string | undefined, type: string, name: string) => string };
    monitor.newUrn = (parent: string | undefined, type: string, name: string) => buildUrn(stack, project.name, parent || undefined, type, name);

    const awsVersion = (() => {
        try {
            return (req("@pulumi/aws/package.json") as { version: string }).version.replace(/[.-]/g, "_");
        } catch {
            return "default";
        }
    })();

    const begin = (rq: RegisterRequest | ReadRequest, operation: "create" | "read"): RecordedResource => {
        const reg = operation === "create" ? (rq as RegisterRequest) : undefined;
        const type: string = rq.getType();
        const name: string = rq.getName();
        const parent: string = rq.getParent();
        const urn = buildUrn(stack, project.name, parent || undefined, type, name);
        const struct = reg ? reg.getObject() : (rq as ReadRequest).getProperties();
        const serialized = (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        if (reg) {
            for (const [k, v] of reg.getPropertydependenciesMap().entries()) {
                const urns: string[] = v.getUrnsList();
                if (urns.length > 0) propertyDependencies[k] = urns;
            }
        }
        const options: Record<string, unknown> = {};
        if (reg) {
            if (reg.hasProtect() && reg.getProtect()) options.protect = true;
            if (reg.hasRetainondelete() && reg.getRetainondelete()) options.retainOnDelete = true;
            if (reg.getIgnorechangesList().length > 0) options.ignoreChanges = reg.getIgnorechangesList();
            if (reg.getDeletebeforereplacedefined()) options.deleteBeforeReplace = reg.getDeletebeforereplace();
            if (reg.getReplaceonchangesList().length > 0) options.replaceOnChanges = reg.getReplaceonchangesList();
            if (reg.getImportid()) options.import = reg.getImportid();
            if (reg.getAdditionalsecretoutputsList().length > 0) options.additionalSecretOutputs = reg.getAdditionalsecretoutputsList();
            if (reg.getDeletedwith()) options.deletedWith = reg.getDeletedwith();
            const timeouts = reg.getCustomtimeouts();
            if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
                options.customTimeouts = { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() };
            }
        }
        const providerRef: string = rq.getProvider();
        const custom = reg ? reg.getCustom() : true;
        let provider: RecordedResource["provider"] = null;
        if (providerRef) {
            const purn = providerUrnOf(providerRef);
            provider = { urn: purn, region: providerRegions.get(purn) ?? null };
        } else if (custom && !type.startsWith("pulumi:")) {
            const pkg = type.split(":")[0];
            provider = {
                urn: buildUrn(stack, project.name, undefined, `pulumi:providers:${pkg}`, pkg === "aws" ? `default_${awsVersion}` : "default"),
                region: pkg === "aws" ? region : null,
            };
        }
        const record: RecordedResource = {
            urn,
            type,
            name,
            custom,
            remote: reg ? reg.getRemote() : false,
            operation,
            parent: parent || null,
            provider,
            id: reg ? null : (rq as ReadRequest).getId(),
            inputs: toPlanJson(serialized, sigs) as Record<string, unknown>,
            options,
            dependencies: [...rq.getDependenciesList()],
            propertyDependencies,
        };
        resources.push(record);
        byUrn.set(urn, record);
        internals.set(urn, { serializedInputs: serialized, generated: [] });
        return record;
    };

    for (const [method, operation] of [
        ["registerResource", "create"],
        ["readResource", "read"],
    ] as const) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (rq: never, callback: Callback) => {
            const record = begin(rq as RegisterRequest | ReadRequest, operation);
            pending = record;
            try {
                return original(rq, callback);
            } finally {
                pending = undefined;
            }
        };
    }

    // The root stack registers its outputs in wire form, secrets still marked: keep that copy.
    let stackOutputsWire: Record<string, unknown> | undefined;
    const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (rq: never, callback: Callback) => {
        const outputsRequest = rq as resproto.RegisterResourceOutputsRequest;
        if (outputsRequest.getUrn().includes("::pulumi:pulumi:Stack::")) {
            stackOutputsWire = (outputsRequest.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        return originalOutputs(rq, callback);
    };

    const asyncErrors: unknown[] = [];
    const onRejection = (reason: unknown) => asyncErrors.push(reason);
    process.on("unhandledRejection", onRejection);
    let outputs: Record<string, unknown> = {};
    const stackTraceLimit = Error.stackTraceLimit;
    if (!opts.stackTraces) Error.stackTraceLimit = 0;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            if (!opts.entry) forgetProgramModules(project.main);
            const before = opts.entry ? undefined : new Set(Object.keys(require.cache));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = opts.entry ?? require(project.main);
            if (before) rememberProgramModules(before);
            const entry = typeof mod === "function" ? mod : mod && mod.__esModule && typeof mod.default === "function" ? mod.default : undefined;
            return entry ? await entry() : mod;
        });
        await pulumi.runtime.disconnect();
        outputs = (toPlanJson(stackOutputsWire ?? {}, sigs) ?? {}) as Record<string, unknown>;
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
    if (asyncErrors.length > 0) {
        throw asyncErrors[0];
    }
    if (pulumi.log.hasErrors()) {
        throw new Error("the program logged errors (see above)");
    }

    // Default providers are created by the engine, not the program: list them so every provider URN resolves.
    const rootUrn = buildUrn(stack, project.name, undefined, "pulumi:pulumi:Stack", `${project.name}-${stack}`);
    const defaults = new Map<string, RecordedResource>();
    for (const r of resources) {
        if (r.provider && !byUrn.has(r.provider.urn) && !defaults.has(r.provider.urn)) {
            const pkg = r.type.split(":")[0];
            defaults.set(r.provider.urn, {
                urn: r.provider.urn,
                type: `pulumi:providers:${pkg}`,
                name: r.provider.urn.split("::").pop()!,
                custom: true,
                remote: false,
                operation: "create",
                parent: byUrn.has(rootUrn) ? rootUrn : null,
                provider: null,
                id: null,
                inputs: pkg === "aws" && region ? { region } : {},
                options: {},
                dependencies: [],
                propertyDependencies: {},
                synthesized: true,
            });
        }
    }
    for (const d of defaults.values()) {
        resources.push(d);
        internals.set(d.urn, { serializedInputs: d.inputs, generated: [] });
    }
    for (const r of resources) {
        if (r.provider && r.provider.region === null && byUrn.has(r.provider.urn)) {
            r.provider.region = providerRegions.get(r.provider.urn) ?? null;
        }
    }
    reconstructDependencies(resources, internals);

    if (opts.preview) {
        notes.unshift("planned in preview mode (first deployment of a new stack): ids, ARNs, endpoints and generated names are unknown, and what the program builds from them is not run");
    }
    return { project: project.name, stack, region, rootUrn, resources, internals, outputs, invokes, notes: [...new Set(notes)], preview: opts.preview === true };
}

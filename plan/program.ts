import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { hasInvokeMock, MockContext, mockInvoke, mockResource, resetMockCounters, UNKNOWN } from "./aws-mocks";
import { asProgram, DEFAULT_SETTLE_TIMEOUT_MS, settleWithin } from "./run-guard";
import { PlanInputError } from "./errors";
import { ProjectInfo, StackConfig } from "./project";
import { addFallbackNodePath, forgetProgramModules, prepareLoading, loadProgram, programEntry, pendingRegistrations, programRequire, setEngineSettings } from "./program-loader";
import {
    addDefaultProviders,
    buildUrn,
    providerUrnOf,
    reconstructDependencies,
    RecordedResource,
    recordRequest,
    RecordingContext,
    ResourceInternals,
    Sigs,
    toPlanJson,
} from "./recording";

// Others import these from here.
export { buildUrn, reconstructDependencies, forgetProgramModules };
export type { RecordedResource, ResourceInternals };

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
    /** Invoke tokens the offline plan has no answer for: answered as unknown, as a preview would. */
    unansweredInvokes: string[];
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
    /** Bound on the program run, in ms (default DEFAULT_SETTLE_TIMEOUT_MS); past it the plan fails naming what it waited for. */
    settleTimeoutMs?: number;
    /** The Pulumi organization `pulumi.getOrganization()` answers. Defaults to "organization", as the CLI's default org when none is known. */
    organization?: string;
}

/** Adds the invokes nobody could answer to a program error: often they are why it failed. */
function withUnanswered(e: unknown, unanswered: Set<string>): unknown {
    if (unanswered.size > 0 && e instanceof Error && !e.message.includes("no answer for")) {
        e.message += ` (after invokes the offline plan has no answer for, answered as unknown: ${[...unanswered].join(", ")})`;
    }
    return e;
}

type Callback = (err: unknown, resp?: unknown) => void;
type MonitorMethod = (rq: never, callback: Callback) => unknown;
type RegisterRequest = resproto.RegisterResourceRequest;
type ReadRequest = resproto.ReadResourceRequest;

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
    const state = (() => {
        try {
            return req("@pulumi/pulumi/runtime/state");
        } catch {
            return undefined; // SDKs before the shared state store
        }
    })();
    const rpc = req("@pulumi/pulumi/runtime/rpc");
    const sigs: Sigs = {
        key: rpc.specialSigKey,
        secret: rpc.specialSecretSig,
        resource: rpc.specialResourceSig,
        asset: rpc.specialAssetSig,
        archive: rpc.specialArchiveSig,
        output: rpc.specialOutputValueSig,
    };
    resetMockCounters();

    const region = config.config["aws:region"] ?? null;
    const accountId = opts.accountId ?? "123456789012";
    const providerRegions = new Map<string, string | null>();
    const ctx: MockContext = {
        accountId,
        regionOf: (ref) => (ref ? providerRegions.get(providerUrnOf(ref)) : undefined) ?? region ?? "us-east-1",
    };

    const resources: RecordedResource[] = [];
    const internals = new Map<string, ResourceInternals>();
    const invokes: Record<string, number> = {};
    const notes: string[] = [];
    let pending: RecordedResource | undefined;
    /** Registrations and reads sent to the monitor and not yet answered by the mocks. */
    const awaiting = new Set<string>();
    const unanswered = new Set<string>();
    let markUnanswered: (() => void) | undefined;

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
                awaiting.delete(pending.urn);
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
            if (!hasInvokeMock(args.token)) {
                unanswered.add(args.token);
                markUnanswered?.();
                return {};
            }
            return mockInvoke(args, ctx);
        },
    };

    // Both modes run as a dry run: outputs a mock does not give stay unknown rather than undefined.
    const organization = opts.organization ?? "organization";
    await pulumi.runtime.setMocks(mocks, project.name, stack, true, organization);
    setEngineSettings(settings, state, { organization, rootDirectory: project.dir });
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

    const recording: RecordingContext = { stack, project: project.name, sigs, region, awsVersion, providerRegions };
    const begin = (rq: RegisterRequest | ReadRequest, operation: "create" | "read"): RecordedResource => {
        const { record, serialized } = recordRequest(rq, operation, recording);
        resources.push(record);
        internals.set(record.urn, { serializedInputs: serialized, generated: [] });
        return record;
    };

    for (const [method, operation] of [
        ["registerResource", "create"],
        ["readResource", "read"],
    ] as const) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (rq: never, callback: Callback) => {
            const record = begin(rq as RegisterRequest | ReadRequest, operation);
            awaiting.add(record.urn);
            pending = record;
            try {
                return original(rq, callback);
            } finally {
                pending = undefined;
            }
        };
    }

    // An invoke with no mock is answered as the engine answers one it cannot serve yet: unknown (where
    // this SDK's protocol can say so; older ones get an empty result).
    const originalInvoke = monitor.invoke.bind(monitor);
    monitor.invoke = (rq: never, callback: Callback) => {
        let isUnanswered = false;
        markUnanswered = () => (isUnanswered = true);
        try {
            return originalInvoke(rq, (err, resp) => {
                const r = resp as { setUnknown?: (v: boolean) => void } | undefined;
                if (!err && isUnanswered && typeof r?.setUnknown === "function") r.setUnknown(true);
                callback(err, resp);
            });
        } finally {
            markUnanswered = undefined;
        }
    };

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
    const waitingFor = (): string[] => {
        const out: string[] = [];
        if (awaiting.size > 0) out.push(`the engine's answer to ${awaiting.size} registration(s): ${[...awaiting].slice(0, 10).join(", ")}`);
        const sdkPending = pendingRegistrations(state);
        if (sdkPending.length > 0) out.push(`${sdkPending.length} registration(s) the SDK has not finished: ${sdkPending.slice(0, 10).join(", ")}`);
        if (unanswered.size > 0) out.push(`invokes the offline plan has no answer for: ${[...unanswered].join(", ")}`);
        return out;
    };
    if (!opts.entry) prepareLoading(project.main);
    try {
        await asProgram(project.dir, () =>
            settleWithin(
                (async () => {
                    await pulumi.runtime.runInPulumiStack(async () => {
                        const mod = opts.entry ?? (await loadProgram(project.main));
                        const entry = programEntry(mod);
                        return entry ? await entry() : mod;
                    });
                    await pulumi.runtime.disconnect();
                })(),
                opts.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS,
                waitingFor,
            ),
        );
        outputs = (toPlanJson(stackOutputsWire ?? {}, sigs) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw withUnanswered(e, unanswered);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
    if (asyncErrors.length > 0) {
        throw withUnanswered(asyncErrors[0], unanswered);
    }
    if (pulumi.log.hasErrors()) {
        throw withUnanswered(new Error("the program logged errors (see above)"), unanswered);
    }

    const rootUrn = buildUrn(stack, project.name, undefined, "pulumi:pulumi:Stack", `${project.name}-${stack}`);
    addDefaultProviders(resources, internals, rootUrn, recording);
    reconstructDependencies(resources, internals);

    if (unanswered.size > 0) {
        notes.push(`invokes the offline plan cannot answer were answered as unknown, as in a preview (what the program built from them is not judged): ${[...unanswered].join(", ")}`);
    }
    if (opts.preview) {
        notes.unshift("planned in preview mode (first deployment of a new stack): ids, ARNs, endpoints and generated names are unknown, and what the program builds from them is not run");
    }
    return { project: project.name, stack, region, rootUrn, resources, internals, outputs, invokes, notes: [...new Set(notes)], unansweredInvokes: [...unanswered], preview: opts.preview === true };
}

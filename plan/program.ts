import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { MockContext, mockInvoke, mockResource, resetMockCounters, UNKNOWN } from "./aws-mocks";
import { PlanInputError } from "./errors";
import { ProjectInfo, StackConfig } from "./project";
import { addFallbackNodePath, ensureTypeScript, forgetProgramModules, programRequire } from "./program-loader";
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
    const ctx: MockContext = {
        accountId,
        regionOf: (ref) => (ref ? providerRegions.get(providerUrnOf(ref)) : undefined) ?? region ?? "us-east-1",
    };

    const resources: RecordedResource[] = [];
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
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            if (!opts.entry) forgetProgramModules(project.main);
            const mod = opts.entry ?? require(project.main);
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

    const rootUrn = buildUrn(stack, project.name, undefined, "pulumi:pulumi:Stack", `${project.name}-${stack}`);
    addDefaultProviders(resources, internals, rootUrn, recording);
    reconstructDependencies(resources, internals);

    if (opts.preview) {
        notes.unshift("planned in preview mode (first deployment of a new stack): ids, ARNs, endpoints and generated names are unknown, and what the program builds from them is not run");
    }
    return { project: project.name, stack, region, rootUrn, resources, internals, outputs, invokes, notes: [...new Set(notes)], preview: opts.preview === true };
}

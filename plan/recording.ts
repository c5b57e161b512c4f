import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { UNKNOWN } from "./aws-mocks";

/**
 * Recording: what the engine would see of each registration (URN, parent, provider, inputs as JSON,
 * options, dependencies), and the dependencies the SDK cannot see, reconstructed from mocked ids.
 */

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
    /** Where the program built it (`file://…` URI, 1-based line), as the SDK reports it to the engine. */
    sourcePosition?: { uri: string; line: number } | null;
}

/** What the policy evaluation needs beyond the JSON record. */
export interface ResourceInternals {
    /** Inputs in the engine's wire form (signatures for secrets, unknowns, resources). */
    serializedInputs: Record<string, unknown>;
    /** Values the mocks invented for this resource (ids, ARNs, endpoints). */
    generated: string[];
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

export interface Sigs {
    key: string;
    secret: string;
    resource: string;
    asset: string;
    archive: string;
    output: string;
}

/** Wire form → JSON for the plan file. */
export function toPlanJson(value: unknown, sigs: Sigs): unknown {
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

type RegisterRequest = resproto.RegisterResourceRequest;
type ReadRequest = resproto.ReadResourceRequest;

/** What recording a request needs to know about the run. */
export interface RecordingContext {
    stack: string;
    project: string;
    sigs: Sigs;
    /** The default provider's region. */
    region: string | null;
    /** The default aws provider's name suffix, from the program's `@pulumi/aws` version (`7_48_0`). */
    awsVersion: string;
    providerRegions: Map<string, string | null>;
}

/** `urn::id` → `urn`. */
export function providerUrnOf(ref: string): string {
    return ref.slice(0, ref.lastIndexOf("::"));
}

/**
 * Calls a request getter if this SDK's generated protobuf has it (fields were added across 3.x, and
 * `has…` presence methods exist only since fields became optional), else answers `fallback`.
 */
function field<T>(rq: object, getter: string, fallback: T): T {
    const fn = (rq as Record<string, unknown>)[getter];
    return typeof fn === "function" ? ((fn as () => T).call(rq) ?? fallback) : fallback;
}

/** An `aliases` entry as the request carries it: the old URN, or a spec of what changed (name, type, parent). */
function aliasOf(alias: unknown): string | Record<string, unknown> | undefined {
    if (!alias || typeof alias !== "object") return undefined;
    const urn = field(alias, "getUrn", "");
    if (urn) return urn;
    const spec = field<object | undefined>(alias, "getSpec", undefined);
    if (!spec) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, getter] of [["name", "getName"], ["type", "getType"], ["stack", "getStack"], ["project", "getProject"], ["parentUrn", "getParenturn"]] as const) {
        const v = field(spec, getter, "");
        if (v) out[key] = v;
    }
    if (field(spec, "getNoparent", false)) out.noParent = true;
    return out;
}

/** Where the SDK says the program built the resource (captured even without full stack traces). */
function sourcePositionOf(rq: object): { uri: string; line: number } | null {
    const pos = field<object | undefined>(rq, "getSourceposition", undefined);
    if (!pos) return null;
    const uri = field(pos, "getUri", "");
    const line = field(pos, "getLine", 0);
    return uri && line ? { uri, line } : null;
}

/** The resource options that matter to a reviewer, as the request carries them. */
export function optionsOf(reg: RegisterRequest): Record<string, unknown> {
    const options: Record<string, unknown> = {};
    const flag = (name: string) => field<boolean>(reg, `has${name}`, true) && field<boolean>(reg, `get${name}`, false);
    if (flag("Protect")) options.protect = true;
    if (flag("Retainondelete")) options.retainOnDelete = true;
    const list = (name: string): string[] => field<string[]>(reg, `get${name}List`, []);
    if (list("Ignorechanges").length > 0) options.ignoreChanges = list("Ignorechanges");
    if (field(reg, "getDeletebeforereplacedefined", false)) options.deleteBeforeReplace = field(reg, "getDeletebeforereplace", false);
    if (list("Replaceonchanges").length > 0) options.replaceOnChanges = list("Replaceonchanges");
    const importId = field(reg, "getImportid", "");
    if (importId) options.import = importId;
    if (list("Additionalsecretoutputs").length > 0) options.additionalSecretOutputs = list("Additionalsecretoutputs");
    const deletedWith = field(reg, "getDeletedwith", "");
    if (deletedWith) options.deletedWith = deletedWith;
    const aliases = [...list("Aliasurns"), ...field<unknown[]>(reg, "getAliasesList", []).map(aliasOf).filter((a) => a !== undefined)];
    if (aliases.length > 0) options.aliases = aliases;
    const timeouts = field<resproto.RegisterResourceRequest.CustomTimeouts | undefined>(reg, "getCustomtimeouts", undefined);
    if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
        options.customTimeouts = { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() };
    }
    return options;
}

/** One registration (`create`) or read (`read`) request as the engine would record it. */
export function recordRequest(rq: RegisterRequest | ReadRequest, operation: "create" | "read", ctx: RecordingContext): { record: RecordedResource; serialized: Record<string, unknown> } {
    const reg = operation === "create" ? (rq as RegisterRequest) : undefined;
    const type = rq.getType();
    const name = rq.getName();
    const parent = rq.getParent();
    const urn = buildUrn(ctx.stack, ctx.project, parent || undefined, type, name);
    const struct = reg ? reg.getObject() : (rq as ReadRequest).getProperties();
    const serialized = (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
    const propertyDependencies: Record<string, string[]> = {};
    if (reg) {
        for (const [k, v] of reg.getPropertydependenciesMap().entries()) {
            const urns = v.getUrnsList();
            if (urns.length > 0) propertyDependencies[k] = urns;
        }
    }
    const providerRef = rq.getProvider();
    const custom = reg ? reg.getCustom() : true;
    let provider: RecordedResource["provider"] = null;
    if (providerRef) {
        const purn = providerUrnOf(providerRef);
        provider = { urn: purn, region: ctx.providerRegions.get(purn) ?? null };
    } else if (custom && !type.startsWith("pulumi:")) {
        const pkg = type.split(":")[0];
        provider = {
            urn: buildUrn(ctx.stack, ctx.project, undefined, `pulumi:providers:${pkg}`, pkg === "aws" ? `default_${ctx.awsVersion}` : "default"),
            region: pkg === "aws" ? ctx.region : null,
        };
    }
    const record: RecordedResource = {
        urn,
        type,
        name,
        custom,
        remote: reg ? field(reg, "getRemote", false) : false,
        operation,
        parent: parent || null,
        provider,
        id: reg ? null : (rq as ReadRequest).getId(),
        inputs: toPlanJson(serialized, ctx.sigs) as Record<string, unknown>,
        options: reg ? optionsOf(reg) : {},
        dependencies: [...rq.getDependenciesList()],
        propertyDependencies,
        sourcePosition: sourcePositionOf(rq),
    };
    return { record, serialized };
}

/**
 * Default providers are created by the engine, not the program: adds one record per provider URN that
 * no registration produced, so every provider reference resolves, and fills in provider regions.
 */
export function addDefaultProviders(resources: RecordedResource[], internals: Map<string, ResourceInternals>, rootUrn: string, ctx: RecordingContext): void {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
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
                inputs: pkg === "aws" && ctx.region ? { region: ctx.region } : {},
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
            r.provider.region = ctx.providerRegions.get(r.provider.urn) ?? null;
        }
    }
}

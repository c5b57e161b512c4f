import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { PlanInputError } from "./errors";

/** What the plan needs from a program's Pulumi.yaml. */
export interface ProjectInfo {
    dir: string;
    name: string;
    runtime: string;
    description?: string;
    /** The program entry point, absolute. */
    main: string;
    /** Project-level config values and defaults, already namespaced. */
    configDefaults: Record<string, unknown>;
}

/** Stack config exactly as the CLI hands it to a program: namespaced keys, string values. */
export interface StackConfig {
    file: string;
    config: Record<string, string>;
    secretKeys: string[];
    notes: string[];
}

/** Placeholder for `secure:` values, which cannot be decrypted without the stack's secrets provider. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder-secret-0";

function readYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanInputError(`cannot parse ${file}: ${(e as Error).message}`);
    }
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Namespaces a config key as the CLI does: a key without `:` belongs to the project. */
export function namespaceKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Resolves the program's entry point the way the Node.js language host does. */
function resolveMain(dir: string, main: unknown): string {
    const candidates: string[] = [];
    if (typeof main === "string" && main !== "") {
        const abs = path.resolve(dir, main);
        candidates.push(abs, `${abs}.ts`, `${abs}.js`, path.join(abs, "index.ts"), path.join(abs, "index.js"));
    } else {
        const pkgFile = path.join(dir, "package.json");
        if (fs.existsSync(pkgFile)) {
            const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
            if (pkg.main) {
                candidates.push(path.resolve(dir, pkg.main));
            }
        }
        candidates.push(path.join(dir, "index.ts"), path.join(dir, "index.js"));
    }
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!found) {
        throw new PlanInputError(`no program entry point in ${dir} (looked for ${candidates.map((c) => path.relative(dir, c) || ".").join(", ")})`);
    }
    return found;
}

/** Reads `<dir>/Pulumi.yaml`. */
export function loadProject(dir: string): ProjectInfo {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new PlanInputError(`${file} not found: --program must name a Pulumi project directory`);
    }
    const doc = readYaml(file);
    if (!isRecord(doc) || typeof doc.name !== "string") {
        throw new PlanInputError(`${file}: a Pulumi project needs a 'name'`);
    }
    const runtime = typeof doc.runtime === "string" ? doc.runtime : isRecord(doc.runtime) ? String(doc.runtime.name) : "";
    if (runtime !== "nodejs") {
        throw new PlanInputError(`${file}: runtime '${runtime}' is not supported offline; only nodejs (TypeScript or JavaScript) programs can be planned`);
    }
    const configDefaults: Record<string, unknown> = {};
    if (isRecord(doc.config)) {
        for (const [key, spec] of Object.entries(doc.config)) {
            const value = isRecord(spec) ? (spec.value ?? spec.default) : spec;
            if (value !== undefined) {
                configDefaults[namespaceKey(doc.name, key)] = value;
            }
        }
    }
    return {
        dir,
        name: doc.name,
        runtime,
        description: typeof doc.description === "string" ? doc.description : undefined,
        main: resolveMain(dir, doc.main),
        configDefaults,
    };
}

/** Lists the stacks that have a Pulumi.<stack>.yaml beside the project. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function isSecure(v: unknown): v is { secure: string } {
    return isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string";
}

/** Replaces `secure:` leaves with the placeholder; says whether any was found. */
function replaceSecrets(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) {
        return { value: SECRET_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(value)) {
        let secret = false;
        const out = value.map((v) => {
            const r = replaceSecrets(v);
            secret ||= r.secret;
            return r.value;
        });
        return { value: out, secret };
    }
    if (isRecord(value)) {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            const r = replaceSecrets(v);
            secret ||= r.secret;
            out[k] = r.value;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** A config value as the CLI passes it: strings as-is, scalars as their text, structures as JSON. */
function toConfigString(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    if (value === null) {
        return "null";
    }
    return JSON.stringify(value);
}

/**
 * Reads `<dir>/Pulumi.<stack>.yaml` and merges it over the project's config defaults, exactly as
 * `pulumi up` would hand config to the program.
 */
export function loadStackConfig(project: ProjectInfo, stack: string): StackConfig {
    const candidates = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(project.dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        const known = listStacks(project.dir);
        throw new PlanInputError(
            `unknown stack '${stack}': ${path.join(project.dir, `Pulumi.${stack}.yaml`)} does not exist` +
                (known.length > 0 ? ` (stacks here: ${known.join(", ")})` : ""),
        );
    }
    const doc = readYaml(file) ?? {};
    if (!isRecord(doc)) {
        throw new PlanInputError(`${file}: expected a mapping with a 'config' key`);
    }
    const notes: string[] = [];
    if (doc.environment !== undefined) {
        notes.push(`${path.basename(file)} imports ESC environments, which cannot be opened offline; their values are missing from this plan`);
    }
    const merged: Record<string, unknown> = { ...project.configDefaults };
    const stackConfig = doc.config ?? {};
    if (!isRecord(stackConfig)) {
        throw new PlanInputError(`${file}: 'config' must be a mapping`);
    }
    for (const [key, value] of Object.entries(stackConfig)) {
        merged[namespaceKey(project.name, key)] = value;
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries(merged)) {
        const { value, secret } = replaceSecrets(raw);
        config[key] = toConfigString(value);
        if (secret) {
            secretKeys.push(key);
        }
    }
    if (secretKeys.length > 0) {
        notes.push(
            `secret config (${secretKeys.join(", ")}) cannot be decrypted offline; the plan used the placeholder "${SECRET_PLACEHOLDER}" as a secret value`,
        );
    }
    return { file, config, secretKeys, notes };
}

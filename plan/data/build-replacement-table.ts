import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Regenerates `plan/data/replacement.json` from the provider source. Run on a machine with both
 * checkouts (not at plan or test time):
 *
 *   node -r ./plan/register.js plan/data/build-replacement-table.ts \
 *     --terraform <terraform-provider-aws checkout> --bridge-metadata <pulumi-aws>/provider/cmd/pulumi-resource-aws/bridge-metadata.json \
 *     [--types aws:rds/cluster:Cluster,…] [--out plan/data/replacement.json]
 *
 * It reads every `internal/service/**.go` file, finds resources by their registration comment
 * (`// @SDKResource("aws_x")`, `// @FrameworkResource("aws_x")`), and collects the attribute paths the
 * schema marks `ForceNew: true` (SDKv2) or `RequiresReplace…()` (plugin framework), nested blocks
 * included. Terraform names become Pulumi names as the bridge names them: the bridge metadata maps
 * resource names to type tokens (`auto-aliasing.resources.<tf>.current`), snake_case becomes
 * camelCase, and a list or set block not flattened by `maxItemsOne` takes a plural name.
 */

export interface SchemaField {
    name: string;
    forceNew: boolean;
    /** A list or set (the bridge pluralizes its name unless it is flattened to one item). */
    collection: boolean;
    maxItemsOne: boolean;
    children: SchemaField[];
}

export interface ParsedResource {
    terraform: string;
    fields: SchemaField[];
}

/** The text between the brace at `open` and its matching close (strings, runes and comments skipped). */
export function matchBrace(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const ch = text[i];
        if (ch === "/" && text[i + 1] === "/") {
            i = text.indexOf("\n", i);
            if (i < 0) return -1;
            continue;
        }
        if (ch === '"' || ch === "`" || ch === "'") {
            const end = ch === "`" ? text.indexOf("`", i + 1) : skipQuoted(text, i, ch);
            if (end < 0) return -1;
            i = end;
            continue;
        }
        if (ch === "{") depth++;
        else if (ch === "}" && --depth === 0) return i;
    }
    return -1;
}

function skipQuoted(text: string, start: number, quote: string): number {
    for (let i = start + 1; i < text.length; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === quote) return i;
    }
    return -1;
}

/** `names.AttrKMSKeyID` style constants, read from the provider's `names/attr_consts_gen.go`. */
export function parseNameConstants(goSource: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of goSource.matchAll(/^\s*(Attr\w+)\s*=\s*"([^"]+)"/gm)) out.set(`names.${m[1]}`, m[2]);
    return out;
}

/** The entries `key: { body }` at the top level of a map literal body. */
function mapEntries(body: string, consts: Map<string, string>): { key: string; body: string }[] {
    const entries: { key: string; body: string }[] = [];
    const keyRe = /("([^"]+)"|names\.Attr\w+)\s*:\s*(?:[\w.]+\s*)?\{/g;
    let m: RegExpExecArray | null;
    while ((m = keyRe.exec(body))) {
        const open = body.indexOf("{", m.index + m[0].length - 1);
        const close = matchBrace(body, open);
        if (close < 0) break;
        const key = m[2] ?? consts.get(m[1]);
        if (key) entries.push({ key, body: body.slice(open + 1, close) });
        keyRe.lastIndex = close + 1;
    }
    return entries;
}

/** The body of the first `<marker>{ … }` in `text`, or undefined. */
function blockAfter(text: string, marker: RegExp): string | undefined {
    const m = marker.exec(text);
    if (!m) return undefined;
    const open = text.indexOf("{", m.index + m[0].length - 1);
    const close = matchBrace(text, open);
    return close < 0 ? undefined : text.slice(open + 1, close);
}

/** The text without `//` line comments (string and rune literals kept). */
export function stripComments(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "/" && text[i + 1] === "/") {
            const eol = text.indexOf("\n", i);
            if (eol < 0) break;
            i = eol - 1;
            continue;
        }
        if (ch === '"' || ch === "`" || ch === "'") {
            const end = ch === "`" ? text.indexOf("`", i + 1) : skipQuoted(text, i, ch);
            if (end < 0) return out + text.slice(i);
            out += text.slice(i, end + 1);
            i = end;
            continue;
        }
        out += ch;
    }
    return out;
}

/** Text of a field body without the bodies of nested blocks (so flags are read at this level only). */
function ownLevel(body: string): string {
    body = stripComments(body);
    let out = "";
    let i = 0;
    while (i < body.length) {
        const open = body.indexOf("{", i);
        if (open < 0) return out + body.slice(i);
        out += body.slice(i, open);
        const close = matchBrace(body, open);
        if (close < 0) return out;
        i = close + 1;
    }
    return out;
}

/** SDKv2: the fields of a `map[string]*schema.Schema{ … }` body. */
export function parseSdkSchema(body: string, consts: Map<string, string>): SchemaField[] {
    return mapEntries(body, consts).map(({ key, body: fieldBody }) => {
        const own = ownLevel(fieldBody);
        const nested = blockAfter(fieldBody, /Elem:\s*&schema\.Resource\s*\{[\s\S]*?Schema:\s*map\[string\]\*schema\.Schema\s*\{/);
        return {
            name: key,
            forceNew: /ForceNew:\s*true/.test(own),
            collection: /Type:\s*schema\.Type(List|Set)/.test(own),
            maxItemsOne: /MaxItems:\s*1\b/.test(own),
            children: nested ? parseSdkSchema(nested, consts) : [],
        };
    });
}

/** Plugin framework: attributes and blocks of a `schema.Schema{ … }` body. */
export function parseFrameworkSchema(body: string, consts: Map<string, string>): SchemaField[] {
    const fields: SchemaField[] = [];
    const attributes = blockAfter(body, /Attributes:\s*map\[string\]schema\.Attribute\s*\{/);
    if (attributes) {
        for (const { key, body: b } of mapEntries(attributes, consts)) {
            fields.push({ name: key, forceNew: /RequiresReplace\w*\(/.test(b), collection: false, maxItemsOne: false, children: [] });
        }
    }
    const blocks = blockAfter(body, /Blocks:\s*map\[string\]schema\.Block\s*\{/);
    if (blocks) {
        for (const { key, body: b } of mapEntries(blocks, consts)) {
            const inner = blockAfter(b, /NestedObject:\s*schema\.NestedBlockObject\s*\{/) ?? "";
            const own = ownLevel(b);
            fields.push({
                name: key,
                forceNew: /RequiresReplace\w*\(/.test(own),
                collection: true,
                maxItemsOne: /SizeAtMost\(1\)/.test(b),
                children: parseFrameworkSchema(inner, consts),
            });
        }
    }
    return fields;
}

/** Every resource registered in one Go source file, with its schema fields. */
export function parseGoResources(source: string, consts: Map<string, string> = new Map()): ParsedResource[] {
    const out: ParsedResource[] = [];
    const reg = /\/\/\s*@(SDK|Framework)Resource\("(aws_\w+)"/g;
    let m: RegExpExecArray | null;
    while ((m = reg.exec(source))) {
        // The resource's own function body: an SDKv2 schema is looked for there only.
        const fn = source.slice(m.index);
        const open = fn.indexOf("{", fn.search(/\bfunc\b/));
        const close = matchBrace(fn, open);
        if (open < 0 || close < 0) continue;
        const body = fn.slice(open, close + 1);
        if (m[1] === "SDK") {
            const schema = sdkSchemaBody(body, source);
            if (schema) out.push({ terraform: m[2], fields: parseSdkSchema(schema, consts) });
        } else {
            // The registration sits on the constructor; the schema is the type's Schema method, after it.
            const method = /\)\s*Schema\(\s*\w+\s+context\.Context,\s*\w+\s+resource\.SchemaRequest/g;
            method.lastIndex = m.index;
            const at = method.exec(source) ?? /\)\s*Schema\(\s*\w+\s+context\.Context,\s*\w+\s+resource\.SchemaRequest/.exec(source);
            const schema = at ? blockAfter(source.slice(at.index), /\bschema\.Schema\s*\{/) : undefined;
            if (schema) out.push({ terraform: m[2], fields: parseFrameworkSchema(schema, consts) });
        }
    }
    return out;
}

/**
 * An SDKv2 resource's schema map, in the three shapes the provider writes it: inline
 * (`Schema: map[string]*schema.Schema{…}`), built by a function (`SchemaFunc: func() … { return
 * map[string]*schema.Schema{…} }`), or a package variable (`Schema: queueSchema`).
 */
function sdkSchemaBody(resourceBody: string, source: string): string | undefined {
    const inline = blockAfter(resourceBody, /\bSchema:\s*map\[string\]\*schema\.Schema\s*\{/);
    if (inline !== undefined) return inline;
    const fromFunc = blockAfter(resourceBody, /\bSchemaFunc:\s*func\(\)\s*map\[string\]\*schema\.Schema\s*\{\s*return\s+map\[string\]\*schema\.Schema\s*\{/);
    if (fromFunc !== undefined) return fromFunc;
    const variable = /\bSchema:\s*([A-Za-z_]\w*)\s*,/.exec(resourceBody)?.[1];
    return variable ? blockAfter(source, new RegExp(`\\b${variable}\\s*=\\s*map\\[string\\]\\*schema\\.Schema\\s*\\{`)) : undefined;
}

/** snake_case → camelCase, pluralized as the bridge names list and set blocks. */
export function pulumiName(field: SchemaField, flattened: boolean): string {
    const camel = field.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (!field.collection || flattened || field.maxItemsOne) return camel;
    if (/s$/.test(camel)) return camel;
    if (/[^aeiou]y$/.test(camel)) return `${camel.slice(0, -1)}ies`;
    return `${camel}s`;
}

/** The Pulumi input paths that force replacement: a ForceNew field covers everything below it. */
export function forceNewPaths(fields: SchemaField[], maxItemsOne: Set<string> = new Set(), prefix = ""): string[] {
    const paths: string[] = [];
    for (const f of fields) {
        const tfPath = prefix ? `${prefix}.${f.name}` : f.name;
        const name = pulumiName(f, maxItemsOne.has(tfPath));
        if (f.forceNew) paths.push(name);
        else for (const p of forceNewPaths(f.children, maxItemsOne, tfPath)) paths.push(`${name}.${p}`);
    }
    return paths.sort();
}

interface BridgeMetadata {
    "auto-aliasing"?: { resources?: Record<string, { current?: string; fields?: Record<string, FieldMeta> }> };
}
interface FieldMeta {
    maxItemsOne?: boolean;
    elem?: { fields?: Record<string, FieldMeta> };
}

/** The `tf path` set of fields the bridge flattens (maxItemsOne), from the bridge metadata. */
export function flattenedPaths(fields: Record<string, FieldMeta> = {}, prefix = ""): Set<string> {
    const out = new Set<string>();
    for (const [name, meta] of Object.entries(fields)) {
        const p = prefix ? `${prefix}.${name}` : name;
        if (meta.maxItemsOne) out.add(p);
        for (const q of flattenedPaths(meta.elem?.fields, p)) out.add(q);
    }
    return out;
}

function walk(dir: string, files: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, files);
        else if (e.name.endsWith(".go") && !e.name.endsWith("_test.go")) files.push(p);
    }
    return files;
}

function main(argv: string[]): void {
    const arg = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const tf = arg("terraform");
    const metaFile = arg("bridge-metadata");
    if (!tf || !metaFile) throw new Error("usage: --terraform <terraform-provider-aws checkout> --bridge-metadata <bridge-metadata.json> [--types a,b] [--out file]");
    const out = arg("out") ?? path.join(__dirname, "replacement.json");
    const wanted = arg("types")?.split(",");
    type Entry = { terraform: string; source: string; forceNew: string[]; replaceOnSwitch?: string[][]; replaceWhenFlag?: Record<string, string>; note?: string };
    const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf8")) as { resources: Record<string, Entry> }) : { resources: {} as Record<string, Entry> };
    const types = wanted ?? Object.keys(previous.resources);
    const meta = JSON.parse(fs.readFileSync(metaFile, "utf8")) as BridgeMetadata;
    const aliasing = meta["auto-aliasing"]?.resources ?? {};
    const tfOf = new Map(Object.entries(aliasing).flatMap(([tfName, v]) => (v.current ? [[v.current, tfName] as const] : [])));
    const constsFile = path.join(tf, "names", "attr_consts_gen.go");
    const consts = fs.existsSync(constsFile) ? parseNameConstants(fs.readFileSync(constsFile, "utf8")) : new Map<string, string>();
    const parsed = new Map<string, { file: string; fields: SchemaField[] }>();
    for (const file of walk(path.join(tf, "internal", "service"))) {
        for (const r of parseGoResources(fs.readFileSync(file, "utf8"), consts)) parsed.set(r.terraform, { file: path.relative(tf, file), fields: r.fields });
    }
    const resources: Record<string, Entry> = {};
    for (const token of [...types].sort()) {
        const tfName = tfOf.get(token);
        const schema = tfName ? parsed.get(tfName) : undefined;
        if (!tfName || !schema) {
            process.stderr.write(`no data for ${token}${tfName ? ` (${tfName})` : ""}: left out, reported as unknown\n`);
            continue;
        }
        // What the provider decides in code (plan modifiers, CustomizeDiff) is curated by hand: kept.
        const kept = previous.resources[token];
        resources[token] = {
            terraform: tfName,
            source: schema.file,
            forceNew: forceNewPaths(schema.fields, flattenedPaths(aliasing[tfName].fields)),
            ...(kept?.replaceOnSwitch ? { replaceOnSwitch: kept.replaceOnSwitch } : {}),
            ...(kept?.replaceWhenFlag ? { replaceWhenFlag: kept.replaceWhenFlag } : {}),
            ...(kept?.note ? { note: kept.note } : {}),
        };
    }
    const version = arg("version") ?? "unknown";
    const table = {
        provider: { name: "hashicorp/terraform-provider-aws", version, commit: arg("commit") ?? "unknown", bridgedBy: arg("bridged-by") ?? "unknown" },
        source: "ForceNew (SDKv2) and RequiresReplace (plugin framework) in the provider's resource schemas",
        generatedBy: "plan/data/build-replacement-table.ts",
        resources,
    };
    fs.writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
    process.stdout.write(`${Object.keys(resources).length} resource types written to ${out}\n`);
}

if (require.main === module) main(process.argv.slice(2));

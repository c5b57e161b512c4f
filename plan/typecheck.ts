import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";
import { programRequire } from "./program-loader";

/**
 * `--typecheck`: type-checks a TypeScript program as Pulumi's TypeScript runtime would before running
 * it: with the project's own `tsconfig.json` (or, without one, the options Pulumi's runtime uses) and
 * the program's own `typescript` when it has one.
 */

export class TypeCheckError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TypeCheckError";
    }
}

/** Compiler options Pulumi's Node.js runtime uses for a project without a tsconfig.json. */
const PULUMI_DEFAULTS = { target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, strict: false };

/** Returns the compiler's messages (empty when the program type-checks). */
export function typeCheckProgram(dir: string, main: string): string[] {
    let ts: typeof TS;
    try {
        ts = programRequire(dir)("typescript");
    } catch {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ts = require("typescript");
    }
    const configFile = path.join(dir, "tsconfig.json");
    const host: TS.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" };
    let options: TS.CompilerOptions;
    let rootNames: string[];
    if (fs.existsSync(configFile)) {
        const read = ts.readConfigFile(configFile, ts.sys.readFile);
        if (read.error) return [ts.formatDiagnostics([read.error], host)];
        const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configFile);
        if (parsed.errors.length > 0) return [ts.formatDiagnostics(parsed.errors, host)];
        options = parsed.options;
        rootNames = parsed.fileNames.length > 0 ? parsed.fileNames : [main];
    } else {
        options = ts.convertCompilerOptionsFromJson(PULUMI_DEFAULTS, dir).options;
        rootNames = [main];
    }
    const program = ts.createProgram({ rootNames, options: { ...options, noEmit: true } });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
    return diagnostics.length > 0 ? [ts.formatDiagnostics(diagnostics, host).trimEnd()] : [];
}

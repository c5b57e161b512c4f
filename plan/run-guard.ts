
/**
 * A program run that never settles must end the plan with a cause, never a verdict: the run is raced
 * against a bound and against Node's event loop draining (nothing left that could settle it, where
 * Node would otherwise exit 0 — a silent pass — or the SDK's leak check would exit 1).
 */
export class PlanUnsettledError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanUnsettledError";
    }
}

/** The default bound on a program run, generous: the platform's own prod plan takes about a second. */
export const DEFAULT_SETTLE_TIMEOUT_MS = 300_000;

export async function settleWithin<T>(work: Promise<T>, timeoutMs: number, pending: () => string[]): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onDrain: (() => void) | undefined;
    const describe = (why: string) => {
        const waiting = pending();
        return new PlanUnsettledError(
            `the program did not settle: ${why}` + (waiting.length > 0 ? `; still waiting for ${waiting.join("; ")}` : "; no registration or invoke was outstanding (an awaited promise never resolved)"),
        );
    };
    const bound = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(describe(`no result after ${Math.round(timeoutMs / 1000)} s (--timeout)`)), timeoutMs);
        timer.unref();
        onDrain = () => reject(describe("nothing left to run could complete it"));
        process.once("beforeExit", onDrain);
    });
    try {
        return await Promise.race([work, bound]);
    } finally {
        clearTimeout(timer);
        if (onDrain) process.off("beforeExit", onDrain);
    }
}

type Write = typeof process.stdout.write;

/**
 * Runs `fn` as Pulumi runs a program: in the project's directory, its stdout and stderr going to our
 * stderr with a prefix (the report owns stdout). Restores both afterwards.
 */
export async function asProgram<T>(dir: string, fn: () => Promise<T>, prefix = "[program] "): Promise<T> {
    const cwd = process.cwd();
    const out = process.stdout.write;
    const err = process.stderr.write;
    const toStderr = (original: Write): Write => {
        let atLineStart = true;
        return function (this: unknown, chunk: unknown, ...rest: unknown[]) {
            const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : String(chunk);
            const prefixed = text.replace(/[^\n]*\n|[^\n]+$/g, (line) => {
                const res = atLineStart ? prefix + line : line;
                atLineStart = line.endsWith("\n");
                return res;
            });
            return (err as (...a: unknown[]) => boolean).call(process.stderr, prefixed, ...rest);
        } as Write;
        void original;
    };
    process.chdir(dir);
    process.stdout.write = toStderr(out);
    process.stderr.write = toStderr(err);
    try {
        return await fn();
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
        process.chdir(cwd);
    }
}

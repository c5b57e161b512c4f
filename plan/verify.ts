/**
 * What the offline plan cannot know and a program can say: a stack output named `verifyBeforeFirstUp`
 * (a list of strings) lists what must hold in the account before the first `pulumi up` — domains owned,
 * hosted zones delegated, quotas, engine versions still offered. Any program may export it; the reports
 * show it under its own heading instead of leaving it in the outputs.
 */
export const VERIFY_OUTPUT = "verifyBeforeFirstUp";

export const VERIFY_TITLE = "Verify before your first `pulumi up`";

/** The items of the output, or none when the program does not export it (or it is unknown). */
export function verifyItems(outputs: Record<string, unknown> | undefined): string[] {
    const value = outputs?.[VERIFY_OUTPUT];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

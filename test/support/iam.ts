import type { RecordedResource } from "../../plan/program";
import type { Recorded } from "./harness";
import { T } from "./types";

/**
 * A small evaluator of the identity policies a recorded stack gives a role: its inline policies and
 * the managed policies attached to it, statements matched with IAM's `*` and `?` wildcards on actions
 * and resources (conditions are ignored, which only ever widens what is allowed). Enough to assert
 * least privilege between roles, not a replacement for IAM.
 */

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: string | string[];
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const wildcard = (pattern: string, value: string, caseInsensitive = false) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "").test(value);

/** Every identity-policy statement of a role (by its recorded resource), found through the policies' property dependencies. */
export function statementsOf(rec: Recorded, role: RecordedResource): Statement[] {
    const onRole = (p: RecordedResource) => (p.propertyDependencies.role ?? []).includes(role.urn);
    const inline = rec.ofType(T.rolePolicy).filter(onRole);
    const attached = new Set(rec.ofType(T.rolePolicyAttachment).filter(onRole).flatMap((a) => a.propertyDependencies.policyArn ?? []));
    const managed = rec.ofType(T.managedPolicy).filter((p) => attached.has(p.urn));
    return [...inline, ...managed].flatMap((p) => JSON.parse(String(p.inputs.policy)).Statement as Statement[]);
}

/** Whether the statements allow `action` on `resource` (an explicit Deny wins). */
export function allows(statements: Statement[], action: string, resource: string): boolean {
    const hit = (s: Statement) => list(s.Action).some((a) => wildcard(a, action, true)) && list(s.Resource).some((r) => wildcard(r, resource));
    return statements.some((s) => s.Effect === "Allow" && hit(s)) && !statements.some((s) => s.Effect === "Deny" && hit(s));
}

import type { StackValidationPolicy } from "@pulumi/policy";
import { GroupGraph, coversPort } from "../lib/security-groups";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";

/**
 * FSx for Lustre needs inbound TCP 988 and 1018-1023 on its group, from itself or its clients
 * ("allow inbound traffic on ports 988 and 1018-1023 from the security group itself",
 * docs.aws.amazon.com/fsx/latest/LustreGuide/cannot-create-fs.html; the 2023 guide said 1021-1023,
 * aws-facts.md: use 1018-1023 today). Without them the file system fails to create.
 */
export const LUSTRE_PORTS = [988, 1018, 1019, 1020, 1021, 1022, 1023];

export const hpcLustrePorts: StackValidationPolicy = {
    name: "hpc-lustre-ports",
    description: "FSx for Lustre security groups admit TCP 988 and 1018-1023 by group reference (itself or its clients).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const ix = StackIndex.of(args.resources);
        const graph = GroupGraph.of(ix);
        for (const fs of ix.ofType(T.lustre)) {
            const groups = graph.groupsOf.get(fs.urn) ?? [];
            if (groups.length > 0 && groups.every((g) => g.res === undefined)) continue; // existing groups: their rules cannot be seen
            const rules = groups.flatMap((g) => g.ingress).filter((r) => r.source.kind === "group");
            const missing = LUSTRE_PORTS.filter((port) => !rules.some((r) => coversPort(r, port)));
            if (missing.length > 0) {
                reportViolation(
                    `Lustre file system '${fs.name}' ${groups.length === 0 ? "has no security group" : `groups (${groups.map((g) => `'${g.name}'`).join(", ")})`} do not admit TCP ${missing.join(", ")} from a group. Fix: allowSelf on tcp 988 and 1018-1023 (and admit the client group on the same ports).`,
                    fs.urn,
                );
            }
        }
    },
};

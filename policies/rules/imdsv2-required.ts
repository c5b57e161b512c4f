import type { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "../lib/types";
import { isUnknown, obj, raw, str } from "../lib/values";

/** IMDSv2 only: session tokens required on the instance metadata service (or the service off). */
export const imdsv2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description: "Instances and launch templates require IMDSv2 (metadataOptions.httpTokens = required), which blocks SSRF credential theft through IMDSv1.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== T.launchTemplate && args.type !== T.instance) return;
        const p = raw(args.props);
        // An instance launched from a launch template takes its metadata options from it.
        if (args.type === T.instance && p.launchTemplate !== undefined && p.metadataOptions === undefined) return;
        const m = obj(p.metadataOptions);
        if (isUnknown(m.httpTokens) || str(m.httpEndpoint) === "disabled" || str(m.httpTokens) === "required") return;
        reportViolation(
            `${args.type.split(":").pop()} '${args.name}' allows IMDSv1 (metadataOptions.httpTokens is ${str(m.httpTokens) ?? "unset"}). Fix: metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 }.`,
            args.urn,
        );
    },
};

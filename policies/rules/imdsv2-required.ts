import type { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "../lib/types";
import { arr, isUnknown, obj, Props, raw, str } from "../lib/values";

/** Why metadata options allow IMDSv1, or undefined when only IMDSv2 (or no metadata service) is reachable. */
function allowsV1(v: unknown): string | undefined {
    if (isUnknown(v)) return "metadataOptions is not known until the update, so IMDSv2 cannot be verified before deployment";
    const m: Props = obj(v);
    if (str(m.httpEndpoint) === "disabled" || str(m.httpTokens) === "required") return undefined;
    if (isUnknown(m.httpTokens)) return "metadataOptions.httpTokens is not known until the update, so IMDSv2 cannot be verified before deployment";
    return `metadataOptions.httpTokens is ${str(m.httpTokens) ?? "unset (optional: IMDSv1 allowed)"}`;
}

/**
 * IMDSv2 on every way to launch an instance: instances, spot instance requests, launch templates
 * (which Auto Scaling groups, EC2 fleets, spot fleets' launchTemplateConfigs, EKS node groups and
 * Batch use) and launch configurations. A spot fleet's own launchSpecifications cannot set metadata
 * options at all (botocore ec2 SpotFleetLaunchSpecification has no MetadataOptions), so they fail.
 */
export const imdsv2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description: "Every way to launch an instance requires IMDSv2 (metadataOptions.httpTokens = required), which blocks SSRF credential theft through IMDSv1.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const p = raw(args.props);
        const kind = args.type.split(":").pop();
        const fix = `Fix: metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 }.`;
        switch (args.type) {
            case T.instance:
            case T.spotInstanceRequest: {
                // An instance launched from a launch template takes its metadata options from it (judged there).
                if (p.launchTemplate !== undefined && p.metadataOptions === undefined) return;
                const why = allowsV1(p.metadataOptions);
                if (why) reportViolation(`${kind} '${args.name}' allows IMDSv1 (${why}). ${fix}`, args.urn);
                return;
            }
            case T.launchTemplate:
            case T.launchConfiguration: {
                const why = allowsV1(p.metadataOptions);
                if (why) reportViolation(`${kind} '${args.name}' allows IMDSv1 (${why}). ${fix}`, args.urn);
                return;
            }
            case T.spotFleetRequest:
                if (arr(p.launchSpecifications).length > 0) {
                    reportViolation(
                        `SpotFleetRequest '${args.name}' launches from launchSpecifications, which cannot require IMDSv2 (no metadata options): its instances allow IMDSv1. Fix: use launchTemplateConfigs with a launch template whose metadataOptions.httpTokens is "required".`,
                        args.urn,
                    );
                }
                return;
        }
    },
};

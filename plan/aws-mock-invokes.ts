import type { MockContext } from "./aws-mocks";
import { availabilityZonesOf, hexFor, uuidFrom } from "./aws-mock-values";

/** Renders `aws.iam.getPolicyDocument` statements as IAM JSON. */
function renderPolicyDocument(inputs: Record<string, any>): string {
    const one = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
    interface Statement {
        sid?: string;
        effect?: string;
        actions?: string[];
        notActions?: string[];
        resources?: string[];
        notResources?: string[];
        principals?: { type: string; identifiers: string[] }[];
        notPrincipals?: { type: string; identifiers: string[] }[];
        conditions?: { test: string; variable: string; values: string[] }[];
    }
    const statements = ((inputs.statements as Statement[] | undefined) ?? []).map((s) => {
        const out: Record<string, unknown> = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect ?? "Allow";
        if (s.actions) out.Action = one(s.actions);
        if (s.notActions) out.NotAction = one(s.notActions);
        if (s.resources) out.Resource = one(s.resources);
        if (s.notResources) out.NotResource = one(s.notResources);
        for (const [field, key] of [
            ["principals", "Principal"],
            ["notPrincipals", "NotPrincipal"],
        ] as const) {
            const principals = s[field];
            if (Array.isArray(principals)) {
                const p: Record<string, unknown> = {};
                for (const pr of principals) p[pr.type] = one(pr.identifiers);
                out[key] = p;
            }
        }
        if (Array.isArray(s.conditions)) {
            const c: Record<string, Record<string, unknown>> = {};
            for (const cond of s.conditions) {
                c[cond.test] = { ...(c[cond.test] ?? {}), [cond.variable]: one(cond.values) };
            }
            out.Condition = c;
        }
        return out;
    });
    return JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements }, null, 2);
}

/** Answers an invoke, or throws naming the token so a missing mock is never silent. */
export function mockInvoke(args: { token: string; inputs: Record<string, any>; provider?: string }, ctx: MockContext): Record<string, unknown> {
    const region = ctx.regionOf(args.provider);
    const inputs = args.inputs;
    const hex = (n: number) => hexFor(`${args.token}|${JSON.stringify(inputs)}`, n);
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const zones = availabilityZonesOf(region);
            return { ...zones, id: region, groupNames: [region] };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:user/offline-plan`, userId: "AIDAOFFLINEPLAN000000", id: ctx.accountId };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const json = renderPolicyDocument(inputs);
            return { json, minifiedJson: JSON.stringify(JSON.parse(json)), id: hex(10) };
        }
        case "aws:ec2/getAmi:getAmi": {
            const nameFilter = JSON.stringify(inputs.filters ?? "");
            const arch = /arm64|aarch64/.test(nameFilter) ? "arm64" : "x86_64";
            return {
                id: `ami-0${hex(16)}`,
                imageId: `ami-0${hex(16)}`,
                name: `al2023-ami-2023.9.20261101.0-kernel-6.12-${arch}`,
                architecture: arch,
                rootDeviceName: "/dev/xvda",
                ownerId: "137112412989",
                creationDate: "2026-11-01T00:00:00.000Z",
            };
        }
        case "aws:ssm/getParameter:getParameter": {
            const name = String(inputs.name ?? "");
            const value = /ami/i.test(name) ? `ami-0${hex(16)}` : `offline-ssm-value-${hex(8)}`;
            return { id: name, name, value, insecureValue: value, type: "String", version: 1, arn: `arn:aws:ssm:${region}:${ctx.accountId}:parameter${name.startsWith("/") ? "" : "/"}${name}` };
        }
        case "aws:route53/getZone:getZone": {
            const name = String(inputs.name ?? "example.com");
            const zoneId = String(inputs.zoneId ?? `Z${hex(20).toUpperCase()}`);
            return { id: zoneId, zoneId, name: name.replace(/\.$/, ""), privateZone: inputs.privateZone === true, nameServers: ["ns-1.awsdns-01.org"] };
        }
        case "aws:acm/getCertificate:getCertificate": {
            const arn = `arn:aws:acm:${region}:${ctx.accountId}:certificate/${uuidFrom(hex(32))}`;
            return { id: arn, arn, domain: inputs.domain, status: "ISSUED" };
        }
        case "aws:secretsmanager/getRandomPassword:getRandomPassword": {
            // Deterministic stand-in for GetRandomPassword: letters and digits of the asked length (default 32).
            const length = Number(inputs.passwordLength ?? 32);
            const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            const raw = hex(length * 2);
            let randomPassword = "";
            for (let i = 0; i < length; i++) randomPassword += alphabet[parseInt(raw.slice(2 * i, 2 * i + 2), 16) % alphabet.length];
            return { id: region, randomPassword };
        }
        case "aws:ec2/getVpc:getVpc":
            return { id: `vpc-${hex(17)}`, cidrBlock: "172.31.0.0/16", default: inputs.default === true };
        case "aws:ec2/getSubnets:getSubnets":
            return { id: region, ids: availabilityZonesOf(region).names.map((z) => `subnet-${hexFor(`getSubnets|${z}`, 17)}`) };
        default:
            throw new Error(`the offline plan has no mock for invoke '${args.token}'; add one to plan/aws-mocks.ts or avoid the call`);
    }
}

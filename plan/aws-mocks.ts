import { availabilityZonesOf, hexFor, str, uuidFrom } from "./aws-mock-values";
import { builders } from "./aws-mock-resources";

/**
 * Mock answers shaped like AWS's: ids and ARNs of the right form per resource type, in the region of
 * the resource's provider, and the invokes programs commonly use. Deterministic: the same program and
 * stack always get the same ids, so plan JSON diffs cleanly between commits.
 */

export interface MockContext {
    accountId: string;
    /** The region of a provider reference (`urn::id`), or of the default provider when empty. */
    regionOf(providerRef: string | undefined): string;
}

export interface MockedResource {
    id: string;
    state: Record<string, unknown>;
    /** Values the mock invented (ids, ARNs, endpoints): used to trace references between resources. */
    generated: string[];
}

export { UNKNOWN, resetMockCounters, availabilityZonesOf } from "./aws-mock-values";
export { hasInvokeMock, mockInvoke } from "./aws-mock-invokes";

/** Type token `aws:ec2/securityGroup:SecurityGroup` → `ec2/securityGroup`. */
function moduleResource(type: string): string {
    const parts = type.split(":");
    return parts.length === 3 ? parts[1] : type;
}

/** Services whose ARNs carry neither region nor account. */
const globalServices = new Set(["iam", "route53", "s3", "cloudfront"]);
const arnService: Record<string, string> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    vpc: "ec2",
    cloudwatch: "cloudwatch",
    efs: "elasticfilesystem",
    appautoscaling: "application-autoscaling",
};

function kebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Answers a resource registration (or a read of an existing resource, when `readId` is given). */
export function mockResource(
    args: { type: string; name: string; inputs: Record<string, any>; provider?: string; custom?: boolean; id?: string },
    ctx: MockContext,
): MockedResource {
    const { type, name, inputs } = args;
    const region = ctx.regionOf(args.provider);
    const key = `${type}|${name}`;
    const hex = (n: number) => hexFor(`${key}|${n}`, n);
    const physical = () => `${name}-${hexFor(`${key}|physical`, 7)}`;

    if (type.startsWith("pulumi:providers:")) {
        const id = uuidFrom(hexFor(key, 32));
        return { id, state: { ...inputs }, generated: [] };
    }
    if (type === "awsx:ec2:Vpc") {
        return mockAwsxVpc(args, region, ctx, hex);
    }
    if (args.custom === false) {
        // Local components keep their registered outputs; remote components echo their inputs.
        return { id: "", state: { ...inputs }, generated: [] };
    }

    // `aws:alb/...` tokens are aliases of `aws:lb/...`.
    const mod = moduleResource(type).replace(/^alb\//, "lb/");
    const builder = builders[mod] ?? builders[mod.replace(/V2$/, "")];
    let id: string;
    let out: Record<string, unknown> = {};
    if (args.id) {
        id = args.id;
        const built = builder ? builder({ name, inputs, region, account: ctx.accountId, hex, physical }) : undefined;
        out = built?.out ?? {};
    } else if (builder) {
        const built = builder({ name, inputs, region, account: ctx.accountId, hex, physical });
        id = built.id;
        out = built.out ?? {};
    } else {
        id = str(inputs.name) ?? physical();
    }
    if (type.startsWith("aws:") && out.arn === undefined) {
        const [svcModule, resource] = mod.split("/");
        const service = arnService[svcModule] ?? svcModule;
        const where = globalServices.has(service) ? `::${globalServices.has(service) && service !== "iam" ? "" : ctx.accountId}` : `:${region}:${ctx.accountId}`;
        out.arn = `arn:aws:${service}${where}:${kebab(resource ?? "resource")}/${id}`;
    }
    if (type === "random:index/randomPassword:RandomPassword" || type === "random:index/randomString:RandomString") {
        const length = Number(inputs.length ?? 32);
        out.result = `offline${hex(length)}`.slice(0, length);
    }
    if (type === "random:index/randomId:RandomId") {
        out.hex = hex(Number(inputs.byteLength ?? 8) * 2);
        out.b64Url = out.hex;
    }
    const generated = [id, ...Object.values(out).filter((v): v is string => typeof v === "string" && v.length >= 10)];
    return { id, state: { ...inputs, ...out, id }, generated };
}

/**
 * `awsx.ec2.Vpc` is a remote component: offline it is one resource with no children, so the mock
 * answers with what the real one exposes: a VPC id and one subnet id per AZ and subnet type.
 */
function mockAwsxVpc(
    args: { inputs: Record<string, any> },
    region: string,
    ctx: MockContext,
    hex: (n: number) => string,
): MockedResource {
    const inputs = args.inputs;
    const zones: string[] = Array.isArray(inputs.availabilityZoneNames)
        ? inputs.availabilityZoneNames
        : availabilityZonesOf(region).names.slice(0, Number(inputs.numberOfAvailabilityZones ?? 3));
    const specs: { type: string }[] = Array.isArray(inputs.subnetSpecs) && inputs.subnetSpecs.length > 0 ? inputs.subnetSpecs : [{ type: "Public" }, { type: "Private" }];
    const vpcId = `vpc-${hex(17)}`;
    const ids: Record<string, string[]> = { Public: [], Private: [], Isolated: [] };
    const layout: { type: string; availabilityZone: string; subnetId: string }[] = [];
    for (const spec of specs) {
        for (const zone of zones) {
            const subnetId = `subnet-${hexFor(`awsx-subnet|${vpcId}|${spec.type}|${zone}`, 17)}`;
            ids[spec.type]?.push(subnetId);
            layout.push({ type: spec.type, availabilityZone: zone, subnetId });
        }
    }
    const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
    const natCount = ids.Public.length === 0 || strategy === "None" ? 0 : strategy === "Single" ? 1 : zones.length;
    const natGatewayIds = Array.from({ length: natCount }, (_v, i) => `nat-${hexFor(`awsx-nat|${vpcId}|${i}`, 17)}`);
    const state = {
        ...inputs,
        vpcId,
        publicSubnetIds: ids.Public,
        privateSubnetIds: ids.Private,
        isolatedSubnetIds: ids.Isolated,
        // Not an awsx output: the plan's own record of where each mocked subnet sits.
        offlineSubnetLayout: layout,
        offlineNatGatewayIds: natGatewayIds,
        offlineArn: `arn:aws:ec2:${region}:${ctx.accountId}:vpc/${vpcId}`,
    };
    return { id: "", state, generated: [vpcId, ...ids.Public, ...ids.Private, ...ids.Isolated, ...natGatewayIds] };
}

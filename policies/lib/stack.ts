import type { PolicyResource } from "@pulumi/policy";
import { T } from "./types";
import { arr, isUnknown, obj, Props, raw, str } from "./values";

/**
 * One index of a stack, built once per stack-policy evaluation in linear time: resources by URN and
 * type, children by parent, raw props, and the ids the program's own references reveal.
 *
 * Inputs never carry a resource's own id, so ids are LEARNED: when a property holds one known string
 * and its `propertyDependencies` name exactly one resource, that string is that resource's id (or
 * ARN/name, whatever the reference used). References are then resolved by value through these ids
 * (known ids: offline, `pulumi up`) and, where the value is unknown (a real preview), through the
 * property's dependencies (awsguard's `security-group-no-rule-management-conflicts` does the same).
 */
export interface Res {
    urn: string;
    type: string;
    name: string;
    props: Props;
    protect: boolean;
    parent?: string;
    /** Property name → URNs it depends on. */
    deps: Record<string, string[]>;
}

const indexes = new WeakMap<readonly PolicyResource[], StackIndex>();

/** The resource an awsx component creates first and always: its presence means the component was expanded. */
const AWSX_CORE_TYPES: Record<string, string> = {
    "awsx:lb:ApplicationLoadBalancer": "aws:lb/loadBalancer:LoadBalancer",
    "awsx:lb:NetworkLoadBalancer": "aws:lb/loadBalancer:LoadBalancer",
    "awsx:ec2:Vpc": "aws:ec2/vpc:Vpc",
    "awsx:ecs:FargateService": "aws:ecs/service:Service",
    "awsx:ecs:EC2Service": "aws:ecs/service:Service",
    "awsx:ecs:FargateTaskDefinition": "aws:ecs/taskDefinition:TaskDefinition",
    "awsx:ecs:EC2TaskDefinition": "aws:ecs/taskDefinition:TaskDefinition",
    "awsx:ecr:Repository": "aws:ecr/repository:Repository",
    "awsx:cloudtrail:Trail": "aws:cloudtrail/trail:Trail",
};

export class StackIndex {
    /**
     * The index of a resource list, built once per list: when an evaluator hands every stack policy the
     * same list (the offline plan does), the policies share one index; the CLI's server builds a list
     * per policy, and then each gets its own.
     */
    static of(resources: readonly PolicyResource[]): StackIndex {
        let ix = indexes.get(resources);
        if (!ix) {
            ix = new StackIndex(resources);
            indexes.set(resources, ix);
        }
        return ix;
    }

    readonly all: Res[] = [];
    private readonly byUrnMap = new Map<string, Res>();
    private readonly byTypeMap = new Map<string, Res[]>();
    private readonly childrenMap = new Map<string, Res[]>();
    /** Learned reference value (id, ARN, name) → URN. */
    private readonly valueToUrn = new Map<string, string>();

    constructor(resources: readonly PolicyResource[]) {
        for (const r of resources) {
            const deps: Record<string, string[]> = {};
            for (const [k, list] of Object.entries(r.propertyDependencies ?? {})) {
                deps[k] = (list ?? []).map((d) => d.urn);
            }
            const res: Res = {
                urn: r.urn,
                type: r.type,
                name: r.name,
                props: raw(r.props),
                protect: r.opts?.protect === true,
                parent: r.parent?.urn,
                deps,
            };
            this.all.push(res);
            this.byUrnMap.set(res.urn, res);
            let list = this.byTypeMap.get(res.type);
            if (!list) this.byTypeMap.set(res.type, (list = []));
            list.push(res);
            if (res.parent) {
                let kids = this.childrenMap.get(res.parent);
                if (!kids) this.childrenMap.set(res.parent, (kids = []));
                kids.push(res);
            }
        }
        for (const res of this.all) {
            for (const [prop, urns] of Object.entries(res.deps)) {
                if (urns.length !== 1) continue;
                const v = res.props[prop];
                const single = typeof v === "string" ? v : Array.isArray(v) && v.length === 1 ? v[0] : undefined;
                const known = str(single);
                if (known && !this.valueToUrn.has(known)) this.valueToUrn.set(known, urns[0]);
            }
        }
    }

    get(urn: string | undefined): Res | undefined {
        return urn === undefined ? undefined : this.byUrnMap.get(urn);
    }

    ofType(...types: string[]): Res[] {
        return types.flatMap((t) => this.byTypeMap.get(t) ?? []);
    }

    children(urn: string): Res[] {
        return this.childrenMap.get(urn) ?? [];
    }

    /**
     * An awsx component (a remote, multi-language component) is opaque when the stack does not hold
     * what it creates: offline it is one resource; in a real preview its children are listed and judged
     * like any other resource, so the rules reason over its inputs only when it is opaque. A program may
     * parent resources of its own to the component (a listener on an awsx load balancer): those do not
     * make it expanded. What the component creates is recognised by its core resource (the load
     * balancer of an awsx load balancer, the VPC of an awsx Vpc, ...); for a component type with no
     * known core resource, any child counts.
     */
    isOpaque(res: Res): boolean {
        const children = this.children(res.urn);
        const core = AWSX_CORE_TYPES[res.type];
        return core ? !children.some((c) => c.type === core) : children.length === 0;
    }

    /** The resource a value refers to, by learned id. */
    byValue(value: unknown): Res | undefined {
        const v = str(value);
        return v === undefined ? undefined : this.get(this.valueToUrn.get(v));
    }

    /**
     * Resolves the reference(s) in `values` (found under the top-level property `prop` of `from`) to
     * resources accepted by `accept`. Known values resolve by learned id; values that are unknown or
     * unresolved fall back to the property's dependencies of an accepted type. Values that resolve to
     * nothing are returned in `unresolved` (existing resources the program did not create).
     */
    resolve(from: Res, prop: string, values: unknown[], accept: (r: Res) => boolean): { found: Res[]; unresolved: string[]; unknown: number } {
        const found = new Map<string, Res>();
        const unresolved: string[] = [];
        let unknown = 0;
        let fallback = false;
        for (const v of values) {
            const hit = this.byValue(v);
            if (hit && accept(hit)) {
                found.set(hit.urn, hit);
            } else if (isUnknown(v) || (typeof v === "object" && v !== null)) {
                unknown++;
                fallback = true;
            } else if (str(v)) {
                unresolved.push(String(v));
                fallback = true;
            }
        }
        if (fallback) {
            // The dependencies of `prop` that are of an accepted type but not matched by value stand for the rest.
            const candidates = (from.deps[prop] ?? []).map((u) => this.get(u)).filter((r): r is Res => r !== undefined && accept(r) && !found.has(r.urn));
            if (candidates.length > 0) {
                for (const c of candidates) found.set(c.urn, c);
                unknown = 0;
                unresolved.length = 0;
            }
        }
        return { found: [...found.values()], unresolved, unknown };
    }
}

/** Known string values (and unknown sentinels) of an array property. */
export function listOf(v: unknown): unknown[] {
    return typeof v === "string" ? [v] : arr(v);
}

/** The launch-template references of an Auto Scaling group (plain, or inside a mixed instances policy). */
export function launchTemplateRefsOf(asg: Props): unknown[] {
    const refs: unknown[] = [];
    const lt = obj(asg.launchTemplate);
    if (lt.id !== undefined) refs.push(lt.id);
    else if (lt.name !== undefined) refs.push(lt.name);
    const spec = obj(obj(obj(asg.mixedInstancesPolicy).launchTemplate).launchTemplateSpecification);
    if (spec.launchTemplateId !== undefined) refs.push(spec.launchTemplateId);
    else if (spec.launchTemplateName !== undefined) refs.push(spec.launchTemplateName);
    return refs;
}

/** Auto Scaling groups by the launch templates they launch (URN → groups). */
export function groupsByLaunchTemplate(ix: StackIndex): Map<string, Res[]> {
    const out = new Map<string, Res[]>();
    for (const asg of ix.ofType(T.autoScalingGroup)) {
        const prop = asg.props.launchTemplate !== undefined ? "launchTemplate" : "mixedInstancesPolicy";
        const { found } = ix.resolve(asg, prop, launchTemplateRefsOf(asg.props), (r) => r.type === T.launchTemplate);
        for (const lt of found) {
            const list = out.get(lt.urn) ?? [];
            list.push(asg);
            out.set(lt.urn, list);
        }
    }
    return out;
}

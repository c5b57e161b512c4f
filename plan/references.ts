/**
 * An index over plan resources for following references between them: by URN, by type, by the id
 * (or ARN) the resource got, and through `propertyDependencies` when ids are unknown (a real preview).
 * Generic: it knows AWS id shapes only through the ids the plan recorded, and no component by name.
 */

/** The fields of a plan resource (see contract.ts) that the cost estimate and the diagram read. */
export interface PlanResourceLike {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    provider: { urn: string; region: string | null } | null;
    id: string | null;
    inputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
    custom?: boolean;
    operation?: string;
}

export type Props = Record<string, unknown>;

export const obj = (v: unknown): Props => (v && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}
export const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined);
/** A single value or a list, as a list (Pulumi inputs accept both in places). */
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

export class PlanIndex<R extends PlanResourceLike = PlanResourceLike> {
    readonly byUrn = new Map<string, R>();
    private readonly byType = new Map<string, R[]>();
    private readonly byId = new Map<string, R>();
    private readonly children = new Map<string, R[]>();

    constructor(
        readonly resources: readonly R[],
        /** The stack's region, for resources whose provider has none. */
        readonly defaultRegion: string | null = null,
    ) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
            if (r.id) this.byId.set(r.id, r);
            const arn = str(r.inputs.arn);
            if (arn) this.byId.set(arn, r);
            if (r.parent) {
                const siblings = this.children.get(r.parent);
                if (siblings) siblings.push(r);
                else this.children.set(r.parent, [r]);
            }
        }
    }

    ofType(...types: string[]): R[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    childrenOf(urn: string): R[] {
        return this.children.get(urn) ?? [];
    }

    /**
     * The region of a resource: its provider's; for a resource with no provider recorded (a remote
     * component such as `awsx.ec2.Vpc`), the region of the availability zones it names; else the stack's.
     */
    regionOf(r: R): string | null {
        if (r.provider?.region) return r.provider.region;
        const zone = str(arr(r.inputs.availabilityZoneNames)[0]) ?? str(r.inputs.availabilityZone);
        const m = zone ? /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$/.exec(zone) : null;
        return m ? m[1] : this.defaultRegion;
    }

    /**
     * The resources that input `prop` of `from` refers to, among those `accept` takes: values that are
     * recorded ids or ARNs resolve exactly; when some value is unknown (not a string, or an id the
     * program did not create) the property's dependencies fill in.
     */
    resolve(from: R, prop: string, values: unknown[], accept: (r: R) => boolean): R[] {
        const found: R[] = [];
        let unresolved = values.length === 0;
        for (const v of values) {
            const hit = typeof v === "string" ? this.byId.get(v) : undefined;
            if (hit && accept(hit)) {
                if (!found.includes(hit)) found.push(hit);
            } else {
                unresolved = true;
            }
        }
        if (unresolved) {
            for (const urn of from.propertyDependencies[prop] ?? []) {
                const dep = this.byUrn.get(urn);
                if (dep && accept(dep) && !found.includes(dep)) found.push(dep);
            }
        }
        return found;
    }

    private readonly tops = new Map<string, R>();

    /** The top-level ancestor of a resource: the child of the root (the stack) its parent chain leads to. Memoized. */
    topAncestor(r: R): R {
        const done = this.tops.get(r.urn);
        if (done) return done;
        const parent = r.parent ? this.byUrn.get(r.parent) : undefined;
        const top = !parent || !parent.parent || !this.byUrn.has(parent.parent) ? r : this.topAncestor(parent);
        this.tops.set(r.urn, top);
        return top;
    }
}

/**
 * Which application, environment and service a planned resource belongs to, read from ownership tags
 * (`platform:application`, `platform:environment`, `platform:service` by default) and inherited through
 * the parent chain, so that resources with no tags of their own (components, rules, policies) belong to
 * what their parent belongs to. Used to group reports, trace violations to config entries and allocate
 * cost. Pure: it reads plan resources only, and knows no component by name.
 */

export interface OwnershipTags {
    application: string;
    environment: string;
    service: string;
}

export const DEFAULT_OWNERSHIP_TAGS: OwnershipTags = {
    application: "platform:application",
    environment: "platform:environment",
    service: "platform:service",
};

export interface Owner {
    application?: string;
    environment?: string;
    service?: string;
}

/** The fields of a plan resource that ownership needs. */
export interface OwnedResource {
    urn: string;
    parent: string | null;
    inputs: Record<string, unknown>;
}

type Tags = Map<string, string>;

function addTag(into: Tags, key: unknown, value: unknown): void {
    if (typeof key === "string" && typeof value === "string") into.set(key, value);
}

/** Tags as AWS resources carry them: a `tags` map, Auto Scaling `tags` lists, launch-template `tagSpecifications`. */
export function tagsOf(inputs: Record<string, unknown>): Tags {
    const tags: Tags = new Map();
    const read = (value: unknown) => {
        if (Array.isArray(value)) {
            for (const t of value) {
                if (t && typeof t === "object") addTag(tags, (t as Record<string, unknown>).key, (t as Record<string, unknown>).value);
            }
        } else if (value && typeof value === "object") {
            for (const [k, v] of Object.entries(value)) addTag(tags, k, v);
        }
    };
    read(inputs.tags);
    if (Array.isArray(inputs.tagSpecifications)) {
        for (const spec of inputs.tagSpecifications) {
            if (spec && typeof spec === "object") read((spec as Record<string, unknown>).tags);
        }
    }
    return tags;
}

/**
 * A field of a subtree's owner: a value, `null` when the subtree disagrees or a resource with ownership
 * tags lacks this one, `undefined` when nothing says.
 */
type Field = string | null | undefined;
type SubtreeOwner = Record<keyof Owner, Field>;

/** The resource's own ownership tags; none of them (other tags only, like `Name`) counts as untagged. */
function ownTags(r: OwnedResource, keys: OwnershipTags): SubtreeOwner | undefined {
    const tags = tagsOf(r.inputs);
    if (!tags.has(keys.application) && !tags.has(keys.environment) && !tags.has(keys.service)) return undefined;
    return {
        application: tags.get(keys.application) ?? null,
        environment: tags.get(keys.environment) ?? null,
        service: tags.get(keys.service) ?? null,
    };
}

/** What the children of an untagged resource agree on. */
function agreed(values: Field[]): Field {
    if (values.includes(null)) return null;
    const set = new Set(values.filter((v): v is string => v !== undefined));
    return set.size === 0 ? undefined : set.size === 1 ? [...set][0] : null;
}

/**
 * The owner of every resource, by URN. A resource's own ownership tags win; one without them (a
 * component, a resource tagged only with `Name`) owns what all its descendants that say something agree
 * on, else inherits from its nearest owned ancestor. So a resource with no ownership tags inside one
 * application's component tree is that application's. The root never owns by agreement. Resources that
 * belong to no application are absent from the map.
 */
export function ownersOf(resources: OwnedResource[], keys: OwnershipTags = DEFAULT_OWNERSHIP_TAGS): Map<string, Owner> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of resources) {
        if (r.parent) {
            const list = children.get(r.parent) ?? [];
            list.push(r.urn);
            children.set(r.parent, list);
        }
    }

    // Bottom-up: a tagged resource owns what its tags say; an untagged one what its subtree agrees on.
    const subtree = new Map<string, SubtreeOwner>();
    const visit = (urn: string): SubtreeOwner => {
        const cached = subtree.get(urn);
        if (cached) return cached;
        const r = byUrn.get(urn);
        let result = r ? ownTags(r, keys) : undefined;
        if (!result && !(r?.parent && byUrn.has(r.parent))) {
            // The root (the stack) never owns by agreement: what a stack holds is not one application's.
            result = { application: undefined, environment: undefined, service: undefined };
        } else if (!result) {
            const below = (children.get(urn) ?? []).map(visit);
            result = {
                application: agreed(below.map((o) => o.application)),
                environment: agreed(below.map((o) => o.environment)),
                service: agreed(below.map((o) => o.service)),
            };
        }
        subtree.set(urn, result);
        return result;
    };

    const owners = new Map<string, Owner>();
    const resolve = (urn: string): Owner => {
        const done = owners.get(urn);
        if (done) return done;
        const r = byUrn.get(urn);
        const mine = visit(urn);
        const up: Owner = r?.parent && byUrn.has(r.parent) ? resolve(r.parent) : {};
        // An environment or service is only inherited within the same application.
        const application = mine.application ?? up.application;
        const sameApp = application === up.application;
        const owner: Owner = {
            application,
            environment: mine.environment ?? (sameApp ? up.environment : undefined),
            service: mine.service ?? (sameApp ? up.service : undefined),
        };
        owners.set(urn, owner);
        return owner;
    };
    for (const r of resources) resolve(r.urn);
    for (const [urn, o] of owners) {
        if (!o.application) {
            owners.delete(urn);
        } else {
            for (const k of ["environment", "service"] as const) if (o[k] === undefined) delete o[k];
        }
    }
    return owners;
}

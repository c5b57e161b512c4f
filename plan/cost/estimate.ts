import { Owner, ownersOf } from "../ownership";
import { PlanIndex, PlanResourceLike } from "../references";
import { PRICERS, USAGE } from "./pricers";
import { PriceTable } from "./table";

/**
 * The monthly cost estimate of a plan: on-demand list prices of each resource's region, 730 hours a
 * month, for what the plan fixes (instances at their desired or minimum count, load balancers, NAT
 * gateways, addresses, database and cache nodes, provisioned storage, keys, secrets, alarms).
 * Usage-driven charges are listed, never priced. Pure: it reads the plan JSON and a price table.
 */

export interface CostLine {
    urn: string;
    type: string;
    name: string;
    region: string;
    application?: string;
    monthly: number;
    /** How the number was made: quantities, unit prices and what was left out. */
    basis: string;
}

export interface MissingPrice {
    region: string;
    key: string;
    reason: string;
    resources: string[];
}

export interface CostEstimate {
    currency: "USD";
    monthly: number;
    byApplication: Record<string, number>;
    /** Priced resources of no application (shared network, clusters). */
    shared: number;
    resources: CostLine[];
    /** Resource types at least one resource of which could not be (fully) priced. */
    unpriced: string[];
    unpricedResources: { urn: string; type: string; reason: string }[];
    missingPrices: MissingPrice[];
    /** Usage-driven charges of the resource types in the plan: not estimated. */
    notEstimated: { type: string; what: string }[];
    hoursPerMonth: number;
    prices: { source: string; date: string; region: string | null; regions: string[] };
}

export interface PlanLike {
    region?: string | null;
    resources: PlanResourceLike[];
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

const money = (n: number) => `$${n < 1 ? n.toFixed(4).replace(/0+$/, "").replace(/\.$/, "") : n.toFixed(n < 10 ? 3 : 2).replace(/0+$/, "").replace(/\.$/, "")}`;

/** `owners`: the plan's ownership (`ownersOf`), when the caller has it already. */
export function estimateCost(plan: PlanLike, table: PriceTable, owners: Map<string, Owner> = ownersOf(plan.resources)): CostEstimate {
    const region = plan.region ?? plan.resources.find((r) => r.provider?.region)?.provider?.region ?? null;
    const ix = new PlanIndex(plan.resources, region);
    const ctx = { ix, region: region ?? "(unknown region)", table };
    const hours = table.hoursPerMonth;

    const lines: CostLine[] = [];
    const unpricedResources: CostEstimate["unpricedResources"] = [];
    const missing = new Map<string, MissingPrice>();
    const regions = new Set<string>();
    const usageTypes = new Set<string>();

    for (const r of plan.resources) {
        if (r.operation === "read") continue;
        if (USAGE[r.type]) usageTypes.add(r.type);
        const pricer = PRICERS[r.type];
        if (!pricer) continue;
        const pricing = pricer(r, ctx);
        const resRegion = ix.regionOf(r) ?? ctx.region;
        regions.add(resRegion);
        if (pricing.unknown) {
            unpricedResources.push({ urn: r.urn, type: r.type, reason: pricing.unknown });
            continue;
        }
        let total = 0;
        const parts: string[] = [];
        const gaps: string[] = [];
        for (const c of pricing.charges) {
            regions.add(c.region);
            const found = table.lookup(c.region, c.key);
            if (!found.ok) {
                if (c.quantity === 0) continue;
                const id = `${c.region}|${c.key}`;
                const m = missing.get(id) ?? { region: c.region, key: c.key, reason: found.reason, resources: [] };
                if (!m.resources.includes(r.urn)) m.resources.push(r.urn);
                missing.set(id, m);
                gaps.push(`${c.what}: no price for ${c.key} in ${c.region}`);
                continue;
            }
            const unit = found.entry.unit;
            const amount = c.quantity * found.usd * (unit === "hour" ? hours : 1);
            total += amount;
            const per = unit === "hour" ? `${money(found.usd)}/h × ${hours} h` : `${money(found.usd)}/${unit}`;
            parts.push(`${c.what} × ${per}${c.region !== resRegion ? ` (${c.region})` : ""}`);
        }
        if (gaps.length > 0) unpricedResources.push({ urn: r.urn, type: r.type, reason: gaps.join("; ") });
        if (parts.length === 0 && gaps.length > 0) continue;
        const extra = [...gaps.map((g) => `unpriced: ${g}`), ...(pricing.notes ?? [])];
        const app = owners.get(r.urn)?.application;
        lines.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            region: resRegion,
            ...(app ? { application: app } : {}),
            monthly: round2(total),
            basis: [parts.join(" + ") || "nothing billed at this size", ...extra].join("; "),
        });
    }

    const byApplication: Record<string, number> = {};
    let shared = 0;
    let monthly = 0;
    for (const l of lines) {
        monthly += l.monthly;
        if (l.application) byApplication[l.application] = (byApplication[l.application] ?? 0) + l.monthly;
        else shared += l.monthly;
    }
    // Every application of the plan is listed, even one with nothing priced yet.
    for (const o of owners.values()) if (o.application) byApplication[o.application] ??= 0;
    for (const k of Object.keys(byApplication)) byApplication[k] = round2(byApplication[k]);

    const dates = table.dates();
    return {
        currency: "USD",
        monthly: round2(monthly),
        byApplication: Object.fromEntries(Object.entries(byApplication).sort(([a], [b]) => a.localeCompare(b))),
        shared: round2(shared),
        resources: lines,
        unpriced: [...new Set(unpricedResources.map((u) => u.type))].sort(),
        unpricedResources,
        missingPrices: [...missing.values()],
        notEstimated: [...usageTypes].sort().map((type) => ({ type, what: USAGE[type] })),
        hoursPerMonth: hours,
        prices: {
            source: "plan/cost/prices.json: on-demand list prices, source and read date per entry",
            date: dates.length > 1 ? `${dates[0]}..${dates[dates.length - 1]}` : (dates[0] ?? "unknown"),
            region,
            regions: [...regions].sort(),
        },
    };
}

export interface CostDelta {
    currency: "USD";
    base: number;
    head: number;
    monthly: number;
    byApplication: Record<string, { base: number; head: number; delta: number }>;
    shared: { base: number; head: number; delta: number };
    /** Resources whose monthly cost changed (added, removed or resized), largest change first. */
    resources: { urn: string; name: string; application?: string; base: number; head: number; delta: number }[];
    /** Types unpriced in the head but not in the base: the delta may miss them. */
    newlyUnpriced: string[];
}

/** The change from a base plan's estimate to a head plan's (`--baseline`). */
export function costDelta(base: CostEstimate, head: CostEstimate): CostDelta {
    const byApplication: CostDelta["byApplication"] = {};
    for (const app of new Set([...Object.keys(base.byApplication), ...Object.keys(head.byApplication)])) {
        const b = base.byApplication[app] ?? 0;
        const h = head.byApplication[app] ?? 0;
        byApplication[app] = { base: b, head: h, delta: round2(h - b) };
    }
    const before = new Map(base.resources.map((l) => [l.urn, l]));
    const after = new Map(head.resources.map((l) => [l.urn, l]));
    const resources: CostDelta["resources"] = [];
    for (const urn of new Set([...before.keys(), ...after.keys()])) {
        const b = before.get(urn);
        const h = after.get(urn);
        const delta = round2((h?.monthly ?? 0) - (b?.monthly ?? 0));
        if (delta === 0) continue;
        const app = h?.application ?? b?.application;
        resources.push({ urn, name: (h ?? b)!.name, ...(app ? { application: app } : {}), base: b?.monthly ?? 0, head: h?.monthly ?? 0, delta });
    }
    resources.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.urn.localeCompare(y.urn));
    return {
        currency: "USD",
        base: base.monthly,
        head: head.monthly,
        monthly: round2(head.monthly - base.monthly),
        byApplication,
        shared: { base: base.shared, head: head.shared, delta: round2(head.shared - base.shared) },
        resources,
        newlyUnpriced: head.unpriced.filter((t) => !base.unpriced.includes(t)),
    };
}

import type { PlanResourceLike } from "../../plan/references";
import { PriceTable, PriceEntry } from "../../plan/cost/table";

/** Small synthetic plans and price tables for the cost and diagram tests. */

export const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";

export interface ResOptions {
    parent?: string;
    id?: string;
    region?: string;
    deps?: Record<string, string[]>;
}

export function res(type: string, name: string, inputs: Record<string, unknown> = {}, o: ResOptions = {}): PlanResourceLike {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`,
        type,
        name,
        parent: o.parent ?? STACK,
        provider: { urn: "urn:pulumi:t::p::pulumi:providers:aws::default", region: o.region ?? "us-east-1" },
        id: o.id ?? null,
        inputs,
        propertyDependencies: o.deps ?? {},
        custom: true,
        operation: "create",
    };
}

export const stackRoot = (): PlanResourceLike => ({
    urn: STACK,
    type: "pulumi:pulumi:Stack",
    name: "p-t",
    parent: null,
    provider: null,
    id: null,
    inputs: {},
    propertyDependencies: {},
    custom: false,
    operation: "create",
});

export const component = (type: string, name: string, parent = STACK): PlanResourceLike => ({ ...res(type, name, {}, { parent }), custom: false, provider: null });

export const appTags = (application: string, environment?: string) => ({ "platform:application": application, ...(environment ? { "platform:environment": environment } : {}) });

/** Test prices: round numbers, so that expected totals are obvious. */
export function testTable(extra: Partial<PriceEntry>[] = []): PriceTable {
    const e = (region: string, key: string, usd: number | null, unit: PriceEntry["unit"]): PriceEntry => ({ region, key, usd, unit, source: "test", date: "2026-12-01" });
    return new PriceTable({
        currency: "USD",
        hoursPerMonth: 730,
        entries: [
            e("us-east-1", "ec2:instance:t3.small", 0.02, "hour"),
            e("us-east-1", "ec2:instance:t3.medium", 0.04, "hour"),
            e("us-east-1", "ec2:instance:c5n.18xlarge", 4, "hour"),
            e("us-east-1", "ebs:gp3:storage", 0.1, "GB-month"),
            e("us-east-1", "elb:application:hour", 0.02, "hour"),
            e("us-east-1", "elb:network:hour", 0.03, "hour"),
            e("us-east-1", "vpc:nat-gateway:hour", 0.05, "hour"),
            e("us-west-2", "vpc:nat-gateway:hour", 0.06, "hour"),
            e("us-east-1", "vpc:public-ipv4:hour", 0.005, "hour"),
            e("us-west-2", "vpc:public-ipv4:hour", 0.005, "hour"),
            e("us-east-1", "rds:instance:mysql:db.t4g.medium", 0.1, "hour"),
            e("us-east-1", "rds:instance:aurora-mysql:db.r6g.large", 0.3, "hour"),
            e("us-west-2", "rds:instance:aurora-mysql:db.r6g.large", 0.4, "hour"),
            e("us-east-1", "rds:storage:gp3", 0.2, "GB-month"),
            e("us-east-1", "elasticache:node:redis:cache.t4g.micro", 0.02, "hour"),
            e("us-east-1", "fsx:lustre:PERSISTENT_2:SSD:125", 0.15, "GB-month"),
            e("us-east-1", "kms:key:month", 1, "month"),
            e("us-east-1", "secretsmanager:secret:month", 0.4, "month"),
            e("us-west-2", "secretsmanager:secret:month", 0.5, "month"),
            e("us-east-1", "cloudwatch:alarm:standard:month", 0.1, "month"),
            e("us-east-1", "cloudwatch:alarm:high-resolution:month", 0.3, "month"),
            e("us-east-1", "ec2:instance:m9z.large", null, "hour"),
            ...extra.map((x) => ({ ...e(x.region ?? "us-east-1", x.key ?? "", x.usd ?? null, x.unit ?? "hour"), ...x })),
        ],
    });
}

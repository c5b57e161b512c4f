import { z } from "zod";

/**
 * The plan JSON: the machine contract consumed by pull-request gates and by later tooling. Fields may
 * be added; the ones below are never renamed.
 */
const urn = z.string().startsWith("urn:pulumi:");

export const planResourceSchema = z.object({
    urn,
    type: z.string(),
    name: z.string(),
    custom: z.boolean(),
    parent: urn.nullable(),
    provider: z.object({ urn, region: z.string().nullable() }).nullable(),
    id: z.string().nullable(),
    inputs: z.record(z.string(), z.unknown()),
    options: z.record(z.string(), z.unknown()),
    dependencies: z.array(urn),
    propertyDependencies: z.record(z.string(), z.array(urn)),
});

export const planViolationSchema = z.object({
    policy: z.string(),
    enforcementLevel: z.enum(["mandatory", "advisory"]),
    urn: urn.nullable(),
    message: z.string(),
    /** What caused it: the stack file, line and config path of a catalog entry, else the program's position, else nulls. */
    source: z.object({ file: z.string().nullable(), line: z.number().int().positive().nullable(), path: z.string().nullable() }).optional(),
    /** The application (and environment, service) the violating resource belongs to. */
    owner: z.object({ application: z.string(), environment: z.string().optional(), service: z.string().optional() }).optional(),
});

export const planSchema = z.object({
    project: z.string(),
    stack: z.string(),
    resources: z.array(planResourceSchema),
    outputs: z.record(z.string(), z.unknown()),
    violations: z.array(planViolationSchema),
    summary: z.object({ resources: z.number().int(), mandatory: z.number().int(), advisory: z.number().int() }),
});

export type PlanJson = z.infer<typeof planSchema>;

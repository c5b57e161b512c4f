import { z } from "zod";

/** The price table's schema (`prices.json`): checked where the table is written and by the tests. */

export const priceEntrySchema = z.object({
    region: z.string(),
    key: z.string(),
    usd: z.number().nonnegative().nullable(),
    unit: z.enum(["hour", "month", "GB-month"]),
    source: z.string().nullable(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    note: z.string().optional(),
});

export const priceTableSchema = z.object({
    currency: z.literal("USD"),
    hoursPerMonth: z.number().positive(),
    description: z.string().optional(),
    generated: z.object({ by: z.string(), date: z.string() }).optional(),
    entries: z.array(priceEntrySchema),
});

export type PriceEntry = z.infer<typeof priceEntrySchema>;
export type PriceTableData = z.infer<typeof priceTableSchema>;

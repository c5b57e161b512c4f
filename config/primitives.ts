import { z } from "zod";

/**
 * Value shapes shared by every part of the stack config schema. Values set with `pulumi config set`
 * arrive as strings; structured values (`--path`) as JSON, so numbers and booleans accept both.
 */

/** An integer given either as a YAML number inside structured config or as a string. */
export const int = () =>
    z.union([z.number(), z.string().regex(/^-?\d+$/, "expected a whole number").transform(Number)]).pipe(z.number().int());

/** A number (integer or decimal) given as a number or a string. */
export const number = () =>
    z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, "expected a number").transform(Number)]).pipe(z.number());

/** A boolean given as true/false or as the strings "true"/"false". */
export const bool = () => z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const awsRegion = () => z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "expected an AWS region such as us-east-1");

/** Lowercase letters, digits and hyphens: names become part of resource names and log groups. */
export const resourceName = (max: number) =>
    z.string().regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`), `expected 1-${max} lowercase letters, digits or hyphens, starting with a letter`);

import type { PlatformConfig } from "../config";

/**
 * What every builder of the stack layer needs to know about the stack: its project and name,
 * whether it is production (the one place the environment class is turned into a boolean: from
 * `platform:environmentClass`, never from the stack's name) and the tags of every resource.
 */
export type StackSettings = Pick<PlatformConfig, "project" | "stack" | "environmentClass" | "isProduction" | "tags">;

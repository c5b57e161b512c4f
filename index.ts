import { runPlatform } from "./platform";

/**
 * The platform program: the stack layer (platform/) checks the whole stack config before any
 * resource is registered, then builds the network, the catalog's applications and the HPC cluster.
 */
export = runPlatform;

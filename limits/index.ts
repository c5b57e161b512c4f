/**
 * AWS value lists, limits and patterns that both the stack config schema and the components
 * need. A leaf: imports nothing of the platform and no Pulumi package, so loading the schema does
 * not load the provider.
 */
export * from "./data-services";
export * from "./efa";
export * from "./efa-instance-types";
export * from "./lustre";
export * from "./engine-versions";

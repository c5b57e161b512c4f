export * from "./security-groups";
export * from "./validation";
export * from "./network";
export * from "./application";
export * from "./application-version";
export * from "./environment-settings";
export * from "./environment";
export * from "./user-data";

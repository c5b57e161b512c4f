export * from "./cluster";
export * from "./data-bucket";
export * from "./efa";
export * from "./lustre";
export * from "./tags";

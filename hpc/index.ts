export * from "./cluster";
export * from "./data-bucket";
export * from "./efa";
export * from "./lustre";
export * from "./node-setup";
export * from "./tags";

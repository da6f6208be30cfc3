export * from "./catalog";
export * from "./earnings";
export * from "./proration";

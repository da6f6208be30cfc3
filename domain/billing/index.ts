export * from "./catalog";
export * from "./earnings";
export * from "./proration";
export * from "./selfDealing";
export * from "./settlement";
export * from "./receipts";

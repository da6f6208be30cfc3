export * from "./accounts";
export * from "./reconcile";
export * from "./transactions";
export * from "./ledger";

export * from "./ledger";
export * from "./policy";
export * from "./pricing";
export * from "./freeTrial";

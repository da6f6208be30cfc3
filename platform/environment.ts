/**
 * Where local stand-ins may run: the local payment mode and its webhook secret, dev routes, the mailbox, the demo
 * seed, fixed development keys. Exactly these names, compared as they are: anything else — missing, "",
 * "Development", "prod", "bench" — is treated as a real deployment, so a typo fails closed.
 */
export const LOCAL_ENVIRONMENTS: readonly string[] = ["development", "test"];

export const isLocalEnvironment = (env: { ENVIRONMENT?: string | undefined }): boolean =>
  typeof env.ENVIRONMENT === "string" && LOCAL_ENVIRONMENTS.includes(env.ENVIRONMENT);

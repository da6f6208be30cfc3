import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { ensureDemoData } from "../dev/seed";
import { importWallets } from "../jobs/importWallets";

let seeding: Promise<unknown> | undefined;

/** Moves every wallet still kept in D1 into its student's object (a local database from before the move). */
async function importAllWallets(env: Env) {
  let next: string | null = "";
  while (next !== null) next = (await importWallets(env, new Date(), 20, next)).next;
}

/**
 * In local development only, before the first request is served: wallets of an older local database are moved into
 * the students' objects (so `npm run dev` data keeps its balances), and the demo accounts exist.
 */
export const demoSeed = createMiddleware<AppEnv>(async (c, next) => {
  if (c.env.ENVIRONMENT === "development") {
    seeding ??= importAllWallets(c.env)
      .then(() => ensureDemoData(c.env))
      .catch((e) => {
        seeding = undefined;
        throw e;
      });
    await seeding;
  }
  await next();
});

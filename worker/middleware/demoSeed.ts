import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { ensureDemoData } from "../dev/seed";

let seeding: Promise<unknown> | undefined;

/** In local development only, makes sure the demo accounts exist before the first request is served. */
export const demoSeed = createMiddleware<AppEnv>(async (c, next) => {
  if (c.env.ENVIRONMENT === "development") {
    seeding ??= ensureDemoData(c.env).catch((e) => {
      seeding = undefined;
      throw e;
    });
    await seeding;
  }
  await next();
});

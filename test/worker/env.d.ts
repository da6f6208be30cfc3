import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** The local push service of test/fakes/pushService.ts. */
      PUSH_SERVICE_URL: string;
      EMAIL_FAKE_URL: string;
    }
  }
}

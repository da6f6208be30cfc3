import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);

export default defineConfig({
  test: {
    // The Worker's own info lines (one access line per request) would drown the test report.
    onConsoleLog: (line) => !line.includes('{"level":"info"'),
    projects: [
      {
        // Pure domain code: plain Node, no bindings, no clock.
        test: { name: "domain", environment: "node", include: ["domain/**/*.test.ts", "test/unit/**/*.test.ts"] },
      },
      {
        // Routes, middleware and Durable Objects inside workerd with migrations applied.
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "test",
                TEST_MIGRATIONS: migrations,
                // The session credential's key, as a deployed Worker has it (tests that switch ENVIRONMENT need one).
                SESSION_SIGNING_KEY: "test-session-signing-key",
                // The feed key, likewise: a deployed Worker refuses to start without either.
                FEED_TOKEN_SECRET: "test-feed-token-secret",
                // The sender, likewise (a deployed Worker with an email provider refuses to start without one).
                EMAIL_FROM: "Tutorly <no-reply@tutorly.example>",
                // Test-only secrets for the Calendly webhook (test/worker/calendly.test.ts signs with it).
                CALENDLY_WEBHOOK_SIGNING_KEY: "test-calendly-signing-key",
                CALENDLY_API_TOKEN: "test-calendly-api-token",
                // Calendly's API (users/me, scheduled events) is the wire fake started in globalSetup.
                CALENDLY_API_BASE: inject("calendlyFakeUrl"),
                // The real Stripe SDK against the wire fake started in globalSetup.
                STRIPE_SECRET_KEY: "sk_test_tutorly_fake",
                STRIPE_API_BASE: inject("stripeFakeUrl"),
                STRIPE_WEBHOOK_SECRET: "whsec_test_tutorly",
                STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_test_tutorly_connect",
                STRIPE_PRICES: "starter=price_starter,standard=price_standard,intensive=price_intensive,pack-60=price_pack60,pack-180=price_pack180",
                // Cloudflare Realtime's wire fake (RealtimeKit REST and TURN credentials). Rooms are peer-to-peer
                // with TURN; the RealtimeKit credentials let rooms remove participants from meetings, and
                // test/worker/realtimekit.test.ts sets VIDEO_PROVIDER=realtimekit to switch joins over to it.
                VIDEO_PROVIDER: "p2p",
                REALTIME_API_BASE: `${inject("realtimeFakeUrl")}/client/v4`,
                REALTIME_ACCOUNT_ID: "acc_tutorly_fake",
                REALTIME_APP_ID: "app_tutorly_fake",
                REALTIME_API_TOKEN: "rtk_test_token",
                REALTIME_TURN_API_BASE: `${inject("realtimeFakeUrl")}/v1`,
                REALTIME_TURN_KEY_ID: "turn_key_tutorly_fake",
                REALTIME_TURN_KEY_API_TOKEN: "turn_token_tutorly_fake",
                // A local Web Push service that decrypts what it receives (test/fakes/pushService.ts); tests subscribe there.
                PUSH_SERVICE_URL: inject("pushServiceUrl"),
                // The email API's wire fake (test/worker/email.test.ts switches the http sender on with it).
                EMAIL_FAKE_URL: inject("emailFakeUrl"),
              },
            },
          })),
        ],
        test: {
          name: "worker",
          // Concurrency tests sign up dozens of users (PBKDF2 each); a busy 2-core CI machine needs headroom.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          globalSetup: ["./test/worker/globalSetup.ts"],
        },
      },
      {
        // Headless Chromium against `wrangler dev`; see test/e2e/server.ts.
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

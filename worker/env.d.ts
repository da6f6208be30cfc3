/**
 * Optional secrets and settings, each a switch: absent means the local/offline behaviour.
 * `wrangler types` generates the bindings in worker-configuration.d.ts; this adds what it cannot know.
 */
interface Env {
  /** Demo admin created by the local seed (development only). */
  DEMO_ADMIN_EMAIL?: string;
  DEMO_ADMIN_PASSWORD?: string;
  /** Extra origins allowed to make state-changing requests (comma separated), e.g. a staging SPA. */
  APP_ORIGINS?: string;
  /** Key feed URLs are derived with (worker/features/calendarSync/feedToken.ts); required outside local environments. */
  FEED_TOKEN_SECRET?: string;
  /** Calendly webhook signing key: without it every Calendly delivery is refused as unsigned. */
  CALENDLY_WEBHOOK_SIGNING_KEY?: string;
  /** Calendly API token, to look up a booking's times when a delivery does not carry them (older payloads). */
  CALENDLY_API_TOKEN?: string;
}

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
}

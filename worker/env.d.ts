/**
 * Optional secrets and settings, each a switch: absent means the local/offline behaviour.
 * `wrangler types` generates the bindings in worker-configuration.d.ts; this adds what it cannot know.
 */
interface TutorlySettings {
  /** Demo admin created by the local seed (development only). */
  DEMO_ADMIN_EMAIL?: string;
  DEMO_ADMIN_PASSWORD?: string;
  /** Extra origins allowed to make state-changing requests (comma separated), e.g. a staging SPA. */
  APP_ORIGINS?: string;
  /** Stripe secret key; absent = local payment mode (development only). */
  STRIPE_SECRET_KEY?: string;
  /** Signing secret of the Stripe webhook endpoint (and of the Connect endpoint, if separate). */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_CONNECT_WEBHOOK_SECRET?: string;
  /** Plan and pack → Stripe Price ids: "starter=price_…,standard=price_…,intensive=price_…,pack-60=price_…". */
  STRIPE_PRICES?: string;
  /** Another Stripe API host (tests point this at the local wire fake). */
  STRIPE_API_BASE?: string;
  /** The public URL of the app (Stripe redirects back here); defaults to the request's origin. */
  APP_URL?: string;
  /** The platform's cut of tutor earnings, in percent (default 20). */
  PLATFORM_COMMISSION_PERCENT?: string;
  /**
   * Video provider: "realtimekit" or "p2p" (domain/video/config.ts). Unset: RealtimeKit when its three secrets are
   * set; locally, peer-to-peer. Staging and production refuse to start without a complete configuration.
   */
  VIDEO_PROVIDER?: string;
  /** Cloudflare Realtime (RealtimeKit) for video: account, app and an API token with Realtime Admin. */
  REALTIME_ACCOUNT_ID?: string;
  REALTIME_APP_ID?: string;
  REALTIME_API_TOKEN?: string;
  /** Another RealtimeKit API host (tests point this at the local wire fake); default https://api.cloudflare.com/client/v4. */
  REALTIME_API_BASE?: string;
  /** RealtimeKit preset names for the tutor (host) and students; default group_call_host / group_call_participant. */
  REALTIME_HOST_PRESET?: string;
  REALTIME_PARTICIPANT_PRESET?: string;
  /** A Cloudflare Realtime TURN key (id and API token): peer-to-peer joins get short-lived TURN credentials minted with it. */
  REALTIME_TURN_KEY_ID?: string;
  REALTIME_TURN_KEY_API_TOKEN?: string;
  /** Another TURN credentials host (tests point this at the wire fake); default https://rtc.live.cloudflare.com/v1. */
  REALTIME_TURN_API_BASE?: string;
  /** "outbox" (default; local mailbox page), "http" (EMAIL_HTTP_URL + EMAIL_HTTP_TOKEN) or "cloudflare" (send_email binding EMAIL). */
  EMAIL_PROVIDER?: string;
  EMAIL_FROM?: string;
  EMAIL_HTTP_URL?: string;
  EMAIL_HTTP_TOKEN?: string;
  /** HMAC key of the signed session credential (worker/features/auth/credential.ts); required outside local environments. */
  SESSION_SIGNING_KEY?: string;
  /** Key feed URLs are derived with (worker/features/calendarSync/feedToken.ts); required outside local environments. */
  FEED_TOKEN_SECRET?: string;
  /** Calendly webhook signing key: without it every Calendly delivery is refused as unsigned. */
  CALENDLY_WEBHOOK_SIGNING_KEY?: string;
  /** Calendly API token, to look up a booking's times when a delivery does not carry them (older payloads). */
  CALENDLY_API_TOKEN?: string;
  /** Another Calendly API host (tests point this at the local wire fake); default https://api.calendly.com. */
  CALENDLY_API_BASE?: string;
  /**
   * Key that seals outside calendar addresses and Calendly tokens in D1 (worker/lib/sealed.ts); required outside
   * local environments. The previous key keeps old values readable during a rotation.
   */
  DATA_ENCRYPTION_KEY?: string;
  DATA_ENCRYPTION_KEY_PREVIOUS?: string;
  /** Web Push (VAPID, RFC 8292): the server's P-256 key pair, base64url (public: uncompressed point; private: d). */
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
  /** Who push services can contact about our pushes: `mailto:` or `https:` (default mailto:push@tutorly.dev). */
  VAPID_SUBJECT?: string;
}

interface Env extends TutorlySettings {}
declare namespace Cloudflare {
  interface Env extends TutorlySettings {}
}

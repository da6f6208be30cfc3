/**
 * Which video provider a deployment runs, and what its configuration lacks. Pure: the settings are an input, so
 * the Worker (at start-up and on every join) and `npm run deploy` (from wrangler.toml and the secrets Cloudflare
 * holds) apply the same rules.
 *
 * - `realtimekit`: Cloudflare RealtimeKit (an SFU) — needs its account, app and API token.
 * - `p2p`: browsers meet each other directly (a mesh). On the open internet that needs TURN, so outside local
 *   development it must be chosen explicitly (`VIDEO_PROVIDER=p2p`) together with a Cloudflare TURN key.
 * Locally (`ENVIRONMENT` development or test) peer-to-peer with host candidates only is the default.
 */
export type VideoSettings = {
  ENVIRONMENT?: string;
  VIDEO_PROVIDER?: string;
  REALTIME_ACCOUNT_ID?: string;
  REALTIME_APP_ID?: string;
  REALTIME_API_TOKEN?: string;
  REALTIME_TURN_KEY_ID?: string;
  REALTIME_TURN_KEY_API_TOKEN?: string;
};

export type VideoPlan =
  | { ok: true; provider: "realtimekit" }
  /** `turn`: short-lived TURN credentials are minted for each join; without, host candidates only (local). */
  | { ok: true; provider: "p2p"; turn: boolean }
  | { ok: false; missing: string[]; message: string };

export const REALTIMEKIT_SETTINGS = ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"] as const;
export const TURN_SETTINGS = ["REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"] as const;

/** Environments where the offline stand-ins (no TURN, host candidates only) are allowed. */
export const isLocalEnvironment = (environment: string | undefined) => environment === "development" || environment === "test";

const absent = (s: VideoSettings, names: readonly (keyof VideoSettings)[]) => names.filter((n) => !s[n]?.trim());

/** What the settings choose, or the names of what is missing (never their values). */
export function planVideo(s: VideoSettings): VideoPlan {
  const local = isLocalEnvironment(s.ENVIRONMENT);
  const rtkMissing = absent(s, REALTIMEKIT_SETTINGS);
  const turnMissing = absent(s, TURN_SETTINGS);
  const choice = s.VIDEO_PROVIDER?.trim() || null;
  const refuse = (missing: string[], why: string): VideoPlan => ({ ok: false, missing, message: `Video is not configured: ${why}` });

  if (choice !== null && choice !== "realtimekit" && choice !== "p2p") {
    return refuse(["VIDEO_PROVIDER"], `VIDEO_PROVIDER is "${choice.slice(0, 40)}"; it must be "realtimekit" or "p2p".`);
  }
  // A half-set group is always a mistake (a typo in a secret's name), whichever provider is chosen.
  if (rtkMissing.length && rtkMissing.length < REALTIMEKIT_SETTINGS.length) {
    return refuse(rtkMissing, `RealtimeKit is half configured; set ${list(rtkMissing)}.`);
  }
  if (turnMissing.length && turnMissing.length < TURN_SETTINGS.length) {
    return refuse(turnMissing, `the TURN key is half configured; set ${list(turnMissing)}.`);
  }
  if (choice === "realtimekit" || (choice === null && !rtkMissing.length)) {
    return rtkMissing.length ? refuse(rtkMissing, `VIDEO_PROVIDER is realtimekit; set ${list(rtkMissing)}.`) : { ok: true, provider: "realtimekit" };
  }
  if (choice === "p2p") {
    if (!turnMissing.length) return { ok: true, provider: "p2p", turn: true };
    if (local) return { ok: true, provider: "p2p", turn: false };
    return refuse(turnMissing, `peer-to-peer video needs TURN on the open internet; set ${list(turnMissing)}.`);
  }
  if (local) return { ok: true, provider: "p2p", turn: !turnMissing.length };
  return refuse(
    [...rtkMissing],
    `set ${list(rtkMissing)} for Cloudflare RealtimeKit, or choose peer-to-peer with VIDEO_PROVIDER=p2p plus ${list([...TURN_SETTINGS])}.`,
  );
}

const list = (names: readonly string[]) => (names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

import { z } from "zod";

export const REALTIME_DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";
/** The presets a new RealtimeKit app comes with. */
export const REALTIME_DEFAULT_HOST_PRESET = "group_call_host";
export const REALTIME_DEFAULT_PARTICIPANT_PRESET = "group_call_participant";

/** What the Worker hands the session room to talk to RealtimeKit (the room object never reads env itself). */
export const RealtimeConfigSchema = z.object({
  accountId: z.string().min(1).max(64),
  appId: z.string().min(1).max(64),
  apiToken: z.string().min(1).max(500),
  apiBase: z.url(),
  hostPreset: z.string().min(1).max(100),
  participantPreset: z.string().min(1).max(100),
});
export type RealtimeConfig = z.infer<typeof RealtimeConfigSchema>;

type RealtimeEnv = Pick<
  Env,
  "REALTIME_ACCOUNT_ID" | "REALTIME_APP_ID" | "REALTIME_API_TOKEN" | "REALTIME_API_BASE" | "REALTIME_HOST_PRESET" | "REALTIME_PARTICIPANT_PRESET"
>;

/**
 * RealtimeKit is on when its account, app and API token are all configured; otherwise sessions use the local
 * peer-to-peer provider. `REALTIME_API_BASE` points it at another host (the tests' wire fake).
 */
export function realtimeConfig(env: RealtimeEnv): RealtimeConfig | null {
  if (!env.REALTIME_ACCOUNT_ID || !env.REALTIME_APP_ID || !env.REALTIME_API_TOKEN) return null;
  return RealtimeConfigSchema.parse({
    accountId: env.REALTIME_ACCOUNT_ID,
    appId: env.REALTIME_APP_ID,
    apiToken: env.REALTIME_API_TOKEN,
    apiBase: (env.REALTIME_API_BASE || REALTIME_DEFAULT_API_BASE).replace(/\/+$/, ""),
    hostPreset: env.REALTIME_HOST_PRESET || REALTIME_DEFAULT_HOST_PRESET,
    participantPreset: env.REALTIME_PARTICIPANT_PRESET || REALTIME_DEFAULT_PARTICIPANT_PRESET,
  });
}

import { z } from "zod";
import { type VideoPlan, planVideo } from "../../../domain/video/config";

export const REALTIME_DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";
export const TURN_DEFAULT_API_BASE = "https://rtc.live.cloudflare.com/v1";
/** The presets a new RealtimeKit app comes with. */
export const REALTIME_DEFAULT_HOST_PRESET = "group_call_host";
export const REALTIME_DEFAULT_PARTICIPANT_PRESET = "group_call_participant";

/** What the Worker hands the session room to talk to RealtimeKit. */
export const RealtimeConfigSchema = z.object({
  accountId: z.string().min(1).max(64),
  appId: z.string().min(1).max(64),
  apiToken: z.string().min(1).max(500),
  apiBase: z.url(),
  hostPreset: z.string().min(1).max(100),
  participantPreset: z.string().min(1).max(100),
});
export type RealtimeConfig = z.infer<typeof RealtimeConfigSchema>;

/** A Cloudflare Realtime TURN key: it mints short-lived TURN credentials and is never sent to browsers. */
export type TurnConfig = { keyId: string; apiToken: string; apiBase: string };

type RealtimeEnv = Pick<
  Env,
  | "ENVIRONMENT"
  | "VIDEO_PROVIDER"
  | "REALTIME_ACCOUNT_ID"
  | "REALTIME_APP_ID"
  | "REALTIME_API_TOKEN"
  | "REALTIME_API_BASE"
  | "REALTIME_HOST_PRESET"
  | "REALTIME_PARTICIPANT_PRESET"
  | "REALTIME_TURN_KEY_ID"
  | "REALTIME_TURN_KEY_API_TOKEN"
  | "REALTIME_TURN_API_BASE"
>;

const base = (url: string | undefined, fallback: string) => (url || fallback).replace(/\/+$/, "");

/** The deployment's video provider (domain/video/config.ts), or what its configuration lacks. */
export const videoPlan = (env: RealtimeEnv): VideoPlan => planVideo(env);

/**
 * RealtimeKit's credentials when all three are set, whichever provider joins use: the room also needs them to
 * remove participants from a meeting created while RealtimeKit was on. `REALTIME_API_BASE` points it at
 * another host (the tests' wire fake).
 */
export function realtimeConfig(env: RealtimeEnv): RealtimeConfig | null {
  if (!env.REALTIME_ACCOUNT_ID || !env.REALTIME_APP_ID || !env.REALTIME_API_TOKEN) return null;
  return RealtimeConfigSchema.parse({
    accountId: env.REALTIME_ACCOUNT_ID,
    appId: env.REALTIME_APP_ID,
    apiToken: env.REALTIME_API_TOKEN,
    apiBase: base(env.REALTIME_API_BASE, REALTIME_DEFAULT_API_BASE),
    hostPreset: env.REALTIME_HOST_PRESET || REALTIME_DEFAULT_HOST_PRESET,
    participantPreset: env.REALTIME_PARTICIPANT_PRESET || REALTIME_DEFAULT_PARTICIPANT_PRESET,
  });
}

/** The TURN key when both its id and API token are set; `REALTIME_TURN_API_BASE` points it at a fake. */
export function turnConfig(env: RealtimeEnv): TurnConfig | null {
  if (!env.REALTIME_TURN_KEY_ID || !env.REALTIME_TURN_KEY_API_TOKEN) return null;
  return { keyId: env.REALTIME_TURN_KEY_ID, apiToken: env.REALTIME_TURN_KEY_API_TOKEN, apiBase: base(env.REALTIME_TURN_API_BASE, TURN_DEFAULT_API_BASE) };
}

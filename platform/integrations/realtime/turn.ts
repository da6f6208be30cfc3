import { z } from "zod";
import type { TurnConfig } from "./config";

/** A failed call to Cloudflare's TURN credentials API. */
export class TurnError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const IceServerSchema = z.object({
  urls: z.union([z.string().min(1).max(300), z.array(z.string().min(1).max(300)).min(1).max(20)]),
  username: z.string().max(500).optional(),
  credential: z.string().max(500).optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;
const AnswerSchema = z.object({ iceServers: z.array(IceServerSchema).min(1).max(10) }).loose();

/** Credentials never live shorter than this, nor longer than this (Cloudflare allows up to 48 h). */
export const TURN_TTL_MIN_S = 10 * 60;
export const TURN_TTL_MAX_S = 12 * 60 * 60;

/**
 * Mints short-lived ICE servers (Cloudflare's STUN and TURN, with a username and credential of their own) for one
 * participant: `POST {base}/turn/keys/{keyId}/credentials/generate-ice-servers {ttl}`. URLs on port 53 are left
 * out: browsers refuse that port (it is on their list of blocked ports) and would only wait on it.
 */
export async function mintIceServers(config: TurnConfig, ttlSeconds: number): Promise<IceServer[]> {
  const ttl = Math.round(Math.min(TURN_TTL_MAX_S, Math.max(TURN_TTL_MIN_S, ttlSeconds)));
  const res = await fetch(`${config.apiBase}/turn/keys/${encodeURIComponent(config.keyId)}/credentials/generate-ice-servers`, {
    method: "POST",
    headers: { Authorization: `Bearer ${config.apiToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ttl }),
  }).catch((e: unknown) => {
    throw new TurnError(0, `TURN credentials unreachable: ${String(e)}`);
  });
  if (!res.ok) throw new TurnError(res.status, `TURN credentials failed (${res.status})`);
  const parsed = AnswerSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new TurnError(502, "TURN credentials came back in an unexpected shape");
  return parsed.data.iceServers
    .map((s) => ({ ...s, urls: (Array.isArray(s.urls) ? s.urls : [s.urls]).filter((u) => !/:53(\?|$)/.test(u)) }))
    .filter((s) => s.urls.length > 0);
}

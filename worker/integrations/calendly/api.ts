import { z } from "zod";
import { type ScheduledEvent, ScheduledEventSchema } from "../../../domain/calendly/webhook";
import { ApiError } from "../../lib/errors";

const EVENT_URI = /^https:\/\/api\.calendly\.com\/scheduled_events\/([A-Za-z0-9_-]{1,64})$/;
const EventResponseSchema = z.object({ resource: ScheduledEventSchema });
const UserResponseSchema = z.object({
  resource: z.object({ uri: z.string().regex(/^https:\/\/api\.calendly\.com\/users\/[A-Za-z0-9_-]{1,64}$/), name: z.string().max(200).nullish() }),
});

export type CalendlyUser = { uri: string; name: string | null };

/** Calendly's API host (tests point CALENDLY_API_BASE at the wire fake). */
const base = (env: Pick<Env, "CALENDLY_API_BASE">) => (env.CALENDLY_API_BASE ?? "https://api.calendly.com").replace(/\/$/, "");

async function get(env: Pick<Env, "CALENDLY_API_BASE">, path: string, token: string): Promise<Response> {
  try {
    return await fetch(`${base(env)}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new ApiError(502, "calendly_unreachable", "Calendly could not be reached. Please try again in a moment.");
  }
}

/**
 * The Calendly user a personal access token belongs to (`GET /users/me`): the proof that whoever links a
 * Calendly user owns it. Null when Calendly does not accept the token; an outage is a 502.
 */
export async function fetchCurrentUser(env: Pick<Env, "CALENDLY_API_BASE">, token: string): Promise<CalendlyUser | null> {
  const res = await get(env, "/users/me", token);
  if (res.status === 401 || res.status === 403) return null;
  if (!res.ok) throw new ApiError(502, "calendly_unreachable", "Calendly could not check the token right now. Please try again in a moment.");
  const body = UserResponseSchema.safeParse(await res.json().catch(() => null));
  if (!body.success) throw new ApiError(502, "calendly_unreachable", "Calendly answered in a way we did not understand.");
  return { uri: body.data.resource.uri, name: body.data.resource.name ?? null };
}

/**
 * The scheduled event behind a delivery that does not embed it (older payloads carry only its URI), read with
 * `token` (the linked tutor's, else CALENDLY_API_TOKEN). Null without a token, for a URI that is not one of
 * Calendly's, or for an event the token cannot see; a Calendly outage is a 502 so that Calendly delivers again.
 */
export async function fetchScheduledEvent(env: Pick<Env, "CALENDLY_API_BASE">, uri: string, token: string | undefined): Promise<ScheduledEvent | null> {
  const id = EVENT_URI.exec(uri)?.[1];
  if (!token || !id) return null;
  const res = await get(env, `/scheduled_events/${id}`, token);
  if (res.status === 404 || res.status === 401 || res.status === 403) return null;
  if (!res.ok) throw new ApiError(502, "calendly_unreachable", `Calendly answered ${res.status} for a scheduled event.`);
  const body = EventResponseSchema.safeParse(await res.json().catch(() => null));
  return body.success ? body.data.resource : null;
}

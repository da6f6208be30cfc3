import { z } from "zod";
import { type ScheduledEvent, ScheduledEventSchema } from "../../../domain/calendly/webhook";
import { ApiError } from "../../lib/errors";

const EVENT_URI = /^https:\/\/api\.calendly\.com\/scheduled_events\/[A-Za-z0-9_-]{1,64}$/;
const ResponseSchema = z.object({ resource: ScheduledEventSchema });

/**
 * The scheduled event behind a delivery that does not embed it (older payloads carry only its URI), read
 * from Calendly's API with CALENDLY_API_TOKEN. Null when no token is configured or the URI is not one of
 * Calendly's; a Calendly outage is a 502 so that Calendly delivers again later.
 */
export async function fetchScheduledEvent(env: Pick<Env, "CALENDLY_API_TOKEN">, uri: string): Promise<ScheduledEvent | null> {
  if (!env.CALENDLY_API_TOKEN || !EVENT_URI.test(uri)) return null;
  let res: Response;
  try {
    res = await fetch(uri, { headers: { Authorization: `Bearer ${env.CALENDLY_API_TOKEN}`, Accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    throw new ApiError(502, "calendly_unreachable", `Calendly could not be reached: ${String(e)}`);
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new ApiError(502, "calendly_unreachable", `Calendly answered ${res.status} for a scheduled event.`);
  const body = ResponseSchema.safeParse(await res.json().catch(() => null));
  return body.success ? body.data.resource : null;
}

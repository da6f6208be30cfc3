import { z } from "zod";
import { verifyCalendlySignature } from "../../../domain/calendly/signature";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { log } from "../../../platform/log";
import { seal } from "../../lib/sealed";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { fetchCurrentUser } from "../../integrations/calendly/api";
import { currentUser, requireRole } from "../../middleware/auth";
import { receiveCalendlyDelivery } from "./calendly";
import { type CalendlyLink, findCalendlyLink, linkCalendly, tokenContext, unlinkCalendly } from "./calendlyRepo";

const MAX_BODY = 256 * 1024;

/**
 * Linking needs proof: a personal access token of the Calendly user, which Calendly's `GET /users/me` resolves
 * to that user. A user URI may come along as a check (a token of someone else is refused rather than linked).
 */
const LinkSchema = z.object({
  token: z.string().trim().max(4000),
  userUri: z
    .string()
    .trim()
    .regex(/^https:\/\/api\.calendly\.com\/users\/[A-Za-z0-9_-]{1,64}$/, "Use your Calendly user URI, like https://api.calendly.com/users/AAAAAAAAAAAAAAAA")
    .optional(),
});

/**
 * A token cut short or pasted with spaces is refused before Calendly is asked, by a code of its own
 * (`calendly_token_malformed`) so the page says it in the tutor's language; the issue names the field for API clients.
 */
const PARTIAL_TOKEN = "Paste the whole personal access token from Calendly.";
const isWholeToken = (token: string) => token.length >= 20 && /^[\x21-\x7e]+$/.test(token);

/** What the tutor sees of a link; never the token. An unproven link (from before tokens) blocks nothing until linked again. */
const linkView = (l: CalendlyLink | undefined) => (l ? { userUri: l.userUri, name: l.calendlyName, linkedAt: l.linkedAt, verified: l.accessToken !== null } : null);

export const calendlyRoutes = newApp()
  /**
   * Calendly deliveries. The signature is checked over the raw body before anything is parsed; a forged,
   * stale or unsigned delivery is a 400 that changes nothing. A verified one for no linked tutor is a 200
   * (logged) so that Calendly stops retrying it.
   */
  .post("/webhooks/calendly", async (c) => {
    const body = await c.req.text();
    if (body.length > MAX_BODY) throw new ApiError(413, "payload_too_large", "This delivery is too large.");
    const check = await verifyCalendlySignature({ header: c.req.header("Calendly-Webhook-Signature"), body, key: c.env.CALENDLY_WEBHOOK_SIGNING_KEY, now: Date.now() });
    if (!check.ok) {
      log.warn("calendly delivery refused", { reason: check.reason, requestId: c.get("requestId") });
      throw new ApiError(400, "invalid_signature", "The Calendly-Webhook-Signature header is missing, stale or wrong.");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
    }
    const outcome = await receiveCalendlyDelivery(c.env, { body, json }, Date.now());
    return c.json({ received: true, ...outcome }, 200);
  })
  .get("/tutors/me/calendly", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    return c.json({ link: linkView(await findCalendlyLink(getDb(c.env), me.id)) }, 200);
  })
  .put("/tutors/me/calendly", requireRole("tutor"), validate("json", LinkSchema), async (c) => {
    const me = currentUser(c);
    const input = c.req.valid("json");
    if (!isWholeToken(input.token)) throw new ApiError(400, "calendly_token_malformed", PARTIAL_TOKEN, [{ path: "token", message: PARTIAL_TOKEN }]);
    const owner = await fetchCurrentUser(c.env, input.token);
    if (!owner) throw new ApiError(422, "calendly_token_invalid", "Calendly did not accept that token. Create a personal access token in Calendly and paste it whole.");
    if (input.userUri && input.userUri !== owner.uri) throw new ApiError(422, "calendly_user_mismatch", "That token belongs to another Calendly user.");
    const db = getDb(c.env);
    const linked = await linkCalendly(db, {
      tutorId: me.id,
      userUri: owner.uri,
      accessToken: await seal(c.env, input.token, tokenContext(me.id)),
      calendlyName: owner.name?.slice(0, 200) ?? null,
      linkedAt: new Date().toISOString(),
    });
    if (!linked) throw new ApiError(409, "calendly_user_taken", "That Calendly user is linked to another Tutorly account.");
    return c.json({ link: linkView(await findCalendlyLink(db, me.id)) }, 200);
  })
  /** Unlinking also frees the time Calendly bookings held (their cancellations would no longer reach us) and forgets the token. */
  .delete("/tutors/me/calendly", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    await unlinkCalendly(getDb(c.env), me.id);
    await calendarOf(c.env, me.id).replaceBlocks({ tutorId: me.id, source: "calendly", blocks: [], now: Date.now() });
    return c.body(null, 204);
  });

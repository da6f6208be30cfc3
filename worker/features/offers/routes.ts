import { z } from "zod";
import { newApp } from "../../app";
import { idFor } from "../../lib/ids";
import { accountOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { bookingIdFor } from "../../../domain/bookingIds";
import { unwrap } from "../bookings/outcome";
import { forViewer } from "../bookings/shape";

const IdParam = z.object({ id: z.string().min(1).max(100) });

/** Replacement offers after a tutor cancelled: list, accept one (rebooked at no extra cost), or decline (refund). */
export const offerRoutes = newApp()
  .get("/offers", requireRole("student"), async (c) => c.json({ offers: await accountOf(c.env, currentUser(c).id).offers() }, 200))
  // No D1 here: a retry of an accept (its booking id comes from the offer and the tutor) is answered by the objects.
  .post("/offers/:id/accept", requireRole("student"), validate("param", IdParam), validate("json", z.object({ tutorId: z.string().min(1).max(64) })), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { tutorId } = c.req.valid("json");
    const sessionId = bookingIdFor(tutorId, await idFor(me.id, `${id}:${tutorId}`, "rebook"));
    const outcome = await accountOf(c.env, me.id).acceptOffer({ studentId: me.id, offerId: id, tutorId, sessionId, now: Date.now() });
    return c.json({ booking: forViewer(unwrap(outcome), me) }, 200);
  })
  .post("/offers/:id/decline", requireRole("student"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    unwrap(await accountOf(c.env, me.id).declineOffer({ studentId: me.id, offerId: c.req.valid("param").id, now: Date.now() }));
    return c.json({ declined: true }, 200);
  });

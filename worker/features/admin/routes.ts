import { z } from "zod";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { RateBoundsSchema } from "../../../domain/schemas/tutor";
import { pushTutorFacts } from "../tutors/facts";
import { rateBounds, saveRateBounds } from "../tutors/rateBounds";
import { approveTutor, findTutor, listTutorsByApproval } from "../tutors/repo";

export const adminRoutes = newApp()
  .use("/admin/*", requireRole("admin"))
  .get("/admin/tutors", validate("query", z.object({ status: z.enum(["pending", "approved"]).default("pending") })), async (c) => {
    const { status } = c.req.valid("query");
    return c.json({ tutors: await listTutorsByApproval(getDb(c.env), status === "approved") }, 200);
  })
  .post("/admin/tutors/:id/approve", validate("param", z.object({ id: z.string().min(1).max(64) })), async (c) => {
    const db = getDb(c.env);
    const { id } = c.req.valid("param");
    if (!(await approveTutor(db, id, currentUser(c).id))) throw notFound("That tutor");
    await pushTutorFacts(c.env, id);
    return c.json({ tutor: await findTutor(db, id) }, 200);
  })
  /** The hourly rates tutors may set; a profile edit outside them is refused (rates already set stay as they are). */
  .get("/admin/rate-bounds", async (c) => c.json({ bounds: await rateBounds(getDb(c.env)) }, 200))
  .put("/admin/rate-bounds", validate("json", RateBoundsSchema), async (c) => c.json({ bounds: await saveRateBounds(getDb(c.env), c.req.valid("json")) }, 200));

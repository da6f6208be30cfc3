import { z } from "zod";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
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
    return c.json({ tutor: await findTutor(db, id) }, 200);
  });

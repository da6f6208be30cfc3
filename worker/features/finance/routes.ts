import { FinanceQuerySchema } from "../../../domain/schemas/finance";
import { newApp } from "../../app";
import { validate } from "../../lib/validate";
import { requireRole } from "../../middleware/auth";
import { financeReport } from "./report";

/** The books, for admins: the period's totals per account, the balance check and the reconciliation with Stripe. */
export const financeRoutes = newApp().get("/admin/finance", requireRole("admin"), validate("query", FinanceQuerySchema), async (c) => {
  const { from, to } = c.req.valid("query");
  return c.json(await financeReport(c.env, from, to), 200);
});

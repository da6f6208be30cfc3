import { z } from "zod";
import { InstantSchema } from "./common";
import { ownWords } from "./humanErrors";

/** The longest period the finance report covers at once. */
export const FINANCE_MAX_DAYS = 366;

/** `GET /api/admin/finance?from&to`: a period [from, to) of at most FINANCE_MAX_DAYS days. */
export const FinanceQuerySchema = z
  .object({ from: InstantSchema, to: InstantSchema })
  .refine((q) => q.from < q.to, { ...ownWords("endAfterStart"), path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= FINANCE_MAX_DAYS * 86_400_000, { ...ownWords("periodMaxDays", { n: FINANCE_MAX_DAYS }), path: ["to"] });
export type FinanceQuery = z.infer<typeof FinanceQuerySchema>;

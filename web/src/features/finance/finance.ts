import { FinanceQuerySchema } from "../../../../domain/schemas/finance";
import { humanErrorIn } from "../../../../domain/schemas/humanErrors";
import { language } from "../../i18n";
import { api, call } from "../../lib/api";
import { addDays, startOfDay } from "../../lib/time";

/**
 * The books for a period of whole days in the admin's zone: `to` is the last day shown, included. Checked with
 * the server's schema before asking (its refusal in the admin's language); the answer's issues otherwise.
 */
export function periodQuery(fromDay: string, toDay: string, zone: string) {
  return FinanceQuerySchema.safeParse({ from: new Date(startOfDay(fromDay, zone)).toISOString(), to: new Date(startOfDay(addDays(toDay, 1), zone)).toISOString() }, { error: humanErrorIn(language()) });
}

export const fetchFinance = async (query: { from: string; to: string }) => call(api.admin.finance.$get({ query }));
export type FinanceReport = Awaited<ReturnType<typeof fetchFinance>>;
export type AccountRow = FinanceReport["accounts"][number];
export type MismatchRow = FinanceReport["reconciliation"]["mismatches"][number];

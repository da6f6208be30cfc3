import { createResource } from "solid-js";
import { api, call } from "../../lib/api";

/** The student's receipts and invoices, newest first, and how payments run here ("stripe" or "local"). */
export const fetchReceipts = async () => call(api.billing.receipts.$get());
export type Receipt = Awaited<ReturnType<typeof fetchReceipts>>["receipts"][number];

/** One local receipt (local payment mode). */
export const fetchReceipt = async (id: string) => (await call(api.billing.receipts[":id"].$get({ param: { id } }))).receipt;

export const createReceipts = () => createResource(fetchReceipts);

import { ApiFailure, api, call } from "../../lib/api";

/** What local development would have emailed; `null` where the server has no dev mailbox (404). */
export async function fetchMailbox() {
  try {
    return (await call(api.dev.mailbox.$get())).emails;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  }
}
export type Email = NonNullable<Awaited<ReturnType<typeof fetchMailbox>>>[number];

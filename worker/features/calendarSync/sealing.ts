import { checkUrl } from "../../../domain/ical/calendarAddress";
import { getDb } from "../../../platform/db/client";
import { isSealed, needsSealing, seal, unseal } from "../../lib/sealed";
import { linksWithTokens, resealToken, tokenContext } from "./calendlyRepo";
import { addressContext, allAddresses, resealAddress, unsealedAddresses } from "./externalRepo";

const PER_RUN = 500;

/**
 * Keeps what users handed us sealed under the current key: outside calendar addresses stored in the clear
 * (rows from before encryption) are sealed, and — while DATA_ENCRYPTION_KEY_PREVIOUS is set, during a key
 * rotation — addresses and Calendly tokens sealed under the old key are sealed again under the new one.
 * Runs with the quarter-hourly Cron Trigger, a bounded batch at a time; reads accept both forms meanwhile.
 */
export async function sealPlainSecrets(env: Env): Promise<{ sealed: number }> {
  const db = getDb(env);
  let sealed = 0;
  for (const row of await unsealedAddresses(db, PER_RUN)) {
    const plain = await unseal(env, row.url, addressContext(row.id));
    await resealAddress(db, row.id, row.url, await seal(env, plain, addressContext(row.id)), hostOf(plain));
    sealed++;
  }
  if (env.DATA_ENCRYPTION_KEY_PREVIOUS) {
    for (let after = ""; sealed < PER_RUN; ) {
      const rows = await allAddresses(db, after, 100);
      if (!rows.length) break;
      for (const row of rows) {
        if (!(await needsSealing(env, row.url))) continue;
        const plain = await unseal(env, row.url, addressContext(row.id));
        await resealAddress(db, row.id, row.url, await seal(env, plain, addressContext(row.id)), hostOf(plain));
        sealed++;
      }
      after = rows.at(-1)!.id;
    }
    for (const link of await linksWithTokens(db)) {
      if (!link.accessToken || !isSealed(link.accessToken) || !(await needsSealing(env, link.accessToken))) continue;
      const token = await unseal(env, link.accessToken, tokenContext(link.tutorId));
      await resealToken(db, link.tutorId, link.accessToken, await seal(env, token, tokenContext(link.tutorId)));
      sealed++;
    }
  }
  return { sealed };
}

const hostOf = (address: string) => {
  const checked = checkUrl(address);
  return checked.ok ? checked.url.hostname : URL.canParse(address) ? new URL(address).hostname : "";
};

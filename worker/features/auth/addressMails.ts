import { sha256Hex } from "../../lib/crypto";

/**
 * A cap on the emails one address receives on somebody's word rather than its owner's: a signup's confirmation
 * link or "you already have an account", a change of address's link. Every signup or change names an address, and
 * each is limited only per client or per account, so without this anyone could fill a stranger's inbox (or put a
 * name of their choosing in front of them) from many accounts and addresses. Past the cap the request is answered as
 * before and nothing is sent: the caller cannot tell.
 */
export const ADDRESS_MAILS = { perHour: 3, windowMs: 60 * 60_000 } as const;

/**
 * Takes one of the address's emails for the hour, or says false when they are spent. One conditional INSERT, which
 * D1 runs on its own, so parallel requests are counted exactly; rows past the hour go in the same batch (the index on
 * `at` keeps that to the few that just expired).
 */
export const takeAddressMail = (d1: D1Database, email: string, now: number) => takeMail(d1, email, ADDRESS_MAILS.perHour, now);

/** Password reset emails one address gets an hour, however many requests name it (and however many at once). */
export const RESET_MAILS_PER_HOUR = 3;

/**
 * Takes one of the address's password reset emails for the hour, as `takeAddressMail` does, on a count of its own:
 * strangers' signups with the address never use up its owner's resets.
 */
export const takeResetMail = (d1: D1Database, email: string, now: number) => takeMail(d1, `password_reset:${email}`, RESET_MAILS_PER_HOUR, now);

async function takeMail(d1: D1Database, key: string, perHour: number, now: number): Promise<boolean> {
  const addressHash = await sha256Hex(key);
  const since = now - ADDRESS_MAILS.windowMs;
  const [, taken] = await d1.batch([
    d1.prepare("DELETE FROM address_mails WHERE at <= ?").bind(since),
    d1
      .prepare("INSERT INTO address_mails (address_hash, at) SELECT ?1, ?2 WHERE (SELECT count(*) FROM address_mails WHERE address_hash = ?1 AND at > ?3) < ?4 RETURNING id")
      .bind(addressHash, now, since, perHour),
  ]);
  return (taken?.results.length ?? 0) > 0;
}

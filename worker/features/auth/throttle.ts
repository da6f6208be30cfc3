/**
 * Sign-in throttling with growing delays, per address, per address and account, and per account.
 *
 * Each attempt is recorded under its keys BEFORE the password is checked, by one conditional INSERT that admits
 * it only when no key is in its delay: D1 runs statements one at a time, so parallel attempts are counted
 * exactly and none slips past a delay. A successful sign-in deletes its own rows and, when it is the owner's (the
 * account that confirmed the address), the address's failures.
 *
 * Nobody can lock an owner out: the tight limit is per address AND account (an attacker delays only
 * themselves); the per-account limit is far higher and does not apply on a device that proved the owner's
 * password before (a signed "known device" cookie, credential.ts); the per-address limit catches one address
 * trying many accounts.
 */
export const THROTTLE = {
  windowMs: 60 * 60_000,
  /** Free failures per key in the window before delays start; then 1 s, 2 s, 4 s … up to `maxDelayMs`. */
  free: { address: 20, addressAccount: 5, account: 50 },
  maxDelayMs: 15 * 60_000,
} as const;

export type ThrottleKeys = { address: string | null; email: string; knownDevice: boolean };

function keysOf(k: ThrottleKeys): [string, number][] {
  const keys: [string, number][] = [[`ae:${k.address ?? "-"}|${k.email}`, THROTTLE.free.addressAccount]];
  // Without a client address (local tools and tests) there is no address to count under.
  if (k.address) keys.push([`a:${k.address}`, THROTTLE.free.address]);
  if (!k.knownDevice) keys.push([`e:${k.email}`, THROTTLE.free.account]);
  return keys;
}

/**
 * The CTE giving the instant the next attempt is allowed under all `n` keys. Parameters: ?1 now, ?2 the attempt
 * id (used by the INSERT), then a (key, free) pair per key from ?3 on.
 */
function blockedUntilSql(n: number): string {
  const values = Array.from({ length: n }, (_, i) => `(?${3 + 2 * i}, ?${4 + 2 * i})`).join(", ");
  const inWindow = `a.key = k.key AND a.at > ?1 - ${THROTTLE.windowMs}`;
  return `k(key, free) AS (VALUES ${values}),
    stats AS (
      SELECT k.free AS free,
        (SELECT count(*) FROM login_attempts a WHERE ${inWindow}) AS n,
        (SELECT max(a.at) FROM login_attempts a WHERE ${inWindow}) AS last
      FROM k
    ),
    blocked AS (
      SELECT coalesce(max(CASE WHEN n >= free THEN last + min(1000 * (1 << min(n - free, 20)), ${THROTTLE.maxDelayMs}) ELSE 0 END), 0) AS until FROM stats
    )`;
}

export type Admission = { ok: true; attemptId: string } | { ok: false; retryAfterSeconds: number };

/** Records an attempt under its keys unless one of them is waiting out a delay. */
export async function admitAttempt(d1: D1Database, k: ThrottleKeys, now: number): Promise<Admission> {
  const keys = keysOf(k);
  const attemptId = crypto.randomUUID();
  const binds = [now, attemptId, ...keys.flat()];
  const cte = blockedUntilSql(keys.length);
  const inserted = await d1
    .prepare(`WITH ${cte} INSERT INTO login_attempts (key, attempt_id, at) SELECT key, ?2, ?1 FROM k WHERE (SELECT until FROM blocked) <= ?1 RETURNING id`)
    .bind(...binds)
    .all();
  if (inserted.results.length) return { ok: true, attemptId };
  const row = await d1.prepare(`WITH ${cte} SELECT until, ?2 AS attempt FROM blocked`).bind(...binds).first<{ until: number }>();
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((row?.until ?? now) - now) / 1000)) };
}

/**
 * After a correct password: this attempt no longer counts, nor, when the password was the owner's (`owner`: the
 * account that confirmed the address), do the address's earlier failures. An unconfirmed account's password forgives
 * only its own attempt: anyone can sign up with any address and know that password, so it must not wipe the
 * failures of whoever owns the address.
 */
export async function forgiveAttempt(d1: D1Database, k: ThrottleKeys, attemptId: string, owner: boolean): Promise<void> {
  const own = d1.prepare("DELETE FROM login_attempts WHERE attempt_id = ?").bind(attemptId);
  if (!owner) {
    await own.run();
    return;
  }
  await d1.batch([own, d1.prepare("DELETE FROM login_attempts WHERE key IN (?, ?)").bind(`ae:${k.address ?? "-"}|${k.email}`, `e:${k.email}`)]);
}

/** After a password reset proved control of the address: the account's failures are forgiven everywhere. */
export const forgiveAccount = (d1: D1Database, email: string) => d1.prepare("DELETE FROM login_attempts WHERE key = ? OR key LIKE ? ESCAPE '\\'").bind(`e:${email}`, `ae:%|${email.replace(/[\\%_]/g, (m) => `\\${m}`)}`).run();

/** Rows older than the window count for nothing; the daily job removes them. */
export const pruneAttempts = (d1: D1Database, now: number) => d1.prepare("DELETE FROM login_attempts WHERE at <= ?").bind(now - THROTTLE.windowMs).run();

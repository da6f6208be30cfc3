/**
 * A tutor booking themselves from a second account, to be paid from promotional or refundable credit, looks like
 * one person on both sides of a session. Two signals, either enough to hold the earning for an admin's review:
 * the same mailbox (after normalising the tricks that give one mailbox many addresses) or the same card.
 */

/** Mail providers that ignore dots in the local part (and the alias domains that reach the same mailbox). */
const DOTLESS_DOMAINS = new Map([
  ["gmail.com", "gmail.com"],
  ["googlemail.com", "gmail.com"],
]);

/**
 * One mailbox, one string: lower case, `+tag` dropped from the local part, and for Gmail the dots dropped and
 * googlemail.com read as gmail.com. `Ann.Lee+tutor@GoogleMail.com` → `annlee@gmail.com`.
 */
export function normaliseEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at < 1) return lower;
  let local = lower.slice(0, at).split("+")[0]!;
  let domain = lower.slice(at + 1);
  const canonical = DOTLESS_DOMAINS.get(domain);
  if (canonical) {
    domain = canonical;
    local = local.replaceAll(".", "");
  }
  return `${local}@${domain}`;
}

export type Identity = { userId: string; email: string; cardFingerprints: readonly string[] };

/** Why a tutor and a student look like one person, or null when they do not. */
export function samePersonSignal(tutor: Identity, student: Identity): "same_email" | "same_card" | null {
  if (tutor.userId === student.userId) return "same_email";
  if (tutor.email && student.email && normaliseEmail(tutor.email) === normaliseEmail(student.email)) return "same_email";
  const cards = new Set(tutor.cardFingerprints);
  return student.cardFingerprints.some((f) => cards.has(f)) ? "same_card" : null;
}

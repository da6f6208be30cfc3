/**
 * When a message stays unread, its recipient gets an email digest — at most one per conversation per hour.
 * Pure: the conversation's state and the time are inputs.
 */
export const DIGEST_AFTER_MS = 15 * 60_000;
export const DIGEST_MIN_GAP_MS = 60 * 60_000;

export type DigestMember = {
  userId: string;
  /** Messages up to this sequence number were seen by the member. */
  readSeq: number;
  /** Messages up to this one were already in a digest to the member. */
  digestedSeq: number;
  lastDigestMs: number | null;
  /** The member wants no email from this conversation (they blocked it). */
  optedOut?: boolean;
};
export type DigestMessage = { seq: number; senderId: string; createdMs: number };

export type DigestPlan = {
  /** Digests to send now: the member and the messages (oldest first) it covers. */
  due: { userId: string; seqs: number[] }[];
  /** When to look again (the earliest future digest), or null when nothing is waiting. */
  nextAt: number | null;
};

/**
 * A member is owed a digest for the messages of others they have neither read nor had in a digest, once the
 * oldest of them is 15 minutes old and the last digest to them is an hour old. A digest covers everything
 * still unread at that moment; what arrives later waits for the next one.
 */
export function planDigests(members: DigestMember[], messages: DigestMessage[], now: number): DigestPlan {
  const due: DigestPlan["due"] = [];
  let nextAt: number | null = null;
  for (const m of members) {
    if (m.optedOut) continue;
    const waiting = messages
      .filter((msg) => msg.senderId !== m.userId && msg.seq > Math.max(m.readSeq, m.digestedSeq))
      .sort((a, b) => a.seq - b.seq);
    if (!waiting.length) continue;
    const at = Math.max(waiting[0]!.createdMs + DIGEST_AFTER_MS, m.lastDigestMs === null ? -Infinity : m.lastDigestMs + DIGEST_MIN_GAP_MS);
    if (at <= now) due.push({ userId: m.userId, seqs: waiting.map((w) => w.seq) });
    else nextAt = nextAt === null ? at : Math.min(nextAt, at);
  }
  return { due, nextAt };
}

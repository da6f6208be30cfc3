import { and, eq, inArray, lt } from "drizzle-orm";
import { emailText } from "../../domain/accounts/emails";
import { serverText } from "../../domain/i18n/server";
import { formatInZone } from "../../domain/notifications/messages";
import { previewOf } from "../../domain/messaging/text";
import { getDb } from "../../platform/db/client";
import { conversations, users } from "../../platform/db/schema";
import { appUrl, queueEmail } from "../../platform/notifications/service";
import { loadSettings } from "../../platform/notifications/settings";
import { pushToUser } from "../../platform/push/send";
import type { MessageRow } from "./storage";

export type ConversationFacts = { id: string; studentId: string; tutorId: string };
export type ProjectionState = {
  version: number;
  last: MessageRow | null;
  studentUnread: number;
  tutorUnread: number;
  studentBlocked: boolean;
  tutorBlocked: boolean;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Writes the conversation's state to its D1 row; an older version never overwrites a newer one. */
export async function projectConversation(env: Env, facts: ConversationFacts, s: ProjectionState): Promise<void> {
  await getDb(env)
    .update(conversations)
    .set({
      lastMessageAt: s.last ? iso(s.last.created_ms) : null,
      lastMessagePreview: s.last ? previewOf(s.last.text) : null,
      lastSenderId: s.last?.sender_id ?? null,
      studentUnread: s.studentUnread,
      tutorUnread: s.tutorUnread,
      studentBlocked: s.studentBlocked,
      tutorBlocked: s.tutorBlocked,
      version: s.version,
    })
    .where(and(eq(conversations.id, facts.id), lt(conversations.version, s.version)));
}

/** The conversation's people among `ids` (one per message in a digest: only ever its two members, once each). */
async function people(env: Env, ids: string[]) {
  const rows = await getDb(env)
    .select({ id: users.id, name: users.name, timezone: users.timezone, locale: users.locale, status: users.status })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Whether what `sender` wrote may still go out by email or push. An account suspended (or deleted) since it wrote
 * was closed for what it did, often for these very messages: they stay in the app, but are not carried on into the
 * recipient's inbox or onto their devices. Read with the names, so it costs no extra query.
 */
const mayStillReach = <P extends { status: string }>(sender: P | undefined): sender is P => sender?.status === "active";

/** Tells `userId`'s devices about a new message from the other participant, if they want message pushes and the sender's account is still open. */
export async function pushMessage(env: Env, facts: ConversationFacts, userId: string, msg: MessageRow): Promise<void> {
  if (!(await loadSettings(getDb(env), userId)).push.messages) return;
  const who = await people(env, [msg.sender_id, userId]);
  const sender = who.get(msg.sender_id);
  if (!mayStillReach(sender)) return;
  await pushToUser(
    env,
    userId,
    { kind: "messages", title: previewOf(sender.name, 120), body: previewOf(msg.text, 200), link: `/messages/${facts.id}`, tag: `conversation:${facts.id}` },
    { urgency: "high" },
  );
}

/**
 * Emails `userId` the messages they have not read (times in their zone), unless they turned message emails off;
 * those of an account suspended or deleted since it wrote are left out, and the email is dropped unsent if that
 * happens while it waits in the outbox.
 */
export async function emailDigest(env: Env, facts: ConversationFacts, userId: string, msgs: MessageRow[], now: number): Promise<void> {
  if (!msgs.length || !(await loadSettings(getDb(env), userId)).email.messages) return;
  const who = await people(env, [userId, ...msgs.map((m) => m.sender_id)]);
  const me = who.get(userId);
  const shown = msgs.filter((m) => mayStillReach(who.get(m.sender_id)));
  if (!me || !shown.length) return;
  // In the reader's language, times in their zone and locale.
  const t = serverText(me.locale);
  const from = who.get(shown[0]!.sender_id)?.name ?? t("names.someone");
  const lines = shown.slice(-10).map((m) => `${formatInZone(iso(m.created_ms), me.timezone, me.locale)}\n${m.text.split("\n").map((l) => `  ${l}`).join("\n")}`);
  const more = shown.length > 10 ? `\n${t("digest.earlier", { count: shown.length - 10 })}\n` : "";
  const base = appUrl(env);
  const text = emailText(me.locale, me.name, [
    t("digest.wrote", { from }),
    "",
    more + lines.join("\n\n"),
    "",
    t("digest.reply", { link: `${base}/messages/${facts.id}` }),
    "",
    t("digest.why", { link: `${base}/settings/notifications` }),
  ]);
  const subject = t("digest.subject", { count: shown.length, from });
  // Named as the email's sender, so a suspension while it waits in the outbox still stops it (drainOutbox). A digest
  // carries the other participant's words only: its reader's own are never unread to them.
  await queueEmail(env, { userId, subject, text, dedupeKey: `digest:${facts.id}:${userId}:${shown.at(-1)!.seq}`, fromUserId: shown[0]!.sender_id }, new Date(now));
}

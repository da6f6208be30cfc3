import { and, asc, eq, inArray, isNull, lt, ne, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { type LivePush, notifyUser } from "./live";
import { getDb, readInChunks } from "../db/client";
import { emailOutbox, notifications, users } from "../db/schema";
import { type Attachment, AttachmentsSchema, sendEmail } from "../integrations/email/sender";
import { log } from "../log";
import { switchableKindOf } from "../../domain/notifications/settings";
import { emailText } from "../../domain/accounts/emails";
import { previewOf } from "../../domain/messaging/text";
import { pushToUsers } from "../push/send";
import { loadSettingsOf } from "./settings";

export type Notice = {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
  /** Same key, same notice: delivered once however many times it is sent. */
  dedupeKey?: string;
  /** Also send it by email (default true). */
  email?: boolean;
  /** Put it in the inbox and push it live (default true); false for mail-only notes such as a booking confirmation. */
  inbox?: boolean;
  /** Lines only the email carries after the body (e.g. add-to-calendar links). */
  emailExtra?: string;
  attachments?: Attachment[];
  /** Who receives it, when the caller has just read them (null: their account is deleted); otherwise read here. */
  recipient?: Recipient | null;
};

/** What an email to a user needs of them. */
export type Recipient = { email: string; name: string; locale: string };

const MAX_ATTEMPTS = 5;
/** How long a claimed email is left to its sender before a drain may take it over (a send takes seconds at most). */
const CLAIM_MS = 2 * 60_000;

/**
 * Tells a user something: a row in their inbox, a live push to their open tabs, a Web Push to their devices
 * and an email through the outbox — the last two for the switchable kinds only when they want them
 * (domain/notifications/settings.ts). Returns false when the dedupe key was already delivered (nothing is sent again).
 */
export async function notify(env: Env, n: Notice, now = new Date()): Promise<boolean> {
  const [delivered] = await notifyAll(env, [n], now);
  return delivered!;
}

/**
 * `notify` for several notices at once, in the same rounds of D1 whatever their number (a calendar sends the notices
 * of many bookings together): one read of the recipients and their switches, one batch that writes every inbox row
 * with its email (so a notice's email is never lost between the two), the email already claimed for its first
 * attempt, and one batch that records how the sends went. Says, per notice, whether it was delivered now (false: its
 * dedupe key was delivered before). `live` sends the live pushes (an object that knows whether its person has a tab
 * open passes its own). An email whose send failed waits in the outbox for the next drain (`drainOutbox`).
 */
export async function notifyAll(env: Env, notices: readonly Notice[], now = new Date(), live: LivePush = (userId, m) => notifyUser(env, userId, m)): Promise<boolean[]> {
  if (!notices.length) return [];
  const db = getDb(env);
  const items = notices.map((n) => ({ n, id: crypto.randomUUID(), kind: switchableKindOf(n.kind) }));
  const unknown = items.filter((x) => x.n.email !== false && x.n.recipient === undefined).map((x) => x.n.userId);
  const [readers, settings] = await Promise.all([
    readInChunks([...new Set(unknown)], (part) => db.select({ id: users.id, email: users.email, name: users.name, locale: users.locale }).from(users).where(and(inArray(users.id, part), ne(users.status, "deleted"))).all()),
    loadSettingsOf(db, items.filter((x) => x.kind).map((x) => x.n.userId)),
  ]);
  const readerOf = new Map(readers.map((r) => [r.id, r]));

  const planned = items.map(({ n, id, kind }) => {
    const wants = kind ? settings.get(n.userId)! : null;
    const recipient = n.recipient !== undefined ? n.recipient : (readerOf.get(n.userId) ?? null);
    const mail = n.email !== false && (!kind || wants!.email[kind]) && recipient ? emailRow(env, n, recipient, n.dedupeKey ?? id, now) : null;
    return { n, id, kind, wants, mail };
  });
  const inboxWrites = planned.filter((x) => x.n.inbox !== false);
  const mailWrites = planned.filter((x) => x.mail);
  const writes = [
    ...inboxWrites.map(({ n, id }) =>
      db
        .insert(notifications)
        .values({ id, userId: n.userId, kind: n.kind, title: n.title, body: n.body, link: n.link ?? null, dedupeKey: n.dedupeKey ?? null, createdAt: now.toISOString() })
        .onConflictDoNothing()
        .returning({ id: notifications.id }),
    ),
    ...mailWrites.map((x) => db.insert(emailOutbox).values({ ...x.mail!, attempts: 1, claimedAt: now.toISOString() }).onConflictDoNothing().returning({ id: emailOutbox.id })),
  ];
  const [first, ...rest] = writes;
  const results: { id: string }[][] = first ? await db.batch([first, ...rest]) : [];
  const inserted = new Set<string>(results.flat().map((r) => r.id));

  // Live, to each person's tabs in the order of their notices; people side by side.
  const fresh = inboxWrites.filter((x) => inserted.has(x.id));
  const byUser = new Map<string, typeof fresh>();
  for (const x of fresh) byUser.set(x.n.userId, [...(byUser.get(x.n.userId) ?? []), x]);
  await Promise.all(
    [...byUser.values()].map(async (mine) => {
      for (const { n, id } of mine) await live(n.userId, { type: "notification", id, title: n.title, body: n.body, ...(n.link ? { link: n.link } : {}) });
    }),
  );
  await sendClaimed(env, mailWrites.flatMap((x) => (inserted.has(x.mail!.id) ? [{ mail: x.mail!, attempt: 1 }] : [])));
  // Web Push after the email, best effort: a retry of a notice would find it delivered and send nothing at all. Every
  // recipient's devices are read at once.
  const pushes = await Promise.all(
    fresh
      .filter((x) => x.kind && x.wants!.push[x.kind])
      .map(async ({ n, id, kind }) => ({ userId: n.userId, payload: { kind: kind!, title: previewOf(n.title, 120), body: previewOf(n.body, 500), ...(n.link ? { link: n.link } : {}), tag: await pushTag(n.dedupeKey ?? id) } })),
  );
  await pushToUsers(env, pushes, { urgency: "high" }, now.getTime()).catch((e) => log.warn("push of notices failed", { notices: pushes.length, error: String(e) }));
  // An email-only notice (inbox: false) was delivered when its email was queued for the first time.
  return planned.map((x) => (x.n.inbox !== false ? inserted.has(x.id) : !!x.mail && inserted.has(x.mail.id)));
}

/** The outbox row of a notice's email, in the reader's language. */
function emailRow(env: Env, n: Notice, to: Recipient, dedupeKey: string, now: Date) {
  const url = n.link ? `\n\n${appUrl(env)}${n.link}` : "";
  const extra = n.emailExtra ? `\n\n${n.emailExtra}` : "";
  const text = emailText(to.locale, to.name, [`${n.body}${url}${extra}`]);
  return outboxRow({ userId: n.userId, to: to.email, toName: to.name, subject: n.title, text, dedupeKey, attachments: n.attachments }, { email: to.email, name: to.name }, now);
}

/** A push tag of at most 100 characters: the dedupe key itself, or its digest when longer (booking ids name their tutor). */
async function pushTag(key: string): Promise<string> {
  if (key.length <= 100) return key;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `${key.slice(0, 40)}#${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export const appUrl = (env: Pick<Env, "APP_URL">) => env.APP_URL ?? "http://localhost:8787";

/**
 * An email for the outbox: to a user (their address looked up when `to` is not given) or to an address. `fromUserId`
 * names the account whose words it carries (a message digest): it is sent only while that account is still active.
 */
export type QueuedEmail = { userId: string | null; to?: string; toName?: string; subject: string; text: string; dedupeKey: string; attachments?: Attachment[]; fromUserId?: string };

/**
 * Puts an email in the outbox (once per dedupe key) and drains a few. For mail that is not an inbox notice:
 * account emails, a conversation's digest. Returns false when the key was queued before (or nobody to send to).
 */
export async function queueEmail(env: Env, mail: QueuedEmail, now = new Date()): Promise<boolean> {
  const db = getDb(env);
  const recipient = mail.to
    ? { email: mail.to, name: mail.toName ?? null }
    : mail.userId
      ? await db.select({ email: users.email, name: users.name }).from(users).where(and(eq(users.id, mail.userId), ne(users.status, "deleted"))).get()
      : undefined;
  if (!recipient) return false;
  const queued = await db.insert(emailOutbox).values(outboxRow(mail, recipient, now)).onConflictDoNothing().returning({ id: emailOutbox.id });
  await drainOutbox(env, 5);
  return queued.length > 0;
}

function outboxRow(mail: QueuedEmail, recipient: { email: string; name: string | null }, now: Date): typeof emailOutbox.$inferInsert & { id: string } {
  return {
    id: crypto.randomUUID(),
    userId: mail.userId,
    toEmail: recipient.email,
    toName: recipient.name,
    subject: mail.subject,
    text: mail.text,
    attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null,
    dedupeKey: mail.dedupeKey,
    fromUserId: mail.fromUserId ?? null,
    status: "pending",
    createdAt: now.toISOString(),
  };
}

/** Whose words an email carries, read with it by the drain. */
const sender = alias(users, "sender");

/**
 * Sends pending emails (oldest first); a failure is retried on the next drain, up to 5 attempts. An email claimed in
 * the last CLAIM_MS is left to whoever claimed it: its send may still be under way. One that carries the words of an
 * account suspended or deleted since it was queued (`fromUserId`) is dropped instead: recorded as not sent, never retried.
 * Three rounds of D1 for the whole batch: read what is due (with each sender's status), claim or drop it, record the results.
 */
export async function drainOutbox(env: Env, limit = 50, now = new Date()): Promise<{ sent: number; failed: number }> {
  const db = getDb(env);
  const claimable = or(isNull(emailOutbox.claimedAt), lt(emailOutbox.claimedAt, new Date(now.getTime() - CLAIM_MS).toISOString()));
  const due = await db
    .select({ mail: emailOutbox, senderStatus: sender.status })
    .from(emailOutbox)
    .leftJoin(sender, eq(sender.id, emailOutbox.fromUserId))
    .where(and(eq(emailOutbox.status, "pending"), lt(emailOutbox.attempts, MAX_ATTEMPTS), claimable))
    .orderBy(asc(emailOutbox.createdAt))
    .limit(limit)
    .all();
  if (!due.length) return { sent: 0, failed: 0 };
  const pendingAsRead = (mail: { id: string; attempts: number }) => and(eq(emailOutbox.id, mail.id), eq(emailOutbox.attempts, mail.attempts), eq(emailOutbox.status, "pending"));
  // Claim each attempt first, so two drains never send the same email (a drain that read it before loses the claim);
  // in the same batch, drop those whose sender may no longer reach anyone.
  const sendable = new Set(due.filter((d) => mayStillSend(d.mail.fromUserId, d.senderStatus)).map((d) => d.mail.id));
  const [first, ...rest] = due.map(({ mail }) =>
    db
      .update(emailOutbox)
      .set(sendable.has(mail.id) ? { attempts: mail.attempts + 1, claimedAt: now.toISOString() } : { status: "dropped", error: "not sent: its sender's account is no longer active" })
      .where(pendingAsRead(mail))
      .returning({ id: emailOutbox.id }),
  );
  const changed = new Set((await db.batch([first!, ...rest])).flat().map((r) => r.id));
  return sendClaimed(env, due.flatMap(({ mail }) => (sendable.has(mail.id) && changed.has(mail.id) ? [{ mail, attempt: mail.attempts + 1 }] : [])));
}

/**
 * Whether an email may still go: one that carries nobody's words always may; one that carries an account's only while
 * that account is active (suspended or deleted since, often for those very words, it reaches nobody's inbox).
 */
const mayStillSend = (fromUserId: string | null, senderStatus: string | null) => fromUserId === null || senderStatus === "active";

type OutboxMail = Pick<typeof emailOutbox.$inferInsert, "toEmail" | "toName" | "subject" | "text" | "attachments" | "createdAt"> & { id: string };

/** Sends emails claimed for their `attempt` (1 is the first), and records every outcome in one batch. */
async function sendClaimed(env: Env, claimed: { mail: OutboxMail; attempt: number }[]): Promise<{ sent: number; failed: number }> {
  const db = getDb(env);
  // One at a time: side by side, a burst of emails competed with the bookings answering meanwhile (the bench's
  // throughput at 16 students fell by a fifth).
  const outcomes = [];
  for (const { mail, attempt } of claimed) {
    try {
      const attachments = mail.attachments ? AttachmentsSchema.parse(JSON.parse(mail.attachments)) : undefined;
      const result = await sendEmail(
        env,
        { to: mail.toEmail, ...(mail.toName ? { toName: mail.toName } : {}), subject: mail.subject, text: mail.text, ...(attachments ? { attachments } : {}) },
        { id: mail.id, now: new Date(mail.createdAt) },
      );
      outcomes.push({ sent: true, record: db.update(emailOutbox).set({ status: "sent", provider: result.provider, sentAt: new Date().toISOString(), error: null }).where(eq(emailOutbox.id, mail.id)) });
    } catch (e) {
      log.warn("email send failed", { outboxId: mail.id, attempt, error: String(e) });
      const status = attempt >= MAX_ATTEMPTS ? "failed" : "pending";
      outcomes.push({ sent: false, record: db.update(emailOutbox).set({ error: String(e).slice(0, 500), status, claimedAt: null }).where(eq(emailOutbox.id, mail.id)) });
    }
  }
  const [head, ...tail] = outcomes.map((o) => o.record);
  if (head) await db.batch([head, ...tail]);
  const sent = outcomes.filter((o) => o.sent).length;
  return { sent, failed: outcomes.length - sent };
}

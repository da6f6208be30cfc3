import { and, asc, eq, lt, ne } from "drizzle-orm";
import { notifyUser } from "./live";
import { getDb } from "../db/client";
import { emailOutbox, notifications, users } from "../db/schema";
import { type Attachment, AttachmentsSchema, sendEmail } from "../integrations/email/sender";
import { log } from "../log";
import { switchableKindOf } from "../../domain/notifications/settings";
import { emailText } from "../../domain/accounts/emails";
import { previewOf } from "../../domain/messaging/text";
import { pushToUser } from "../push/send";
import { loadSettings } from "./settings";

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

/**
 * Tells a user something: a row in their inbox, a live push to their open tabs, a Web Push to their devices
 * and an email through the outbox — the last two for the switchable kinds only when they want them
 * (domain/notifications/settings.ts). Returns false when the dedupe key was already delivered (nothing is sent again).
 */
export async function notify(env: Env, n: Notice, now = new Date()): Promise<boolean> {
  const db = getDb(env);
  const id = crypto.randomUUID();
  if (n.inbox !== false) {
    const inserted = await db
      .insert(notifications)
      .values({ id, userId: n.userId, kind: n.kind, title: n.title, body: n.body, link: n.link ?? null, dedupeKey: n.dedupeKey ?? null, createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    if (!inserted.length) return false;
    await notifyUser(env, n.userId, { type: "notification", id, title: n.title, body: n.body, ...(n.link ? { link: n.link } : {}) });
  }
  const kind = switchableKindOf(n.kind);
  const settings = kind ? await loadSettings(db, n.userId) : null;
  let queued = false;
  if (n.email !== false && (!kind || settings?.email[kind])) {
    const user =
      n.recipient !== undefined ? n.recipient : await db.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(and(eq(users.id, n.userId), ne(users.status, "deleted"))).get();
    if (user) {
      const url = n.link ? `\n\n${appUrl(env)}${n.link}` : "";
      const extra = n.emailExtra ? `\n\n${n.emailExtra}` : "";
      const text = emailText(user.locale, user.name, [`${n.body}${url}${extra}`]);
      queued = await queueEmail(env, { userId: n.userId, to: user.email, toName: user.name, subject: n.title, text, dedupeKey: n.dedupeKey ?? id, attachments: n.attachments }, now);
    }
  }
  if (n.inbox !== false && kind && settings?.push[kind]) {
    // Best effort, after the email: a retry of this notice would find it delivered and send nothing at all.
    const payload = { kind, title: previewOf(n.title, 120), body: previewOf(n.body, 500), ...(n.link ? { link: n.link } : {}), tag: await pushTag(n.dedupeKey ?? id) };
    await pushToUser(env, n.userId, payload, { urgency: "high" }, now.getTime()).catch((e) => log.warn("push of a notice failed", { userId: n.userId, kind: n.kind, error: String(e) }));
  }
  // An email-only notice (inbox: false) was delivered when its email was queued for the first time.
  return n.inbox !== false || queued;
}

/** A push tag of at most 100 characters: the dedupe key itself, or its digest when longer (booking ids name their tutor). */
async function pushTag(key: string): Promise<string> {
  if (key.length <= 100) return key;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `${key.slice(0, 40)}#${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export const appUrl = (env: Pick<Env, "APP_URL">) => env.APP_URL ?? "http://localhost:8787";

/** An email for the outbox: to a user (their address looked up when `to` is not given) or to an address. */
export type QueuedEmail = { userId: string | null; to?: string; toName?: string; subject: string; text: string; dedupeKey: string; attachments?: Attachment[] };

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
  const queued = await db
    .insert(emailOutbox)
    .values({
      id: crypto.randomUUID(),
      userId: mail.userId,
      toEmail: recipient.email,
      toName: recipient.name,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null,
      dedupeKey: mail.dedupeKey,
      status: "pending",
      createdAt: now.toISOString(),
    })
    .onConflictDoNothing()
    .returning({ id: emailOutbox.id });
  await drainOutbox(env, 5);
  return queued.length > 0;
}

/** Sends pending emails (oldest first); a failure is retried on the next drain, up to 5 attempts. */
export async function drainOutbox(env: Env, limit = 50): Promise<{ sent: number; failed: number }> {
  const db = getDb(env);
  const due = await db.select().from(emailOutbox).where(and(eq(emailOutbox.status, "pending"), lt(emailOutbox.attempts, MAX_ATTEMPTS))).orderBy(asc(emailOutbox.createdAt)).limit(limit).all();
  let sent = 0;
  let failed = 0;
  for (const mail of due) {
    // Claim the attempt first, so two drains never send the same email.
    const claimed = await db
      .update(emailOutbox)
      .set({ attempts: mail.attempts + 1 })
      .where(and(eq(emailOutbox.id, mail.id), eq(emailOutbox.attempts, mail.attempts), eq(emailOutbox.status, "pending")))
      .returning({ id: emailOutbox.id });
    if (!claimed.length) continue;
    try {
      const attachments = mail.attachments ? AttachmentsSchema.parse(JSON.parse(mail.attachments)) : undefined;
      const result = await sendEmail(
        env,
        { to: mail.toEmail, ...(mail.toName ? { toName: mail.toName } : {}), subject: mail.subject, text: mail.text, ...(attachments ? { attachments } : {}) },
        { id: mail.id, now: new Date(mail.createdAt) },
      );
      await db.update(emailOutbox).set({ status: "sent", provider: result.provider, sentAt: new Date().toISOString(), error: null }).where(eq(emailOutbox.id, mail.id));
      sent++;
    } catch (e) {
      failed++;
      log.warn("email send failed", { outboxId: mail.id, attempt: mail.attempts + 1, error: String(e) });
      await db
        .update(emailOutbox)
        .set({ error: String(e).slice(0, 500), status: mail.attempts + 1 >= MAX_ATTEMPTS ? "failed" : "pending" })
        .where(eq(emailOutbox.id, mail.id));
    }
  }
  return { sent, failed };
}

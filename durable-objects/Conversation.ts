import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { planDigests } from "../domain/messaging/digest";
import { MESSAGE_RETENTION_MS, messagesExpireBefore } from "../domain/messaging/retention";
import { foldForSearch } from "../domain/messaging/text";
import type { ServerMessage } from "../domain/protocol";
import { type Message, MessageTextSchema } from "../domain/schemas/conversation";
import { log } from "../platform/log";
import { notifyUser } from "../platform/notifications/live";
import { type ConversationEffect, ConversationEffectSchema } from "./conversation/effects";
import { type ConversationFacts, emailDigest, projectConversation, pushMessage } from "./conversation/outside";
import { CONVERSATION_DDL, type MemberRow, type MessageRow } from "./conversation/storage";

const EFFECT_RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
const DAY = 86_400_000;

const Id = z.string().min(1).max(100);
const Instant = z.number().int().positive();
const FactsSchema = z.object({ id: Id, studentId: Id, tutorId: Id });
const SendSchema = z.object({ conversation: FactsSchema, senderId: Id, messageId: Id, text: MessageTextSchema, now: Instant });
const HistorySchema = z.object({
  conversation: FactsSchema,
  /** Messages before this sequence number (a page further back); none = the newest. */
  before: z.number().int().positive().optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(100),
});
const MemberActionSchema = z.object({ conversation: FactsSchema, userId: Id, now: Instant });
const BlockSchema = MemberActionSchema.extend({ blocked: z.boolean() });
const HoldSchema = z.object({ conversation: FactsSchema, held: z.boolean(), now: Instant });
const ExportSchema = z.object({ conversation: FactsSchema });

export type Page = { messages: Message[]; nextCursor: string | null };
export type SendOutcome = { ok: true; value: { message: Message; created: boolean } } | { ok: false; code: "conversation_blocked"; message: string };
/** What one participant sees of the conversation's state. */
export type MemberView = { unread: number; canSend: boolean; blockedByMe: boolean };

const toMessage = (m: MessageRow): Message => ({ id: m.id, seq: m.seq, senderId: m.sender_id, text: m.text, createdAt: new Date(m.created_ms).toISOString() });

/**
 * One per conversation between a student and a tutor: the only writer of its messages, so they have one order
 * (`seq`). It stores each message with what each participant has read and blocked, then tells the outside
 * through an outbox its alarm retries: live events to both participants' tabs, a Web Push to the recipient's
 * devices, the D1 row that lists the conversation, and an email digest for what stays unread 15 minutes (at
 * most one an hour). It also deletes messages past retention, unless an open report holds them.
 */
export class Conversation extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private draining: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of CONVERSATION_DDL) this.sql.exec(ddl);
  }

  // ───────────────────────── the participants' actions ─────────────────────────

  /** Appends a message (once per `messageId`) unless either participant blocked the other. */
  async send(input: z.input<typeof SendSchema>): Promise<SendOutcome> {
    const a = SendSchema.parse(input);
    this.know(a.conversation);
    const sender = this.member(a.senderId);
    const seen = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE id = ?", a.messageId).toArray()[0];
    if (seen) return { ok: true, value: { message: toMessage(seen), created: false } };
    const other = this.otherThan(a.senderId);
    if (sender.blocked) return { ok: false, code: "conversation_blocked", message: "You blocked this conversation. Unblock it to write again." };
    if (other.blocked) return { ok: false, code: "conversation_blocked", message: "You can't send messages in this conversation any more." };

    // One synchronous step: the message, the sender having read up to it, and the work it owes.
    const row = this.sql
      .exec<MessageRow>(
        "INSERT INTO messages (id, sender_id, text, folded, created_ms) VALUES (?, ?, ?, ?, ?) RETURNING *",
        a.messageId,
        a.senderId,
        a.text,
        foldForSearch(a.text),
        a.now,
      )
      .one();
    this.sql.exec("UPDATE members SET read_seq = ? WHERE user_id = ?", row.seq, a.senderId);
    const message = toMessage(row);
    for (const userId of [a.senderId, other.user_id]) {
      this.enqueue({ kind: "live", userId, message: { type: "message.created", conversationId: a.conversation.id, message, unread: this.unreadOf(userId) } });
    }
    this.enqueue({ kind: "push", userId: other.user_id, seq: row.seq });
    this.changed();
    await this.afterChange(a.now);
    return { ok: true, value: { message, created: true } };
  }

  /** A page of history, newest last; with `q`, only the messages that contain it (case and accents ignored). */
  history(input: z.input<typeof HistorySchema>): Page {
    const a = HistorySchema.parse(input);
    this.know(a.conversation);
    const before = a.before ?? Number.MAX_SAFE_INTEGER;
    const rows = a.q
      ? this.sql
          .exec<MessageRow>("SELECT * FROM messages WHERE seq < ? AND folded LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT ?", before, `%${escapeLike(foldForSearch(a.q))}%`, a.limit + 1)
          .toArray()
      : this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, a.limit + 1).toArray();
    const page = rows.slice(0, a.limit).reverse();
    return { messages: page.map(toMessage), nextCursor: rows.length > a.limit ? String(page[0]!.seq) : null };
  }

  /** The participant has seen everything up to now. */
  async markRead(input: z.input<typeof MemberActionSchema>): Promise<MemberView> {
    const a = MemberActionSchema.parse(input);
    this.know(a.conversation);
    const me = this.member(a.userId);
    const last = this.lastSeq();
    if (me.read_seq < last) {
      this.sql.exec("UPDATE members SET read_seq = ? WHERE user_id = ?", last, a.userId);
      this.enqueue({ kind: "live", userId: a.userId, message: this.updateFor(a.userId, a.conversation.id) });
      this.changed();
      await this.afterChange(a.now);
    }
    return this.viewOf(a.userId);
  }

  /** Blocks (or unblocks) the conversation for both: while either participant blocks it, nobody can write. */
  async setBlocked(input: z.input<typeof BlockSchema>): Promise<MemberView> {
    const a = BlockSchema.parse(input);
    this.know(a.conversation);
    if (Boolean(this.member(a.userId).blocked) !== a.blocked) {
      this.sql.exec("UPDATE members SET blocked = ? WHERE user_id = ?", a.blocked ? 1 : 0, a.userId);
      for (const m of this.members()) this.enqueue({ kind: "live", userId: m.user_id, message: this.updateFor(m.user_id, a.conversation.id) });
      this.changed();
      await this.afterChange(a.now);
    }
    return this.viewOf(a.userId);
  }

  /** While an open report holds the conversation, retention (and erasure of a deleted account) deletes nothing in it. */
  async hold(input: z.input<typeof HoldSchema>): Promise<void> {
    const a = HoldSchema.parse(input);
    this.know(a.conversation);
    this.setMeta("held", a.held ? "1" : "0");
    if (!a.held) this.eraseForgotten();
    await this.afterChange(a.now);
  }

  /**
   * A participant deleted their account: their messages are erased (at once, or when an open report releases
   * the conversation) and the conversation is closed, so nobody writes to an account that is gone.
   */
  async forget(input: z.input<typeof MemberActionSchema>): Promise<void> {
    const a = MemberActionSchema.parse(input);
    this.know(a.conversation);
    this.sql.exec("UPDATE members SET blocked = 1 WHERE user_id = ?", a.userId);
    this.setMeta(`forget:${a.userId}`, "1");
    this.eraseForgotten();
    for (const m of this.members()) this.enqueue({ kind: "live", userId: m.user_id, message: this.updateFor(m.user_id, a.conversation.id) });
    this.changed();
    await this.afterChange(a.now);
  }

  /** Every message, oldest first (a participant's data export). */
  everything(input: z.input<typeof ExportSchema>): Message[] {
    this.know(ExportSchema.parse(input).conversation);
    return this.sql.exec<MessageRow>("SELECT * FROM messages ORDER BY seq").toArray().map(toMessage);
  }

  private eraseForgotten() {
    if (this.meta("held") === "1") return;
    for (const m of this.members()) if (this.meta(`forget:${m.user_id}`)) this.sql.exec("DELETE FROM messages WHERE sender_id = ?", m.user_id);
  }

  viewOf(userId: string): MemberView {
    const me = this.member(userId);
    const other = this.otherThan(userId);
    return { unread: this.unreadOf(userId), canSend: !me.blocked && !other.blocked, blockedByMe: Boolean(me.blocked) };
  }

  // ───────────────────────── state ─────────────────────────

  /** Records who is in this conversation on first use; afterwards every caller must name the same two people. */
  private know(c: ConversationFacts) {
    const id = this.meta("id");
    if (!id) {
      this.setMeta("id", c.id);
      this.sql.exec("INSERT OR IGNORE INTO members (user_id, role) VALUES (?, 'student'), (?, 'tutor')", c.studentId, c.tutorId);
      return;
    }
    const members = this.members();
    if (id !== c.id || !members.some((m) => m.user_id === c.studentId && m.role === "student") || !members.some((m) => m.user_id === c.tutorId && m.role === "tutor")) {
      throw new Error(`conversation ${id} was addressed as ${c.id} (${c.studentId}, ${c.tutorId})`);
    }
  }

  private facts(): ConversationFacts {
    const ms = this.members();
    return { id: this.meta("id")!, studentId: ms.find((m) => m.role === "student")!.user_id, tutorId: ms.find((m) => m.role === "tutor")!.user_id };
  }

  private members(): MemberRow[] {
    return this.sql.exec<MemberRow>("SELECT * FROM members").toArray();
  }

  private member(userId: string): MemberRow {
    const m = this.members().find((x) => x.user_id === userId);
    // The routes only call with a participant (from the D1 directory); anyone else here is a bug.
    if (!m) throw new Error(`${userId} is not in conversation ${this.meta("id")}`);
    return m;
  }

  private otherThan(userId: string): MemberRow {
    return this.members().find((x) => x.user_id !== userId)!;
  }

  private unreadOf(userId: string): number {
    const me = this.member(userId);
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE sender_id != ? AND seq > ?", userId, me.read_seq).one().n;
  }

  private lastSeq(): number {
    return this.sql.exec<{ s: number | null }>("SELECT max(seq) AS s FROM messages").one().s ?? 0;
  }

  private updateFor(userId: string, conversationId: string): ServerMessage {
    return { type: "conversation.updated", conversationId, ...this.viewOf(userId) };
  }

  /** A new version of the state exists: the D1 row follows it. */
  private changed() {
    this.setMeta("version", String(Number(this.meta("version") ?? "0") + 1));
    this.enqueue({ kind: "project" });
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  // ───────────────────────── the outbox, digests and retention ─────────────────────────

  private enqueue(effect: ConversationEffect) {
    this.sql.exec("INSERT INTO effects (kind, payload, next_ms) VALUES (?, ?, ?)", effect.kind, JSON.stringify(effect), Date.now());
  }

  /** After a change: the outbox runs once the caller has its answer, and the alarm covers digests and retries. */
  private async afterChange(now: number) {
    await this.scheduleAlarm(this.nextWake(now));
    this.ctx.waitUntil(this.drain());
  }

  /** Runs due effects in order, one drain at a time; a failure waits for the alarm. */
  private drain(): Promise<void> {
    this.draining ??= this.runEffects().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async runEffects(): Promise<void> {
    const skip = new Set<number>();
    for (;;) {
      const row = this.sql
        .exec<{ id: number; payload: string; attempts: number }>("SELECT id, payload, attempts FROM effects WHERE next_ms <= ? ORDER BY id LIMIT 20", Date.now())
        .toArray()
        .find((r) => !skip.has(r.id));
      if (!row) return;
      try {
        await this.runEffect(ConversationEffectSchema.parse(JSON.parse(row.payload)));
        this.sql.exec("DELETE FROM effects WHERE id = ?", row.id);
      } catch (e) {
        skip.add(row.id);
        const delay = EFFECT_RETRY_MS[Math.min(row.attempts, EFFECT_RETRY_MS.length - 1)]!;
        this.sql.exec("UPDATE effects SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE id = ?", Date.now() + delay, String(e).slice(0, 500), row.id);
        log.warn("conversation effect failed; will retry", { conversationId: this.meta("id"), effectId: row.id, attempts: row.attempts + 1, error: String(e) });
        await this.scheduleAlarm(Date.now() + delay);
      }
    }
  }

  private async runEffect(effect: ConversationEffect): Promise<void> {
    switch (effect.kind) {
      case "live":
        await notifyUser(this.env, effect.userId, effect.message);
        return;
      case "push": {
        const msg = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq = ?", effect.seq).toArray()[0];
        const me = this.member(effect.userId);
        // Read in the meantime (or deleted), or the recipient blocked the conversation since: nothing to tell.
        if (msg && me.read_seq < msg.seq && !me.blocked) await pushMessage(this.env, this.facts(), effect.userId, msg);
        return;
      }
      case "project": {
        const ms = this.members();
        const student = ms.find((m) => m.role === "student")!;
        const tutor = ms.find((m) => m.role === "tutor")!;
        await projectConversation(this.env, this.facts(), {
          version: Number(this.meta("version") ?? "0"),
          last: this.sql.exec<MessageRow>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray()[0] ?? null,
          studentUnread: this.unreadOf(student.user_id),
          tutorUnread: this.unreadOf(tutor.user_id),
          studentBlocked: Boolean(student.blocked),
          tutorBlocked: Boolean(tutor.blocked),
        });
        return;
      }
      case "digest": {
        const me = this.member(effect.userId);
        // Blocked since the digest was queued: they want nothing more of this conversation, by email neither.
        if (me.blocked) return;
        // Only what is still unread when the email goes out. The seqs go as one JSON value: a digest may hold more
        // messages than SQLite binds values to a statement (100).
        const msgs = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq IN (SELECT value FROM json_each(?)) AND seq > ? ORDER BY seq", JSON.stringify(effect.seqs), me.read_seq).toArray();
        await emailDigest(this.env, this.facts(), effect.userId, msgs, Date.now());
        return;
      }
    }
  }

  /** The digests now due, recorded as sent (so each message is in at most one), then queued. */
  private queueDueDigests(now: number) {
    const plan = this.digestPlan(now);
    for (const d of plan.due) {
      this.sql.exec("UPDATE members SET digested_seq = ?, last_digest_ms = ? WHERE user_id = ?", Math.max(...d.seqs), now, d.userId);
      this.enqueue({ kind: "digest", userId: d.userId, seqs: d.seqs });
    }
  }

  private digestPlan(now: number) {
    const members = this.members();
    const from = Math.min(...members.map((m) => Math.max(m.read_seq, m.digested_seq)));
    const waiting = this.sql.exec<MessageRow>("SELECT seq, sender_id, created_ms FROM messages WHERE seq > ? ORDER BY seq", from).toArray();
    return planDigests(
      // Whoever blocked the conversation (or deleted their account, which blocks it) is emailed nothing from it.
      members.map((m) => ({ userId: m.user_id, readSeq: m.read_seq, digestedSeq: m.digested_seq, lastDigestMs: m.last_digest_ms, optedOut: Boolean(m.blocked) })),
      waiting.map((m) => ({ seq: m.seq, senderId: m.sender_id, createdMs: m.created_ms })),
      now,
    );
  }

  /** Deletes messages past retention unless an open report holds the conversation; true when any went. */
  private applyRetention(now: number): boolean {
    if (this.meta("held") === "1") return false;
    const gone = this.sql.exec("DELETE FROM messages WHERE created_ms < ?", messagesExpireBefore(now)).rowsWritten;
    if (gone) this.changed();
    return gone > 0;
  }

  /** The next moment something is due: an effect retry, a digest, or the oldest message's end of retention. */
  private nextWake(now: number): number | null {
    const effect = this.sql.exec<{ t: number | null }>("SELECT min(next_ms) AS t FROM effects").one().t;
    const digest = this.digestPlan(now).nextAt;
    const oldest = this.meta("held") === "1" ? null : this.sql.exec<{ t: number | null }>("SELECT min(created_ms) AS t FROM messages").one().t;
    // Retention runs at most daily: a message lives its year plus up to a day.
    const expiry = oldest === null ? null : Math.max(oldest + MESSAGE_RETENTION_MS, now + DAY);
    const times = [effect, digest, expiry].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  private async scheduleAlarm(at: number | null) {
    if (at === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.applyRetention(now);
    this.queueDueDigests(now);
    await this.drain();
    const next = this.nextWake(now);
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, now + 1_000));
  }

  // ───────────────────────── for tests ─────────────────────────

  /** Runs whatever is due as if the alarm fired at `now` (tests pass a time ahead of the clock). */
  async settle(now = Date.now()): Promise<void> {
    this.applyRetention(now);
    this.queueDueDigests(now);
    await this.drain();
  }

  pendingEffects(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM effects").one().n;
  }
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern with ESCAPE '\'. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

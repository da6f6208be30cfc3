import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerMessage } from "../../domain/protocol";
import { DIGEST_AFTER_MS, DIGEST_MIN_GAP_MS } from "../../domain/messaging/digest";
import { MESSAGE_RETENTION_MS } from "../../domain/messaging/retention";
import { getDb } from "../../platform/db/client";
import { drainOutbox } from "../../platform/notifications/service";
import { FAKE_EMAIL_TOKEN } from "../fakes/email";
import { startOrFind } from "../../worker/features/conversations/repo";
import { conversationOf } from "../../worker/lib/stubs";
import { type Client, adminClient, approvedTutor, freshLimiterWindow, fundedStudent, signup, slotAhead } from "./helpers";
import { listen } from "./liveHelpers";

type Message = { id: string; seq: number; senderId: string; text: string; createdAt: string };
const isMessage = (m: ServerMessage): m is Extract<ServerMessage, { type: "message.created" }> => m.type === "message.created";
const isUpdate = (m: ServerMessage): m is Extract<ServerMessage, { type: "conversation.updated" }> => m.type === "conversation.updated";

/** A student and an approved tutor with a conversation the student started. */
async function pair() {
  const tutor = await approvedTutor();
  const student = await signup("student");
  const started = await student.client.post("/api/conversations", { tutorId: tutor.user.id });
  expect(started.status, started.text).toBe(201);
  return { tutor, student, id: started.json.conversation.id as string };
}

const send = (client: Client, id: string, text: string, key?: string) =>
  client.post(`/api/conversations/${id}/messages`, { text }, key ? { "Idempotency-Key": key } : {});
const history = async (client: Client, id: string, query = "") => (await client.get(`/api/conversations/${id}/messages${query}`)).json as { messages: Message[]; nextCursor: string | null };
const listOf = async (client: Client) => (await client.get("/api/conversations")).json as { conversations: { id: string; unread: number; canSend: boolean; blockedByMe: boolean; lastMessage: { preview: string; fromMe: boolean } | null; other: { name: string; role: string } }[]; unread: number };

/** Lets the conversation's outbox (D1 projection, live events, pushes, digests) finish; `at` runs it as of that time. */
const settle = (id: string, at?: number) => conversationOf(env, id).settle(at);

describe("starting a conversation", () => {
  it("gives a student and a tutor one conversation, however often and concurrently it is started", async () => {
    const tutor = await approvedTutor();
    const student = await signup("student");
    const starts = await Promise.all(Array.from({ length: 6 }, () => student.client.post("/api/conversations", { tutorId: tutor.user.id })));
    const ids = new Set(starts.map((r) => r.json.conversation.id));
    expect(ids.size).toBe(1);
    expect(starts.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(starts[0]!.json.conversation).toMatchObject({ other: { id: tutor.user.id, name: "Test Tutor", role: "tutor" }, unread: 0, canSend: true, lastMessage: null });
  });

  it("lets a student write to approved tutors only", async () => {
    const student = await signup("student");
    const unapproved = await signup("tutor");
    expect((await student.client.post("/api/conversations", { tutorId: unapproved.user.id })).status).toBe(404);
    expect((await student.client.post("/api/conversations", { tutorId: "no-such-tutor" })).status).toBe(404);
    const res = await student.client.post("/api/conversations", { studentId: student.user.id });
    expect(res.status).toBe(400);
  });

  it("lets a tutor write only to students who booked with them", async () => {
    const tutor = await approvedTutor();
    const booked = await fundedStudent(60);
    const stranger = await signup("student");
    const b = await booked.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(b.status).toBe(201);
    const ok = await tutor.client.post("/api/conversations", { studentId: booked.user.id });
    expect(ok.status).toBe(201);
    expect(ok.json.conversation.other).toMatchObject({ id: booked.user.id, role: "student" });
    const refused = await tutor.client.post("/api/conversations", { studentId: stranger.user.id });
    expect(refused.status).toBe(403);
    // The student's own start meets the tutor's conversation.
    const theirs = await booked.client.post("/api/conversations", { tutorId: tutor.user.id });
    expect(theirs.json.conversation.id).toBe(ok.json.conversation.id);
  });

  it("shows an empty conversation only to whoever started it", async () => {
    const { tutor, student, id } = await pair();
    expect((await listOf(student.client)).conversations.map((c) => c.id)).toEqual([id]);
    expect((await listOf(tutor.client)).conversations).toEqual([]);
    await send(student.client, id, "Hello!");
    await settle(id);
    expect((await listOf(tutor.client)).conversations.map((c) => c.id)).toEqual([id]);
  });
});

describe("who may write", () => {
  it("treats a suspended or deleted tutor as unknown: no new conversation, no new message, until restored", async () => {
    const { tutor, student, id } = await pair();
    const newcomer = await signup("student");
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${tutor.user.id}/suspend`, { reason: "Under review" })).status).toBe(200);
    const refused = await newcomer.client.post("/api/conversations", { tutorId: tutor.user.id });
    expect(refused.status).toBe(404);
    expect(refused.json.error).toMatchObject({ code: "not_found", message: "That tutor was not found." });
    expect((await student.client.post("/api/conversations", { tutorId: tutor.user.id })).status).toBe(404);
    const unsent = await send(student.client, id, "Are you there?");
    expect(unsent.status).toBe(409);
    expect(unsent.json.error).toMatchObject({ code: "conversation_blocked", message: "You can't send messages in this conversation any more." });

    expect((await admin.post(`/api/admin/users/${tutor.user.id}/restore`)).status).toBe(200);
    expect((await send(student.client, id, "Welcome back")).status).toBe(201);

    const gone = await approvedTutor();
    expect((await gone.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    expect((await newcomer.client.post("/api/conversations", { tutorId: gone.user.id })).status).toBe(404);
  });

  it("stops a suspended account from writing at once, though its signed credential is still trusted for a minute", async () => {
    const { tutor, student, id } = await pair();
    expect((await send(student.client, id, "first")).status).toBe(201);
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${student.user.id}/suspend`, { reason: "Harassing tutors" })).status).toBe(200);
    const unsent = await send(student.client, id, "you can't stop me");
    expect(unsent.status).toBe(403);
    expect(unsent.json.error.code).toBe("account_closed");
    expect((await history(tutor.client, id)).messages.map((m) => m.text)).toEqual(["first"]);
  });

  it("asks an account to confirm its email address before it starts a conversation or writes", async () => {
    const tutor = await approvedTutor();
    const student = await signup("student", { verified: false });
    const started = await student.client.post("/api/conversations", { tutorId: tutor.user.id });
    expect(started.status).toBe(403);
    expect(started.json.error).toMatchObject({ code: "email_unverified", message: expect.stringContaining(student.user.email) });
    // A conversation from before the rule: the unverified side may read it but not write in it.
    const { row } = await startOrFind(getDb(env), { studentId: student.user.id, tutorId: tutor.user.id, startedBy: tutor.user.id, now: new Date() });
    const unsent = await send(student.client, row.id, "Hello!");
    expect(unsent.status).toBe(403);
    expect(unsent.json.error).toMatchObject({ code: "email_unverified", message: expect.stringContaining(student.user.email) });
    expect((await history(student.client, row.id)).messages).toEqual([]);
    expect((await send(tutor.client, row.id, "Hello from the tutor")).status).toBe(201);
  });
});

describe("messages", () => {
  it("delivers a message live to both participants, in order, with the recipient's unread count", async () => {
    const { tutor, student, id } = await pair();
    const tutorLive = await listen(tutor.client);
    const studentLive = await listen(student.client);
    const first = await send(student.client, id, "Hi Olivia, can we work on integrals?");
    expect(first.status).toBe(201);
    const second = await send(student.client, id, "Maybe Thursday?");
    const m1 = await tutorLive.next((m): m is Extract<ServerMessage, { type: "message.created" }> => isMessage(m) && m.message.seq === first.json.message.seq);
    expect(m1).toEqual({ type: "message.created", conversationId: id, unread: 1, message: first.json.message });
    const m2 = await tutorLive.next((m): m is Extract<ServerMessage, { type: "message.created" }> => isMessage(m) && m.message.seq === second.json.message.seq);
    expect(m2.unread).toBe(2);
    expect(second.json.message.seq).toBeGreaterThan(first.json.message.seq);
    // The sender's other tabs see their own message too, with nothing unread.
    expect((await studentLive.next((m): m is Extract<ServerMessage, { type: "message.created" }> => isMessage(m) && m.message.seq === second.json.message.seq)).unread).toBe(0);
    tutorLive.close();
    studentLive.close();
  });

  it("orders concurrent messages from both sides: every message once, strictly increasing", async () => {
    const { tutor, student, id } = await pair();
    const sends = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(i % 2 ? tutor.client : student.client, id, `message ${i}`)),
    );
    expect(sends.every((r) => r.status === 201)).toBe(true);
    const page = await history(student.client, id);
    expect(page.messages.map((m) => m.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
    const seqs = page.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(10);
    expect(new Set(sends.map((r) => r.json.message.seq))).toEqual(new Set(seqs));
  });

  it("lands a retried send once (Idempotency-Key), even when the retries race", async () => {
    const { student, id } = await pair();
    const tries = await Promise.all([send(student.client, id, "Just once", "k-1"), send(student.client, id, "Just once", "k-1"), send(student.client, id, "Just once", "k-1")]);
    expect(new Set(tries.map((r) => r.json.message.id)).size).toBe(1);
    expect((await history(student.client, id)).messages).toHaveLength(1);
  });

  it("stores text as typed: markup and links are text, controls are dropped, length is limited", async () => {
    const { student, id } = await pair();
    const sent = await send(student.client, id, '  <a href="https://evil.example">click</a> https://tutorly.example\u0000  ');
    expect(sent.json.message.text).toBe('<a href="https://evil.example">click</a> https://tutorly.example');
    const long = await send(student.client, id, "x".repeat(2001));
    expect(long.status).toBe(400);
    expect(long.json.error.code).toBe("invalid_request");
    expect((await send(student.client, id, "   ")).status).toBe(400);
  });

  it("refuses a message of direction marks and other invisible characters alone; keeps Arabic with its marks, overrides dropped", async () => {
    const { student, id } = await pair();
    for (const blank of ["\u200F", "\u200E\u200F", " \u061C ", "\u00AD", "\u3164", "\u2063\u200B", "\uFE0F"]) {
      const refused = await send(student.client, id, blank);
      expect(refused.status, JSON.stringify(blank)).toBe(400);
      expect(refused.json.error.code).toBe("invalid_request");
    }
    const arabic = await send(student.client, id, "\u202Eمرحبا\u202C، هل أنت متاح يوم \u200Fالخميس؟");
    expect(arabic.status, arabic.text).toBe(201);
    expect(arabic.json.message.text).toBe("مرحبا، هل أنت متاح يوم \u200Fالخميس؟");
    expect((await history(student.client, id)).messages.map((m) => m.text)).toEqual([arabic.json.message.text]);
  });

  it("pages history back in time by cursor", async () => {
    const { student, id } = await pair();
    for (let i = 1; i <= 7; i++) await send(student.client, id, `note ${i}`);
    const newest = await history(student.client, id, "?limit=3");
    expect(newest.messages.map((m) => m.text)).toEqual(["note 5", "note 6", "note 7"]);
    const older = await history(student.client, id, `?limit=3&cursor=${newest.nextCursor}`);
    expect(older.messages.map((m) => m.text)).toEqual(["note 2", "note 3", "note 4"]);
    const oldest = await history(student.client, id, `?limit=3&cursor=${older.nextCursor}`);
    expect(oldest).toEqual({ messages: [expect.objectContaining({ text: "note 1" })], nextCursor: null });
    expect((await student.client.get(`/api/conversations/${id}/messages?cursor=abc`)).status).toBe(400);
  });

  it("searches a conversation for its participants, ignoring case and accents, with wildcards taken literally", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "Can José join the Thursday session?");
    await send(tutor.client, id, "Yes, 50% off for groups_of_two");
    await send(student.client, id, "Great, thanks");
    const found = await history(tutor.client, id, "?q=jose");
    expect(found.messages.map((m) => m.text)).toEqual(["Can José join the Thursday session?"]);
    expect((await history(student.client, id, "?q=THURSDAY")).messages).toHaveLength(1);
    expect((await history(student.client, id, `?q=${encodeURIComponent("50%")}`)).messages.map((m) => m.text)).toEqual(["Yes, 50% off for groups_of_two"]);
    expect((await history(student.client, id, "?q=%25")).messages).toHaveLength(1);
    expect((await history(student.client, id, "?q=s_ss")).messages).toHaveLength(0);
  });

  it("keeps a conversation between its two participants", async () => {
    const { id } = await pair();
    const otherStudent = await signup("student");
    const otherTutor = await approvedTutor();
    const admin = await adminClient();
    for (const outsider of [otherStudent.client, otherTutor.client]) {
      expect((await outsider.get(`/api/conversations/${id}/messages`)).status).toBe(404);
      expect((await send(outsider, id, "let me in")).status).toBe(404);
      expect((await outsider.post(`/api/conversations/${id}/read`)).status).toBe(404);
      expect((await outsider.post(`/api/conversations/${id}/block`, { blocked: true })).status).toBe(404);
      expect((await outsider.post(`/api/conversations/${id}/report`, { reason: "spam" })).status).toBe(404);
    }
    // Admins read a conversation only when it was reported (see below).
    expect((await admin.get(`/api/conversations/${id}/messages`)).status).toBe(403);
    expect((await admin.get(`/api/admin/conversations/${id}/messages`)).status).toBe(404);
  });
});

describe("unread counts and reading", () => {
  it("counts unread per conversation and in total, and clears them when read (live to the reader's other tabs)", async () => {
    const { tutor, student, id } = await pair();
    const second = await fundedStudent(0);
    const other = (await second.client.post("/api/conversations", { tutorId: tutor.user.id })).json.conversation.id as string;
    await send(student.client, id, "one");
    await send(student.client, id, "two");
    await send(second.client, other, "three");
    await Promise.all([settle(id), settle(other)]);
    const before = await listOf(tutor.client);
    expect(before.unread).toBe(3);
    expect(before.conversations.find((c) => c.id === id)).toMatchObject({ unread: 2, lastMessage: { preview: "two", fromMe: false }, other: { name: "Test Student" } });

    const tutorTab = await listen(tutor.client);
    const read = await tutor.client.post(`/api/conversations/${id}/read`);
    expect(read.json.conversation).toEqual({ id, unread: 0, canSend: true, blockedByMe: false });
    expect(await tutorTab.next(isUpdate)).toEqual({ type: "conversation.updated", conversationId: id, unread: 0, canSend: true, blockedByMe: false });
    await settle(id);
    expect((await listOf(tutor.client)).unread).toBe(1);
    tutorTab.close();
  });

  it("counts nothing the reader sent as unread to them", async () => {
    const { student, id } = await pair();
    await send(student.client, id, "mine");
    await settle(id);
    expect((await listOf(student.client)).unread).toBe(0);
  });
});

describe("email digest", () => {
  /** Digest emails to `email` (account emails, such as the address confirmation, are not counted). */
  async function mailsTo(email: string) {
    const rows = await env.DB.prepare("SELECT subject, text FROM email_outbox WHERE to_email = ? AND dedupe_key LIKE 'digest:%' ORDER BY created_at").bind(email).all<{ subject: string; text: string }>();
    return rows.results;
  }

  it("emails a message that stayed unread for 15 minutes, once, and at most one digest an hour", async () => {
    const { tutor, student, id } = await pair();
    const sent = Date.now();
    await send(student.client, id, "Are you free on Thursday?\nhttps://example.com/plan");
    await settle(id, sent + DIGEST_AFTER_MS - 60_000);
    expect(await mailsTo(tutor.user.email)).toEqual([]);
    await settle(id, sent + DIGEST_AFTER_MS + 1_000);
    const [digest] = await mailsTo(tutor.user.email);
    expect(digest!.subject).toBe("New message from Test Student");
    expect(digest!.text).toContain("  Are you free on Thursday?\n  https://example.com/plan");
    expect(digest!.text).toContain(`/messages/${id}`);
    // Nothing new: no second digest; a new message within the hour waits for the hour.
    await settle(id, sent + DIGEST_AFTER_MS + 120_000);
    await send(student.client, id, "Or Friday?");
    await settle(id, sent + 2 * DIGEST_AFTER_MS + 120_000);
    expect(await mailsTo(tutor.user.email)).toHaveLength(1);
    await settle(id, sent + DIGEST_AFTER_MS + DIGEST_MIN_GAP_MS + 2_000);
    const mails = await mailsTo(tutor.user.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain("Or Friday?");
    expect(mails[1]!.text).not.toContain("Thursday");
    expect(await mailsTo(student.user.email)).toEqual([]);
  });

  it("sends no digest for messages read in time, nor to someone who turned message emails off", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "read me");
    await tutor.client.post(`/api/conversations/${id}/read`);
    await send(tutor.client, id, "thanks!");
    await student.client.put("/api/me/notification-settings", { email: { messages: false } });
    await settle(id, Date.now() + DIGEST_AFTER_MS + DIGEST_MIN_GAP_MS);
    expect(await mailsTo(tutor.user.email)).toEqual([]);
    expect(await mailsTo(student.user.email)).toEqual([]);
  });

  it("emails nobody about messages in a conversation they blocked (nor when they reported it and blocked)", async () => {
    const { tutor, student, id } = await pair();
    const sent = Date.now();
    await send(student.client, id, "You'll regret ignoring me");
    expect((await tutor.client.post(`/api/conversations/${id}/block`, { blocked: true })).status).toBe(200);
    const other = await pair();
    await send(other.tutor.client, other.id, "Pay me in cash instead");
    expect((await other.student.client.post(`/api/conversations/${other.id}/report`, { reason: "off_platform_payment", block: true })).status).toBe(201);
    await Promise.all([settle(id, sent + DIGEST_AFTER_MS + DIGEST_MIN_GAP_MS), settle(other.id, sent + DIGEST_AFTER_MS + DIGEST_MIN_GAP_MS)]);
    expect(await mailsTo(tutor.user.email)).toEqual([]);
    expect(await mailsTo(other.student.user.email)).toEqual([]);
  });

  it("emails nothing an account wrote before it was suspended or deleted; the messages stay in the app", async () => {
    const { tutor, student, id } = await pair();
    const sent = Date.now();
    await send(student.client, id, "Answer me or you'll be sorry");
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${student.user.id}/suspend`, { reason: "Threatening tutors" })).status).toBe(200);
    // A deleted account's messages a report holds are kept for the admins, not mailed on.
    const held = await pair();
    await send(held.tutor.client, held.id, "Pay me in cash, or else");
    expect((await held.student.client.post(`/api/conversations/${held.id}/report`, { reason: "harassment" })).status).toBe(201);
    expect((await held.tutor.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    await Promise.all([settle(id, sent + DIGEST_AFTER_MS + 1_000), settle(held.id, sent + DIGEST_AFTER_MS + 1_000)]);
    expect(await mailsTo(tutor.user.email)).toEqual([]);
    expect(await mailsTo(held.student.user.email)).toEqual([]);
    expect((await history(tutor.client, id)).messages.map((m) => m.text)).toEqual(["Answer me or you'll be sorry"]);
  });

  /** A tutor written to by two students, Rex Harper (to be suspended) and Maya Lopez, each in their own conversation. */
  async function twoWriters() {
    const tutor = await approvedTutor();
    const suspended = await signup("student", { name: "Rex Harper" });
    const active = await signup("student", { name: "Maya Lopez" });
    const startWith = async (s: typeof active) => (await s.client.post("/api/conversations", { tutorId: tutor.user.id })).json.conversation.id as string;
    const [theirs, hers] = [await startWith(suspended), await startWith(active)];
    return { tutor, suspended, active, theirs, hers };
  }

  it("still emails a recipient what an active account wrote when another who wrote to them was suspended", async () => {
    const { tutor, suspended, active, theirs, hers } = await twoWriters();
    const sent = Date.now();
    await send(suspended.client, theirs, "Answer me or you'll be sorry");
    await send(active.client, hers, "Could we move Thursday to Friday?");
    expect((await (await adminClient()).post(`/api/admin/users/${suspended.user.id}/suspend`, { reason: "Threatening tutors" })).status).toBe(200);
    await Promise.all([settle(theirs, sent + DIGEST_AFTER_MS + 1_000), settle(hers, sent + DIGEST_AFTER_MS + 1_000)]);
    const mails = await mailsTo(tutor.user.email);
    expect(mails.map((m) => m.subject)).toEqual(["New message from Maya Lopez"]);
    expect(mails[0]!.text).toContain("Could we move Thursday to Friday?");
    expect(mails.map((m) => m.text).join("\n")).not.toContain("sorry");
  });

  describe("already in the email outbox when its sender is suspended", () => {
    const httpEnv = () => ({ ...env, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: `${env.EMAIL_FAKE_URL}/emails`, EMAIL_HTTP_TOKEN: FAKE_EMAIL_TOKEN });
    /** The texts the email API (test/fakes/email.ts) was given for `to`. */
    const deliveredTo = async (to: string) => z.array(z.object({ body: z.object({ to: z.string(), text: z.string() }) })).parse(await (await fetch(`${env.EMAIL_FAKE_URL}/__/sent`)).json()).filter((m) => m.body.to.includes(to)).map((m) => m.body.text);
    const digestRows = async (email: string) =>
      (await env.DB.prepare("SELECT status, attempts, text FROM email_outbox WHERE to_email = ? AND dedupe_key LIKE 'digest:%' ORDER BY created_at").bind(email).all<{ status: string; attempts: number; text: string }>()).results;
    /**
     * Five older emails waiting in the outbox: a digest queued now is not among the few its own queueing sends, and
     * waits for the 5-minute drain (as behind a burst of notices, or while the email provider is down).
     */
    async function backlog() {
      const at = new Date(Date.now() - 60_000).toISOString();
      const row = () => env.DB.prepare("INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, attempts, created_at) VALUES (?, 'queue@example.com', 'Earlier', 'Earlier', ?, 'pending', 0, ?)").bind(crypto.randomUUID(), `backlog:${crypto.randomUUID()}`, at);
      await env.DB.batch(Array.from({ length: 5 }, row));
    }

    it("is dropped at send time, recorded as not sent and never retried", async () => {
      const { tutor, student, id } = await pair();
      const sent = Date.now();
      await send(student.client, id, "Answer me tonight or else");
      await backlog();
      await settle(id, sent + DIGEST_AFTER_MS + 1_000);
      expect((await digestRows(tutor.user.email)).map((r) => r.status)).toEqual(["pending"]);
      await backlog(); // and still waiting after the email the suspension sends
      expect((await (await adminClient()).post(`/api/admin/users/${student.user.id}/suspend`, { reason: "Threatening tutors" })).status).toBe(200);
      await drainOutbox(httpEnv());
      await drainOutbox(httpEnv(), 50, new Date(Date.now() + 10 * 60_000));
      expect((await deliveredTo(tutor.user.email)).join("\n")).not.toContain("or else");
      expect((await digestRows(tutor.user.email)).map((r) => r.status)).toEqual(["dropped"]);
    });

    it("is dropped only for the suspended sender: another student's digest to the same tutor still goes", async () => {
      const { tutor, suspended, active, theirs, hers } = await twoWriters();
      const sent = Date.now();
      await send(suspended.client, theirs, "Answer me tonight or else");
      await send(active.client, hers, "Could we move Thursday to Friday?");
      await backlog();
      await settle(theirs, sent + DIGEST_AFTER_MS + 1_000);
      await backlog();
      await settle(hers, sent + DIGEST_AFTER_MS + 1_000);
      expect((await digestRows(tutor.user.email)).map((r) => r.status)).toEqual(["pending", "pending"]);
      await backlog();
      expect((await (await adminClient()).post(`/api/admin/users/${suspended.user.id}/suspend`, { reason: "Threatening tutors" })).status).toBe(200);
      await drainOutbox(httpEnv());
      const delivered = (await deliveredTo(tutor.user.email)).join("\n");
      expect(delivered).toContain("Could we move Thursday to Friday?");
      expect(delivered).not.toContain("or else");
      expect((await digestRows(tutor.user.email)).map((r) => [r.status, r.text.includes("or else")])).toEqual(
        expect.arrayContaining([
          ["dropped", true],
          ["sent", false],
        ]),
      );
    });
  });
});

describe("push of a message", () => {
  const DeviceSchema = z.object({ id: z.string(), endpoint: z.string(), keys: z.object({ p256dh: z.string(), auth: z.string() }) });
  const ReceivedSchema = z.object({ received: z.array(z.object({ subscription: z.string(), payload: z.object({ title: z.string(), body: z.string() }) })) });
  const pushService = async (path: string, init?: RequestInit) => (await fetch(env.PUSH_SERVICE_URL + path, init)).json();

  /** A browser subscribing at the local push service (test/fakes/pushService.ts), then telling Tutorly about it. */
  async function subscribedDevice(client: Client) {
    const device = DeviceSchema.parse(await pushService("/__subscribe", { method: "POST" }));
    expect((await client.put("/api/me/push-subscription", { endpoint: device.endpoint, keys: device.keys, expirationTime: null })).status).toBe(200);
    return device;
  }
  async function pushedTo(device: { id: string }) {
    const { received } = ReceivedSchema.parse(await pushService("/__received"));
    return received.filter((r) => r.subscription === device.id).map((r) => ({ title: r.payload.title, body: r.payload.body }));
  }

  it("pushes nothing still pending from an account suspended since it wrote; an active account's message still goes", async () => {
    const tutor = await approvedTutor();
    const suspended = await signup("student", { name: "Rex Harper" });
    const active = await signup("student", { name: "Maya Lopez" });
    const device = await subscribedDevice(tutor.client);
    const startWith = async (s: typeof active) => (await s.client.post("/api/conversations", { tutorId: tutor.user.id })).json.conversation.id as string;
    const [theirs, hers] = [await startWith(suspended), await startWith(active)];
    expect((await (await adminClient()).post(`/api/admin/users/${suspended.user.id}/suspend`, { reason: "Threatening tutors" })).status).toBe(200);
    // Messages the objects took just before the suspension landed, their pushes still in the outbox.
    const take = (id: string, from: typeof active, text: string) =>
      conversationOf(env, id).send({ conversation: { id, studentId: from.user.id, tutorId: tutor.user.id }, senderId: from.user.id, messageId: crypto.randomUUID(), text, now: Date.now() });
    expect((await take(theirs, suspended, "Answer me or you'll be sorry")).ok).toBe(true);
    expect((await take(hers, active, "Could we move Thursday to Friday?")).ok).toBe(true);
    await Promise.all([settle(theirs), settle(hers)]);
    expect(await pushedTo(device)).toEqual([{ title: "Maya Lopez", body: "Could we move Thursday to Friday?" }]);
  });
});

describe("blocking and reporting", () => {
  it("stops both sides from writing while either blocks, tells both live, and unblocks", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "hello");
    const studentTab = await listen(student.client);
    const blocked = await tutor.client.post(`/api/conversations/${id}/block`, { blocked: true });
    expect(blocked.json.conversation).toEqual({ id, unread: 1, canSend: false, blockedByMe: true });
    expect(await studentTab.next(isUpdate)).toMatchObject({ conversationId: id, canSend: false, blockedByMe: false });
    const refused = await send(student.client, id, "why?");
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("conversation_blocked");
    expect((await send(tutor.client, id, "bye")).status).toBe(409);
    await settle(id);
    expect((await listOf(student.client)).conversations[0]).toMatchObject({ canSend: false, blockedByMe: false });
    await tutor.client.post(`/api/conversations/${id}/block`, { blocked: false });
    expect((await send(student.client, id, "thanks")).status).toBe(201);
    studentTab.close();
  });

  it("puts a report in the admin console, where the admin reads the conversation and closes the report", async () => {
    const { tutor, student, id } = await pair();
    await send(tutor.client, id, "Pay me outside Tutorly, it's cheaper");
    const report = await student.client.post(`/api/conversations/${id}/report`, { reason: "off_platform_payment", details: "Asked me to pay by bank transfer", block: true });
    expect(report.status).toBe(201);
    const again = await student.client.post(`/api/conversations/${id}/report`, { reason: "spam" });
    expect(again.status).toBe(200);
    expect(again.json.report.id).toBe(report.json.report.id);
    expect((await send(tutor.client, id, "hello?")).status).toBe(409);

    const admin = await adminClient();
    const open = (await admin.get("/api/admin/conversations/reports")).json.reports as { id: string; conversationId: string; reason: string; reporter: { id: string }; reported: { id: string; email: string } }[];
    const mine = open.find((r) => r.id === report.json.report.id);
    expect(mine).toMatchObject({ conversationId: id, reason: "off_platform_payment", details: "Asked me to pay by bank transfer", reporter: { id: student.user.id }, reported: { id: tutor.user.id, email: tutor.user.email, status: "active" } });
    const read = await admin.get(`/api/admin/conversations/${id}/messages`);
    expect(read.json.messages.map((m: Message) => m.text)).toEqual(["Pay me outside Tutorly, it's cheaper"]);
    expect(read.json.participants).toHaveLength(2);
    const closed = await admin.post(`/api/admin/conversations/reports/${report.json.report.id}/resolve`, { resolution: "actioned", note: "Warned the tutor" });
    expect(closed.json.report).toMatchObject({ status: "actioned", resolutionNote: "Warned the tutor" });
    expect((await admin.post(`/api/admin/conversations/reports/${report.json.report.id}/resolve`, { resolution: "dismissed" })).status).toBe(409);
    expect(((await admin.get("/api/admin/conversations/reports")).json.reports as { id: string }[]).some((r) => r.id === report.json.report.id)).toBe(false);
    expect(((await admin.get("/api/admin/conversations/reports?status=closed")).json.reports as { id: string }[]).some((r) => r.id === report.json.report.id)).toBe(true);
  });

  it("keeps a report's details free of bidi overrides and control characters; invisible details are none", async () => {
    const first = await pair();
    const report = await first.student.client.post(`/api/conversations/${first.id}/report`, { reason: "other", details: "he wrote \u202Eyap\u202C\u0000\u0007 to me" });
    expect(report.status, report.text).toBe(201);
    const second = await pair();
    const blank = await second.student.client.post(`/api/conversations/${second.id}/report`, { reason: "spam", details: " \u200B\u202E\u0007 " });
    expect(blank.status, blank.text).toBe(201);
    const open = (await (await adminClient()).get("/api/admin/conversations/reports")).json.reports as { id: string; details: string | null }[];
    expect(open.find((r) => r.id === report.json.report.id)?.details).toBe("he wrote yap to me");
    expect(open.find((r) => r.id === blank.json.report.id)?.details).toBeNull();
  });

  it("keeps one open report per reporter, however concurrently it is sent; a closed one makes room for a new one", async () => {
    const { student, id } = await pair();
    const reports = await Promise.all(Array.from({ length: 3 }, () => student.client.post(`/api/conversations/${id}/report`, { reason: "spam" })));
    expect(reports.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(reports.map((r) => r.json.report.id)).size).toBe(1);
    const openCount = () =>
      env.DB.prepare("SELECT count(*) AS n FROM conversation_reports WHERE conversation_id = ? AND reporter_id = ? AND status = 'open'").bind(id, student.user.id).first<number>("n");
    expect(await openCount()).toBe(1);

    const admin = await adminClient();
    await admin.post(`/api/admin/conversations/reports/${reports[0]!.json.report.id}/resolve`, { resolution: "dismissed" });
    const next = await student.client.post(`/api/conversations/${id}/report`, { reason: "harassment" });
    expect(next.status).toBe(201);
    expect(next.json.report).toMatchObject({ status: "open", reason: "harassment" });
    expect(next.json.report.id).not.toBe(reports[0]!.json.report.id);
    expect(await openCount()).toBe(1);
  });

  it("pages the admin's reported conversations back in time: the 101st and oldest open report is on a later page, each once", async () => {
    const { tutor, id } = await pair();
    // 130 reports on one conversation, straight into D1 (each by its own reporter: one open report per reporter), older
    // than any other in this file, two of them at each moment (so a page may end between two of one moment).
    const reporters = Array.from({ length: 130 }, () => crypto.randomUUID());
    await env.DB.batch(reporters.map((r) => env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES (?, ?, 'Reporter', 'student', 'UTC', 'x')").bind(r, `${r}@example.com`)));
    const at = (i: number) => new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 2) * 1_000).toISOString();
    const ids = reporters.map(() => crypto.randomUUID());
    await env.DB.batch(
      reporters.map((r, i) =>
        env.DB.prepare("INSERT INTO conversation_reports (id, conversation_id, reporter_id, reported_user_id, reason, status, created_at) VALUES (?, ?, ?, ?, 'spam', 'open', ?)").bind(ids[i], id, r, tutor.user.id, at(i)),
      ),
    );
    const admin = await adminClient();
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`/api/admin/conversations/reports${before ? `?before=${encodeURIComponent(before)}` : ""}`);
      expect(res.status, res.text).toBe(200);
      const page = res.json as { reports: { id: string }[]; next: string | null };
      expect(page.reports.length).toBeLessThanOrEqual(100);
      seen.push(...page.reports.map((r) => r.id));
      before = page.next;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toContain(ids[0]);
    expect(seen.filter((r) => ids.includes(r))).toHaveLength(130);
    expect(new Set(seen).size).toBe(seen.length);
    // A smaller page, and a cursor that is not one: 400, not a 500.
    const small = await admin.get("/api/admin/conversations/reports?limit=10");
    expect(small.json.reports).toHaveLength(10);
    expect(small.json.next).toEqual(expect.any(String));
    expect((await admin.get("/api/admin/conversations/reports?before=yesterday")).status).toBe(400);
  });
});

describe("retention", () => {
  it("deletes messages a year after they were sent, but not while a report is open", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "old news");
    const yearLater = Date.now() + MESSAGE_RETENTION_MS + 60_000;
    const reported = await pair();
    await send(reported.tutor.client, reported.id, "evidence");
    const report = await reported.student.client.post(`/api/conversations/${reported.id}/report`, { reason: "harassment" });
    await Promise.all([settle(id, yearLater), settle(reported.id, yearLater)]);
    expect((await history(student.client, id)).messages).toEqual([]);
    expect((await listOf(tutor.client)).conversations.find((c) => c.id === id)?.lastMessage ?? null).toBeNull();
    expect((await history(reported.student.client, reported.id)).messages.map((m) => m.text)).toEqual(["evidence"]);
    // Once the report is closed, retention applies again.
    const admin = await adminClient();
    await admin.post(`/api/admin/conversations/reports/${report.json.report.id}/resolve`, { resolution: "dismissed" });
    await settle(reported.id, yearLater);
    expect((await history(reported.student.client, reported.id)).messages).toEqual([]);
  });
});

describe("the participants' own data", () => {
  it("exports a person's conversations with every message, their push devices (origin only) and switches", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "Question about homework");
    await send(tutor.client, id, "Sure, ask away");
    await student.client.put("/api/me/notification-settings", { push: { reminders: false } });
    const data = (await student.client.get("/api/me/export")).json;
    expect(data.conversations).toEqual([
      { id, with: { id: tutor.user.id, name: "Test Tutor", role: "tutor" }, startedAt: expect.any(String), messages: [expect.objectContaining({ text: "Question about homework" }), expect.objectContaining({ text: "Sure, ask away" })] },
    ]);
    expect(data.notificationSettings.push.reminders).toBe(false);
    expect(data.pushDevices).toEqual([]);
  });

  it("erases a deleted account's messages and closes its conversations; the other person keeps theirs", async () => {
    const { tutor, student, id } = await pair();
    await send(student.client, id, "Mine, to be erased");
    await send(tutor.client, id, "The tutor's reply");
    expect((await student.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    await settle(id);
    expect((await history(tutor.client, id)).messages.map((m) => m.text)).toEqual(["The tutor's reply"]);
    expect((await listOf(tutor.client)).conversations.find((c) => c.id === id)).toMatchObject({ canSend: false, blockedByMe: false });
    expect((await send(tutor.client, id, "hello?")).status).toBe(409);
  });

  it("keeps a deleted account's messages while a report on them is open, and erases them once it is closed", async () => {
    const { tutor, student, id } = await pair();
    await send(tutor.client, id, "Something reportable");
    const report = await student.client.post(`/api/conversations/${id}/report`, { reason: "harassment" });
    expect((await tutor.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    const admin = await adminClient();
    expect((await admin.get(`/api/admin/conversations/${id}/messages`)).json.messages.map((m: Message) => m.text)).toEqual(["Something reportable"]);
    await admin.post(`/api/admin/conversations/reports/${report.json.report.id}/resolve`, { resolution: "actioned" });
    expect((await history(student.client, id)).messages).toEqual([]);
  });
});

describe("rate limit", () => {
  it("refuses a flood of messages from one user with 429 and Retry-After", async () => {
    const { student, id } = await pair();
    // The limit is 20 in a wall-clock 10-second window: 30 at once, early in one, so a slow machine cannot spread
    // them over two windows.
    await freshLimiterWindow(10_000, 7_000);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => student.client.post(`/api/conversations/${id}/messages`, { text: `spam ${i}` }, { "CF-Connecting-IP": "203.0.113.9" })),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get("Retry-After")).toBe("10");
    expect(limited[0]!.json.error.code).toBe("rate_limited");
  });

  it("refuses a flood of block and unblock toggles, each of which tells the other person", async () => {
    const { student, id } = await pair();
    await freshLimiterWindow(10_000, 7_000);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => student.client.post(`/api/conversations/${id}/block`, { blocked: i % 2 === 0 }, { "CF-Connecting-IP": "203.0.113.9" })),
    );
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });
});

describe("a digest of many messages", () => {
  it("emails a digest of 120 messages that stayed unread", async () => {
    const { tutor, student, id } = await pair();
    const sent = Date.now();
    for (let i = 0; i < 120; i++) {
      const out = await conversationOf(env, id).send({ conversation: { id, studentId: student.user.id, tutorId: tutor.user.id }, senderId: student.user.id, messageId: `${id}:many-${i}`, text: `Question ${i}`, now: sent + i });
      expect(out.ok).toBe(true);
    }
    await settle(id, sent + DIGEST_AFTER_MS + 1_000);
    const rows = await env.DB.prepare("SELECT text FROM email_outbox WHERE to_email = ? AND dedupe_key LIKE 'digest:%'").bind(tutor.user.email).all<{ text: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.text).toContain("Question 119");
  });
});

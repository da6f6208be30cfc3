import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { notifyAll } from "../../platform/notifications/service";
import { accountOf, calendarOf, conversationOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, fundedStudent, resetPassword, signup, slotAhead } from "./helpers";

/**
 * Web Push end to end against the local push service (test/fakes/pushService.ts), which verifies each VAPID
 * token and decrypts each body with node:crypto, independently of the sender.
 */
type Device = { id: string; endpoint: string; keys: { p256dh: string; auth: string } };
type Received = { subscription: string; payload: any; headers: Record<string, string | null>; vapid: { aud: string; sub: string; publicKey: string } };

const push = (path: string, init?: RequestInit) => fetch(env.PUSH_SERVICE_URL + path, init);

/** A browser subscribing at the push service, then telling Tutorly about it. */
async function subscribedDevice(client: Client): Promise<Device> {
  const device = (await (await push("/__subscribe", { method: "POST" })).json()) as Device;
  const saved = await client.put("/api/me/push-subscription", { endpoint: device.endpoint, keys: device.keys, expirationTime: null });
  expect(saved.status, saved.text).toBe(200);
  return device;
}

async function receivedBy(device: Device): Promise<Received[]> {
  const all = (await (await push("/__received")).json()) as { received: Received[]; refused: { subscription: string; error: string }[] };
  expect(all.refused.filter((r) => r.subscription === device.id)).toEqual([]);
  return all.received.filter((r) => r.subscription === device.id);
}

/** Waits for pushes that are sent after an answer (a conversation's outbox, a calendar's background lane). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const devicesOf = async (userId: string) =>
  (await env.DB.prepare("SELECT endpoint FROM push_subscriptions WHERE user_id = ?").bind(userId).all<{ endpoint: string }>()).results.map((r) => r.endpoint);

async function conversation() {
  const tutor = await approvedTutor();
  const student = await signup("student", { name: "Maya Lopez" });
  const id = (await student.client.post("/api/conversations", { tutorId: tutor.user.id })).json.conversation.id as string;
  return { tutor, student, id };
}

describe("push subscriptions", () => {
  it("stores a browser's subscription, refuses unknown push services and malformed keys", async () => {
    const student = await signup("student");
    const device = await subscribedDevice(student.client);
    expect(await devicesOf(student.user.id)).toEqual([device.endpoint]);
    const elsewhere = await student.client.put("/api/me/push-subscription", { endpoint: "https://push.evil.example/abc", keys: device.keys });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error.code).toBe("unsupported_push_service");
    const badKeys = await student.client.put("/api/me/push-subscription", { endpoint: device.endpoint, keys: { p256dh: "short", auth: device.keys.auth } });
    expect(badKeys.status).toBe(400);
    const settings = (await student.client.get("/api/me/notification-settings")).json;
    expect(settings.push).toEqual({ publicKey: expect.stringMatching(/^B[\w-]{86}$/), devices: 1 });
  });

  it("moves a browser to whoever subscribes it last, and forgets it on DELETE", async () => {
    const a = await signup("student");
    const b = await signup("tutor");
    const device = await subscribedDevice(a.client);
    expect((await b.client.put("/api/me/push-subscription", { endpoint: device.endpoint, keys: device.keys })).status).toBe(200);
    expect(await devicesOf(a.user.id)).toEqual([]);
    expect(await devicesOf(b.user.id)).toEqual([device.endpoint]);
    const other = await subscribedDevice(b.client);
    expect((await b.client.request("DELETE", "/api/me/push-subscription", { endpoint: device.endpoint })).status).toBe(204);
    expect(await devicesOf(b.user.id)).toEqual([other.endpoint]);
    expect((await b.client.request("DELETE", "/api/me/push-subscription", {})).status).toBe(204);
    expect(await devicesOf(b.user.id)).toEqual([]);
  });

  it("keeps the ten most recent devices of a user", async () => {
    const student = await signup("student");
    const devices: Device[] = [];
    for (let i = 0; i < 11; i++) devices.push(await subscribedDevice(student.client));
    const kept = await devicesOf(student.user.id);
    expect(kept).toHaveLength(10);
    expect(kept).not.toContain(devices[0]!.endpoint);
  });
});

describe("pushes", () => {
  it("pushes a new message to the recipient's devices, encrypted (aes128gcm) and signed (VAPID)", async () => {
    const { tutor, student, id } = await conversation();
    const device = await subscribedDevice(tutor.client);
    const senders = await subscribedDevice(student.client);
    const sent = await student.client.post(`/api/conversations/${id}/messages`, { text: "Hi! Could we go over chapter 3?" });
    expect(sent.status).toBe(201);
    const [got] = await eventually(() => receivedBy(device), (r) => r.length > 0);
    expect(got!.payload).toEqual({ kind: "messages", title: "Maya Lopez", body: "Hi! Could we go over chapter 3?", link: `/messages/${id}`, tag: `conversation:${id}` });
    expect(got!.headers).toMatchObject({ contentEncoding: "aes128gcm", urgency: "high", ttl: "86400", topic: expect.stringMatching(/^[\w-]{32}$/) });
    expect(got!.vapid).toMatchObject({ aud: env.PUSH_SERVICE_URL, sub: "mailto:push@tutorly.dev" });
    expect(got!.vapid.publicKey).toBe((await tutor.client.get("/api/me/notification-settings")).json.push.publicKey);
    // The sender's own devices stay quiet.
    await conversationOf(env, id).settle();
    expect(await receivedBy(senders)).toEqual([]);
  });

  it("pushes nothing for a message the recipient read before the push went out", async () => {
    const { tutor, student, id } = await conversation();
    const device = await subscribedDevice(tutor.client);
    // The object runs its outbox after answering; reading in between leaves the push with nothing to say.
    await runInDurableObject(conversationOf(env, id), async (instance) => {
      await instance.send({ conversation: { id, studentId: student.user.id, tutorId: tutor.user.id }, senderId: student.user.id, messageId: crypto.randomUUID(), text: "seen already", now: Date.now() });
      await instance.markRead({ conversation: { id, studentId: student.user.id, tutorId: tutor.user.id }, userId: tutor.user.id, now: Date.now() });
    });
    await conversationOf(env, id).settle();
    expect(await receivedBy(device)).toEqual([]);
  });

  it("pushes a tutor's cancellation with its replacement offers to the student as a cancellation (the 'Cancellations and changes' switch)", async () => {
    const subject = `subject-${crypto.randomUUID().slice(0, 8)}`;
    const tutor = await approvedTutor({ subjects: [subject] });
    await approvedTutor({ subjects: [subject] });
    const student = await fundedStudent(60);
    const device = await subscribedDevice(student.client);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject });
    await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, { reason: "ill" });
    await calendarOf(env, tutor.user.id).settle();
    const got = await eventually(() => receivedBy(device), (r) => r.some((p) => p.payload.kind === "cancellations"));
    const offer = got.find((p) => p.payload.kind === "cancellations")!;
    expect(offer.payload).toMatchObject({ title: expect.stringMatching(/cancelled your .* session/), link: "/sessions" });
  });

  it("pushes a session reminder, unless the person switched reminder pushes off", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const studentDevice = await subscribedDevice(student.client);
    const tutorDevice = await subscribedDevice(tutor.client);
    expect((await tutor.client.put("/api/me/notification-settings", { push: { reminders: false } })).json.settings.push.reminders).toBe(false);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    // Move the session to 50 minutes from now (booked long ago), so the 1 h reminder is due.
    const start = Date.now() + 50 * 60_000;
    const stub = calendarOf(env, tutor.user.id);
    await runInDurableObject(stub, async (_, state) => {
      state.storage.sql.exec("UPDATE sessions SET start_ms = ?, end_ms = ?, created_ms = ? WHERE id = ?", start, start + 3_600_000, Date.now() - 30 * 86_400_000, json.booking.id);
    });
    await accountOf(env, student.user.id).move({ reservationId: json.booking.id, start, end: start + 3_600_000 });
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    await stub.settle();
    const got = await eventually(() => receivedBy(studentDevice), (r) => r.some((p) => p.payload.kind === "reminders"));
    expect(got.find((p) => p.payload.kind === "reminders")!.payload.title).toMatch(/^In one hour: Mathematics with Test Tutor/);
    // The tutor got the reminder in the inbox, but not on their device.
    const inbox = (await tutor.client.get("/api/notifications")).json.notifications as { kind: string }[];
    expect(inbox.some((n) => n.kind === "reminder")).toBe(true);
    expect((await receivedBy(tutorDevice)).filter((p) => p.payload.kind === "reminders")).toEqual([]);
  });

  it("pushes the notices of many people with one read of their devices, and records every device reached", async () => {
    const people = await Promise.all([1, 2, 3].map(() => signup("student")));
    const devices = await Promise.all(people.map((p) => subscribedDevice(p.client)));
    let reads = 0;
    // The D1 binding as the notices see it, counting the statements that read push subscriptions.
    const db = new Proxy(env.DB, {
      get(target, key) {
        if (key === "prepare") return (query: string) => ((reads += /^select/i.test(query) && query.includes("push_subscriptions") ? 1 : 0), target.prepare(query));
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const key = crypto.randomUUID();
    const delivered = await notifyAll({ ...env, DB: db }, people.map((p) => ({ userId: p.user.id, kind: "cancelled", title: "Session cancelled", body: "Your tutor cancelled.", dedupeKey: `cancelled:${key}:${p.user.id}` })));
    expect(delivered).toEqual([true, true, true]);
    for (const device of devices) expect((await receivedBy(device)).map((r) => r.payload.title)).toEqual(["Session cancelled"]);
    expect(reads).toBe(1);
    const reached = await env.DB.prepare(`SELECT count(*) AS n FROM push_subscriptions WHERE last_success_at IS NOT NULL AND endpoint IN (?, ?, ?)`).bind(...devices.map((d) => d.endpoint)).first<{ n: number }>();
    expect(reached?.n).toBe(3);
  });

  it("switches message pushes off per person", async () => {
    const { tutor, student, id } = await conversation();
    const device = await subscribedDevice(tutor.client);
    await tutor.client.put("/api/me/notification-settings", { push: { messages: false } });
    await student.client.post(`/api/conversations/${id}/messages`, { text: "quiet please" });
    await conversationOf(env, id).settle();
    expect(await receivedBy(device)).toEqual([]);
  });

  it.each([410, 404])("removes a subscription whose push service answers %i, and keeps one that answers 429", async (status) => {
    const { tutor, student, id } = await conversation();
    const gone = await subscribedDevice(tutor.client);
    const busy = await subscribedDevice(tutor.client);
    const fine = await subscribedDevice(tutor.client);
    await push(`/__answer/${gone.id}/${status}`, { method: "POST" });
    await push(`/__answer/${busy.id}/429`, { method: "POST" });
    await student.client.post(`/api/conversations/${id}/messages`, { text: "anyone there?" });
    await eventually(() => receivedBy(fine), (r) => r.length > 0);
    await conversationOf(env, id).settle();
    const left = await eventually(() => devicesOf(tutor.user.id), (d) => d.length === 2);
    expect(left.sort()).toEqual([busy.endpoint, fine.endpoint].sort());
  });
});

describe("a browser's pushes end with the session it was subscribed under", () => {
  const PASSWORD = "correct horse battery";
  /** A browser the push service knows, not yet told to Tutorly. */
  const newDevice = async () => (await (await push("/__subscribe", { method: "POST" })).json()) as Device;
  /** A subscription saved before subscriptions recorded their session (its session is unknown). */
  async function subscribedBeforeSessions(userId: string): Promise<Device> {
    const device = await newDevice();
    await env.DB.prepare("INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(device.endpoint, userId, device.keys.p256dh, device.keys.auth, new Date().toISOString())
      .run();
    return device;
  }
  /** The tutor writes; once the student's `own` device has the message, the conversation has pushed all it will. */
  async function written(tutor: Client, id: string, text: string, own: Device) {
    expect((await tutor.post(`/api/conversations/${id}/messages`, { text })).status).toBe(201);
    await eventually(() => receivedBy(own), (r) => r.some((p) => p.payload.body === text));
    await conversationOf(env, id).settle();
  }
  const bodies = async (device: Device) => (await receivedBy(device)).map((r) => r.payload.body);

  it("a thief's browser, subscribed with the victim's session, gets nothing once the victim resets the password", async () => {
    const { tutor, student: victim, id } = await conversation();
    const thief = new Client();
    thief.cookie = victim.client.cookie;
    const thiefs = await subscribedDevice(thief);
    const legacy = await subscribedBeforeSessions(victim.user.id);
    const here = await resetPassword(victim.user.email);
    expect(await devicesOf(victim.user.id)).toEqual([]);
    // Inside its credential's 60 s the thief's session is still believed for reads, but subscribes nothing.
    const again = await thief.put("/api/me/push-subscription", { endpoint: thiefs.endpoint, keys: thiefs.keys, expirationTime: null });
    expect(again.status).toBe(401);
    const mine = await subscribedDevice(here);
    await written(tutor.client, id, "Your new door code is 4471", mine);
    expect(await bodies(thiefs)).toEqual([]);
    expect(await bodies(legacy)).toEqual([]);
    expect(await devicesOf(victim.user.id)).toEqual([mine.endpoint]);
  });

  it("a password change keeps this browser's pushes and ends those of the devices it signs out", async () => {
    const { tutor, student, id } = await conversation();
    const phone = new Client();
    expect((await phone.post("/api/auth/login", { email: student.user.email, password: PASSWORD })).status).toBe(200);
    const mine = await subscribedDevice(student.client);
    const phones = await subscribedDevice(phone);
    expect((await student.client.post("/api/me/password", { current: PASSWORD, password: "a new long password" })).status).toBe(200);
    expect(await devicesOf(student.user.id)).toEqual([mine.endpoint]);
    await written(tutor.client, id, "See you at five", mine);
    expect(await bodies(phones)).toEqual([]);
    // This browser's subscription now belongs to its new session: signing it out ends it.
    expect((await student.client.post("/api/auth/logout")).status).toBe(204);
    expect(await devicesOf(student.user.id)).toEqual([]);
  });

  it("signing a device out, from itself or from the list of devices, forgets its pushes; signing out everywhere forgets them all", async () => {
    const { client, user } = await signup("student");
    const [laptop, phone] = [new Client(), new Client()];
    for (const c of [laptop, phone]) expect((await c.post("/api/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
    const mine = await subscribedDevice(client);
    await subscribedDevice(laptop);
    const phones = await subscribedDevice(phone);
    expect((await laptop.post("/api/auth/logout")).status).toBe(204);
    expect((await devicesOf(user.id)).sort()).toEqual([mine.endpoint, phones.endpoint].sort());
    const sessions = (await client.get("/api/me/sessions")).json.sessions as { id: string; current: boolean }[];
    expect(sessions).toHaveLength(2);
    expect((await client.request("DELETE", `/api/me/sessions/${sessions.find((s) => !s.current)!.id}`)).status).toBe(204);
    expect(await devicesOf(user.id)).toEqual([mine.endpoint]);
    // A subscription from before sessions were recorded could be any session's: it goes with all of them.
    await subscribedBeforeSessions(user.id);
    expect((await client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect(await devicesOf(user.id)).toEqual([]);
  });
});

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { calendlySignature } from "../../domain/calendly/signature";
import { calendarOf } from "../../worker/lib/stubs";
import createdExample from "../fixtures/calendly/invitee.created.calendly-openapi-example.json?raw";
import { Client, adminClient, approvedTutor, fundedStudent, signup, slotAhead } from "./helpers";
import { isConflictNotice, listen } from "./liveHelpers";

const KEY = "test-calendly-signing-key";
const HOUR = 3_600_000;
let seq = 0;
const unique = () => `${Date.now().toString(36)}${++seq}`;

/** Posts a delivery as Calendly would: signed over the raw body at `t` (Unix seconds). */
async function deliver(body: unknown, opts: { key?: string; t?: number; header?: string } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const header = opts.header ?? `t=${t},v1=${await calendlySignature(opts.key ?? KEY, t, raw)}`;
  return new Client().request("POST", "/api/webhooks/calendly", raw, { "Calendly-Webhook-Signature": header });
}

/** A current-shape delivery (scheduled_event embedded) for `host`'s event at [start, start + minutes). */
function delivery(kind: "invitee.created" | "invitee.canceled", o: { host: string; invitee: string; start: string; minutes?: number; oldInvitee?: string; newInvitee?: string; name?: string }) {
  return {
    event: kind,
    created_at: new Date().toISOString(),
    created_by: o.host,
    payload: {
      uri: o.invitee,
      status: kind === "invitee.created" ? "active" : "canceled",
      rescheduled: kind === "invitee.canceled" && !!o.newInvitee,
      old_invitee: o.oldInvitee ?? null,
      new_invitee: o.newInvitee ?? null,
      scheduled_event: {
        uri: `${o.invitee.split("/invitees/")[0]}`,
        name: o.name ?? "Intro call",
        start_time: o.start,
        end_time: new Date(Date.parse(o.start) + (o.minutes ?? 60) * 60_000).toISOString(),
        event_memberships: [{ user: o.host }],
      },
    },
  };
}

const inviteeUri = () => {
  const ev = unique().toUpperCase();
  return `https://api.calendly.com/scheduled_events/EV${ev}/invitees/IN${ev}`;
};

/** A tutor linked to a fresh Calendly user. */
async function linkedTutor() {
  const tutor = await approvedTutor();
  const host = `https://api.calendly.com/users/U${unique().toUpperCase()}`;
  const res = await tutor.client.put("/api/tutors/me/calendly", { userUri: host });
  expect(res.status).toBe(200);
  return { ...tutor, host };
}

const freeStarts = async (tutorId: string, from: string, hours = 6) =>
  (await new Client().get(`/api/tutors/${tutorId}/slots?from=${from}&to=${new Date(Date.parse(from) + hours * HOUR).toISOString()}&duration=60`)).json.slots.map((s: { start: string }) => s.start) as string[];

const calendlyBlocks = (tutorId: string) => calendarOf(env, tutorId).blocks("calendly");

afterEach(() => vi.restoreAllMocks());

describe("POST /api/webhooks/calendly: signatures", () => {
  it.each([
    ["signed with another key", { key: "forged-key" }],
    ["older than 3 minutes", { t: Math.floor(Date.now() / 1000) - 181 }],
    ["without a signature", { header: "" }],
    ["with a malformed signature", { header: "v1=abc,t=x" }],
  ])("refuses a delivery %s with 400 invalid_signature and changes nothing", async (_, opts) => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const res = await deliver(delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }), opts);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
    expect(await freeStarts(tutor.user.id, start)).toContain(start);
  });

  it("refuses a body changed after signing", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const raw = JSON.stringify(delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }));
    const t = Math.floor(Date.now() / 1000);
    const header = `t=${t},v1=${await calendlySignature(KEY, t, raw)}`;
    const res = await deliver(raw.replace("Intro call", "Tampered"), { header });
    expect(res.status).toBe(400);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
  });
});

describe("POST /api/webhooks/calendly: bookings", () => {
  it("blocks the tutor's time on invitee.created and frees it on invitee.canceled", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const invitee = inviteeUri();
    const created = await deliver(delivery("invitee.created", { host: tutor.host, invitee, start }));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ received: true, status: "applied", tutors: 1 });
    expect(await calendlyBlocks(tutor.user.id)).toEqual([{ externalId: invitee, start, end: new Date(Date.parse(start) + HOUR).toISOString(), title: "Intro call" }]);
    expect(await freeStarts(tutor.user.id, start)).not.toContain(start);

    expect((await deliver(delivery("invitee.canceled", { host: tutor.host, invitee, start }))).status).toBe(200);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
    expect(await freeStarts(tutor.user.id, start)).toContain(start);
  });

  it("is idempotent by invitee: repeats change nothing, a late created after its cancel stays cancelled", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const invitee = inviteeUri();
    const created = delivery("invitee.created", { host: tutor.host, invitee, start });
    for (let i = 0; i < 3; i++) expect((await deliver(created)).status).toBe(200);
    expect(await calendlyBlocks(tutor.user.id)).toHaveLength(1);
    const canceled = delivery("invitee.canceled", { host: tutor.host, invitee, start });
    expect((await deliver(canceled)).status).toBe(200);
    expect((await deliver(canceled)).status).toBe(200);
    expect((await deliver(created)).status).toBe(200);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);

    // A cancel that overtakes its creation: the creation never blocks anything.
    const other = inviteeUri();
    expect((await deliver(delivery("invitee.canceled", { host: tutor.host, invitee: other, start }))).status).toBe(200);
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee: other, start }))).status).toBe(200);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
  });

  it.each([["canceled first"], ["created first"]])("moves the block on a reschedule delivered %s", async (order) => {
    const tutor = await linkedTutor();
    const oldStart = slotAhead(48 * 60);
    const newStart = slotAhead(52 * 60);
    const oldInvitee = inviteeUri();
    const newInvitee = inviteeUri();
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee: oldInvitee, start: oldStart }))).status).toBe(200);
    const cancel = delivery("invitee.canceled", { host: tutor.host, invitee: oldInvitee, start: oldStart, newInvitee });
    const create = delivery("invitee.created", { host: tutor.host, invitee: newInvitee, start: newStart, oldInvitee });
    for (const d of order === "canceled first" ? [cancel, create] : [create, cancel]) expect((await deliver(d)).status).toBe(200);
    expect((await calendlyBlocks(tutor.user.id)).map((b) => [b.externalId, b.start])).toEqual([[newInvitee, newStart]]);
    const free = await freeStarts(tutor.user.id, oldStart, 8);
    expect(free).toContain(oldStart);
    expect(free).not.toContain(newStart);
  });

  it("answers 200 and changes nothing for a Calendly user no tutor is linked to", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const res = await deliver(delivery("invitee.created", { host: "https://api.calendly.com/users/NOBODYLINKED", invitee: inviteeUri(), start }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, status: "ignored" });
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
  });

  it("keeps each verified delivery and its outcome for the admin console", async () => {
    const tutor = await linkedTutor();
    const invitee = inviteeUri();
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee, start: slotAhead(48 * 60) }))).status).toBe(200);
    const admin = await adminClient();
    const events = (await admin.get("/api/admin/webhooks?provider=calendly")).json.events;
    expect(events.find((e: { detail: string }) => e.detail === "1 tutor(s)")).toMatchObject({ provider: "calendly", type: "invitee.created", status: "processed" });
  });

  it("answers 200 to event kinds it does not handle", async () => {
    const res = await deliver({ event: "routing_form_submission.created", payload: {} });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("ignored");
  });

  it("only touches the tutor whose Calendly user hosts the event", async () => {
    const [a, b] = [await linkedTutor(), await linkedTutor()];
    const start = slotAhead(48 * 60);
    expect((await deliver(delivery("invitee.created", { host: a.host, invitee: inviteeUri(), start }))).status).toBe(200);
    expect(await calendlyBlocks(a.user.id)).toHaveLength(1);
    expect(await calendlyBlocks(b.user.id)).toEqual([]);
  });

  it("never doubles a Tutorly booking silently: the time stays blocked, the tutor is told and sees the conflict", async () => {
    const tutor = await linkedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
    expect(booked.status).toBe(201);
    const live = await listen(tutor.client);
    const invitee = inviteeUri();
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee, start: new Date(Date.parse(start) + 30 * 60_000).toISOString(), name: "Sales demo" }))).status).toBe(200);
    const note = await live.next(isConflictNotice);
    expect(note.title).toMatch(/^Calendar conflict: Mathematics, /);
    expect(note.body).toMatch(/^"Sales demo" from Calendly overlaps your Mathematics session of /);
    expect(note.link).toBe("/calendar-sync");
    const conflicts = await tutor.client.get("/api/tutors/me/calendar-conflicts");
    expect(conflicts.status).toBe(200);
    expect(conflicts.json.conflicts).toEqual([expect.objectContaining({ source: "calendly", title: "Sales demo", sessionId: booked.json.booking.id, sessionStart: start })]);
    // The Tutorly booking is untouched; the Calendly time is blocked too.
    expect((await student.client.get("/api/bookings")).json.bookings[0].status).toBe("confirmed");
    expect(await calendlyBlocks(tutor.user.id)).toHaveLength(1);
    // Resolving it: dismiss, once.
    expect((await tutor.client.post(`/api/tutors/me/calendar-conflicts/${conflicts.json.conflicts[0].id}/dismiss`)).status).toBe(204);
    expect((await tutor.client.post(`/api/tutors/me/calendar-conflicts/${conflicts.json.conflicts[0].id}/dismiss`)).status).toBe(404);
    expect((await tutor.client.get("/api/tutors/me/calendar-conflicts")).json.conflicts).toEqual([]);
    live.close();
  });

  it("looks up the times of an older delivery that only names its event (official example payload)", async () => {
    const tutor = await approvedTutor();
    const example = JSON.parse(createdExample);
    const host = `https://api.calendly.com/users/U${unique().toUpperCase()}`;
    example.created_by = host;
    example.payload.uri = inviteeUri();
    example.payload.event = example.payload.uri.split("/invitees/")[0];
    expect((await tutor.client.put("/api/tutors/me/calendly", { userUri: host })).status).toBe(200);
    const start = slotAhead(48 * 60);
    const calls: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      calls.push(`${url} ${new Headers(init?.headers).get("Authorization")}`);
      return Response.json({
        resource: { uri: example.payload.event, name: "Office hours", start_time: start, end_time: new Date(Date.parse(start) + HOUR).toISOString(), event_memberships: [{ user: host }] },
      });
    });
    const res = await deliver(example);
    expect(res.status).toBe(200);
    expect(calls).toEqual([`${example.payload.event} Bearer test-calendly-api-token`]);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([expect.objectContaining({ externalId: example.payload.uri, start, title: "Office hours" })]);
  });
});

describe("/api/tutors/me/calendly", () => {
  it("links, shows and unlinks a Calendly user; unlinking frees the time Calendly held", async () => {
    const tutor = await linkedTutor();
    expect((await tutor.client.get("/api/tutors/me/calendly")).json.link).toMatchObject({ userUri: tutor.host });
    const start = slotAhead(48 * 60);
    await deliver(delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }));
    expect(await calendlyBlocks(tutor.user.id)).toHaveLength(1);
    expect((await tutor.client.request("DELETE", "/api/tutors/me/calendly")).status).toBe(204);
    expect((await tutor.client.get("/api/tutors/me/calendly")).json.link).toBeNull();
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
  });

  it("refuses a Calendly user linked to another tutor, and anything but a Calendly user URI", async () => {
    const tutor = await linkedTutor();
    const other = await approvedTutor();
    const taken = await other.client.put("/api/tutors/me/calendly", { userUri: tutor.host });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe("calendly_user_taken");
    const bad = await other.client.put("/api/tutors/me/calendly", { userUri: "https://evil.example/users/X" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe("userUri");
  });

  it("is for tutors only", async () => {
    const student = await signup("student");
    expect((await student.client.get("/api/tutors/me/calendly")).status).toBe(403);
    expect((await student.client.put("/api/tutors/me/calendly", { userUri: "https://api.calendly.com/users/X" })).status).toBe(403);
    expect((await student.client.get("/api/tutors/me/calendar-conflicts")).status).toBe(403);
    expect((await new Client().get("/api/tutors/me/calendly")).status).toBe(401);
  });
});

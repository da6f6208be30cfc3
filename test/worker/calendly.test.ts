import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { calendlySignature } from "../../domain/calendly/signature";
import { calendarOf } from "../../worker/lib/stubs";
import createdExample from "../fixtures/calendly/invitee.created.calendly-openapi-example.json?raw";
import canceledExample from "../fixtures/calendly/invitee.canceled.calendly-openapi-example.json?raw";
import { Client, adminClient, approvedTutor, fundedStudent, signup, slotAhead } from "./helpers";
import { calendlyFake, calendlyUser } from "./calendlyHelpers";
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

/** A tutor linked to a fresh Calendly user, proven with that user's token (the wire fake knows it). */
async function linkedTutor() {
  const tutor = await approvedTutor();
  const user = await calendlyUser();
  const res = await tutor.client.put("/api/tutors/me/calendly", { token: user.token });
  expect(res.status).toBe(200);
  return { ...tutor, host: user.uri, token: user.token };
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

  it("gives the console each outcome as a code and its values (said in the admin's language), with the English beside it", async () => {
    const tutor = await linkedTutor();
    const invitee = inviteeUri();
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee, start: slotAhead(48 * 60) }))).status).toBe(200);
    expect((await deliver({ event: "routing_form_submission.created", payload: { marker: invitee } })).status).toBe(200);
    const events: { type: string; detail: string | null; note: unknown }[] = (await (await adminClient()).get("/api/admin/webhooks?provider=calendly")).json.events;
    expect(events.find((e) => e.type === "invitee.created" && e.detail === "1 tutor(s)")?.note).toEqual({ code: "tutors_updated", count: 1 });
    expect(events.find((e) => e.type === "routing_form_submission.created")).toMatchObject({
      detail: "event routing_form_submission.created is not handled",
      note: { code: "calendly_event_unhandled", event: "routing_form_submission.created" },
    });
  });

  it("keeps a verified delivery that names no event as 'unknown', with the time it came", async () => {
    const res = await deliver({ event: 42, created_at: null, payload: {} });
    expect(res.status).toBe(200);
    const events: { type: string; createdAt: string }[] = (await (await adminClient()).get("/api/admin/webhooks?provider=calendly")).json.events;
    expect(events.find((e) => e.type === "unknown")?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
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

  it("looks up the times of an older delivery that only names its event, with the linked tutor's token (official example payload)", async () => {
    const tutor = await linkedTutor();
    const example = JSON.parse(createdExample);
    example.created_by = tutor.host;
    example.payload.uri = inviteeUri();
    example.payload.event = example.payload.uri.split("/invitees/")[0];
    const start = slotAhead(48 * 60);
    const uuid = example.payload.event.split("/").at(-1);
    await calendlyFake("/__events", {
      uuid,
      visibleTo: [tutor.host],
      resource: { uri: example.payload.event, name: "Office hours", start_time: start, end_time: new Date(Date.parse(start) + HOUR).toISOString(), event_memberships: [{ user: tutor.host }] },
    });
    const res = await deliver(example);
    expect(res.status).toBe(200);
    const asked = (await calendlyFake("/__requests")).filter((r: { path: string }) => r.path === `/scheduled_events/${uuid}`);
    expect(asked).toEqual([{ method: "GET", path: `/scheduled_events/${uuid}`, authorization: `Bearer ${tutor.token}` }]);
    expect(await calendlyBlocks(tutor.user.id)).toEqual([expect.objectContaining({ externalId: example.payload.uri, start, title: "Office hours" })]);
  });
});

describe("/api/tutors/me/calendly", () => {
  it("links, shows and unlinks a Calendly user; unlinking frees the time Calendly held", async () => {
    const tutor = await linkedTutor();
    expect((await tutor.client.get("/api/tutors/me/calendly")).json.link).toEqual({ userUri: tutor.host, name: expect.any(String), linkedAt: expect.any(String), verified: true });
    const start = slotAhead(48 * 60);
    await deliver(delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }));
    expect(await calendlyBlocks(tutor.user.id)).toHaveLength(1);
    expect((await tutor.client.request("DELETE", "/api/tutors/me/calendly")).status).toBe(204);
    expect((await tutor.client.get("/api/tutors/me/calendly")).json.link).toBeNull();
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM calendly_links WHERE tutor_id = ?").bind(tutor.user.id).first("n")).toBe(0);
  });

  it("needs proof of ownership: a user URI alone links nothing, and neither does someone else's user", async () => {
    const victim = await calendlyUser();
    const attacker = await approvedTutor();
    // The old way: naming any Calendly user.
    const named = await attacker.client.put("/api/tutors/me/calendly", { userUri: victim.uri });
    expect(named.status).toBe(400);
    expect(named.json.error.issues[0].path).toBe("token");
    // Not a whole token (cut short, or with spaces): refused by its own code, for the page to say in the tutor's language.
    for (const token of ["too-short", "pat_with some spaces_0123456789abcdef"]) {
      const partial = await attacker.client.put("/api/tutors/me/calendly", { token });
      expect(partial.status).toBe(400);
      expect(partial.json.error.code).toBe("calendly_token_malformed");
      expect(partial.json.error.issues[0].path).toBe("token");
    }
    // A token Calendly does not accept.
    const forged = await attacker.client.put("/api/tutors/me/calendly", { token: `forged-${crypto.randomUUID()}` });
    expect(forged.status).toBe(422);
    expect(forged.json.error.code).toBe("calendly_token_invalid");
    // The attacker's own (real) token, claiming the victim's user.
    const own = await calendlyUser();
    const claimed = await attacker.client.put("/api/tutors/me/calendly", { token: own.token, userUri: victim.uri });
    expect(claimed.status).toBe(422);
    expect(claimed.json.error.code).toBe("calendly_user_mismatch");
    expect((await attacker.client.get("/api/tutors/me/calendly")).json.link).toBeNull();
    // The victim's bookings reach nobody.
    const res = await deliver(delivery("invitee.created", { host: victim.uri, invitee: inviteeUri(), start: slotAhead(48 * 60) }));
    expect(res.json.status).toBe("ignored");
    expect(await calendlyBlocks(attacker.user.id)).toEqual([]);
  });

  it("resolves the user from the token and keeps the token sealed, never in the clear", async () => {
    const tutor = await linkedTutor();
    const row = await env.DB.prepare("SELECT user_uri, access_token FROM calendly_links WHERE tutor_id = ?").bind(tutor.user.id).first<{ user_uri: string; access_token: string }>();
    expect(row!.user_uri).toBe(tutor.host);
    expect(row!.access_token).toMatch(/^sealed:v1:[0-9a-f]{8}:/);
    expect(row!.access_token).not.toContain(tutor.token);
    expect(JSON.stringify((await tutor.client.get("/api/tutors/me/calendly")).json)).not.toContain(tutor.token);
  });

  it("refuses a Calendly user another tutor has proven", async () => {
    const tutor = await linkedTutor();
    const other = await approvedTutor();
    const taken = await other.client.put("/api/tutors/me/calendly", { token: tutor.token });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe("calendly_user_taken");
  });

  it("treats a link from before proofs as unverified: it blocks nothing, and the user's owner can take it over", async () => {
    const owner = await calendlyUser();
    const squatter = await approvedTutor();
    await env.DB.prepare("INSERT INTO calendly_links (tutor_id, user_uri, linked_at) VALUES (?, ?, ?)").bind(squatter.user.id, owner.uri, "2026-01-01T00:00:00.000Z").run();
    expect((await squatter.client.get("/api/tutors/me/calendly")).json.link).toMatchObject({ userUri: owner.uri, verified: false });
    const start = slotAhead(48 * 60);
    expect((await deliver(delivery("invitee.created", { host: owner.uri, invitee: inviteeUri(), start }))).json.status).toBe("ignored");
    expect(await calendlyBlocks(squatter.user.id)).toEqual([]);
    const rightful = await approvedTutor();
    expect((await rightful.client.put("/api/tutors/me/calendly", { token: owner.token })).status).toBe(200);
    expect((await squatter.client.get("/api/tutors/me/calendly")).json.link).toBeNull();
    expect((await deliver(delivery("invitee.created", { host: owner.uri, invitee: inviteeUri(), start }))).json).toMatchObject({ status: "applied", tutors: 1 });
    expect(await calendlyBlocks(rightful.user.id)).toHaveLength(1);
  });

  it("answers 502 when Calendly cannot check the token, and links nothing", async () => {
    const tutor = await approvedTutor();
    const user = await calendlyUser();
    await calendlyFake("/__fail-next", { count: 1 });
    const res = await tutor.client.put("/api/tutors/me/calendly", { token: user.token });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("calendly_unreachable");
    expect((await tutor.client.get("/api/tutors/me/calendly")).json.link).toBeNull();
  });

  it("is for tutors only", async () => {
    const student = await signup("student");
    const user = await calendlyUser();
    expect((await student.client.get("/api/tutors/me/calendly")).status).toBe(403);
    expect((await student.client.put("/api/tutors/me/calendly", { token: user.token })).status).toBe(403);
    expect((await student.client.get("/api/tutors/me/calendar-conflicts")).status).toBe(403);
    expect((await new Client().get("/api/tutors/me/calendly")).status).toBe(401);
  });
});

describe("POST /api/webhooks/calendly: deliveries that cannot be applied", () => {
  it.each([
    ["ends before it starts", -60],
    ["ends as it starts", 0],
    ["lasts longer than any block (500 days)", 500 * 24 * 60],
  ])("answers a signed booking whose event %s with 200 ignored and blocks nothing (never a 500 that Calendly retries)", async (_, minutes) => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const res = await deliver(delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start, minutes }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, status: "ignored", note: { code: "no_booking_time" } });
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
    expect(await freeStarts(tutor.user.id, start)).toContain(start);
  });

  it("answers 200 ignored to a signed invitee.created missing its invitee or its times", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const noUri = delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }) as { payload: Record<string, unknown> };
    delete noUri.payload.uri;
    const noTimes = delivery("invitee.created", { host: tutor.host, invitee: inviteeUri(), start }) as { payload: { scheduled_event: Record<string, unknown> } };
    delete noTimes.payload.scheduled_event.start_time;
    for (const d of [noUri, noTimes, { event: "invitee.created" }, { event: "invitee.created", payload: null }]) {
      const res = await deliver(d);
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("ignored");
    }
    expect(await calendlyBlocks(tutor.user.id)).toEqual([]);
  });

  it("answers 200 to the official invitee.canceled example for an event it never saw", async () => {
    const example = JSON.parse(canceledExample);
    example.created_at = new Date().toISOString();
    const res = await deliver(example);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("ignored");
  });

  it("frees nothing else when a linked tutor's Calendly cancels an invitee it never saw", async () => {
    const tutor = await linkedTutor();
    const start = slotAhead(48 * 60);
    const kept = inviteeUri();
    expect((await deliver(delivery("invitee.created", { host: tutor.host, invitee: kept, start }))).status).toBe(200);
    const res = await deliver(delivery("invitee.canceled", { host: tutor.host, invitee: inviteeUri(), start }));
    expect(res.status).toBe(200);
    expect((await calendlyBlocks(tutor.user.id)).map((b) => b.externalId)).toEqual([kept]);
  });
});

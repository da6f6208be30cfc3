import { describe, expect, it } from "vitest";
import { ServerMessageSchema } from "../../domain/protocol";
import { parseServerMessage } from "../../web/src/lib/messages";
import { PushPayloadSchema } from "../../domain/notifications/push";
import { parsePushPayload } from "../../web/src/sw/payload";
import { addDays, dayOf, mondayOf, offsetMs, zonedToUtc } from "../../web/src/lib/time";

// Zone names and durations come straight from domain/ (zod-free modules). The live-message guard is the one
// zod-free twin the SPA keeps for its first-load budget; these pin it to the protocol schema.
describe("the SPA's live-message guard", () => {
  it.each([
    { type: "hello", at: "2027-03-01T09:00:00.000Z" },
    { type: "pong", at: "2027-03-01T09:00:00.000Z" },
    { type: "slots.changed", tutorId: "t1", taken: [{ start: "2027-03-01T09:00:00.000Z", end: "2027-03-01T10:00:00.000Z" }] },
    { type: "slots.changed", tutorId: "t1", taken: [] },
    { type: "credits.changed", balanceMinutes: 180 },
    { type: "notification", id: "n1", title: "Cancelled", body: "Your tutor cancelled.", link: "/sessions" },
    {
      type: "booking.changed",
      change: "booked",
      booking: { id: "b1", tutorId: "t1", start: "2027-03-01T09:00:00.000Z", end: "2027-03-01T10:00:00.000Z", status: "confirmed", subject: "physics", kind: "one_on_one" },
    },
    {
      type: "booking.changed",
      change: "joined",
      booking: { id: "b2", tutorId: "t1", start: "2027-03-01T09:00:00.000Z", end: "2027-03-01T10:00:00.000Z", status: "confirmed", subject: "physics", kind: "group", seats: 6, seatsTaken: 3 },
    },
    {
      type: "message.created",
      conversationId: "c1",
      unread: 2,
      message: { id: "m1", seq: 7, senderId: "u1", text: "See <b>this</b>: https://example.com", createdAt: "2027-03-01T09:00:00.000Z" },
    },
    { type: "conversation.updated", conversationId: "c1", unread: 0, canSend: false, blockedByMe: true },
  ])("accepts what the protocol schema accepts: $type", (message) => {
    expect(ServerMessageSchema.safeParse(message).success).toBe(true);
    expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    "not json",
    JSON.stringify({ type: "nope" }),
    JSON.stringify({ type: "slots.changed", tutorId: "t1" }),
    JSON.stringify({ type: "slots.changed", tutorId: "t1", taken: [{ start: 1 }] }),
    JSON.stringify({ type: "credits.changed", balanceMinutes: 1.5 }),
    JSON.stringify({ type: "booking.changed", change: "exploded", booking: { id: "b1", tutorId: "t1", start: "a", end: "b", status: "confirmed", subject: "x", kind: "group" } }),
    JSON.stringify({ type: "toString" }),
    JSON.stringify({ type: "booking.changed", change: "joined", booking: { id: "b1", tutorId: "t1", start: "a", end: "b", status: "confirmed", subject: "x", kind: "group", seats: "6" } }),
    JSON.stringify({ type: "booking.changed", change: "joined", booking: { id: "b1", tutorId: "t1", start: "a", end: "b", status: "confirmed", subject: "x", kind: "group", seatsTaken: 2.5 } }),
    JSON.stringify({ type: "message.created", conversationId: "c1", unread: -1, message: { id: "m1", seq: 1, senderId: "u1", text: "hi", createdAt: "x" } }),
    JSON.stringify({ type: "message.created", conversationId: "c1", unread: 0, message: { id: "m1", seq: 0, senderId: "u1", text: "hi", createdAt: "x" } }),
    JSON.stringify({ type: "message.created", conversationId: "c1", unread: 0, message: { id: "m1", seq: 1, senderId: "u1", text: 5, createdAt: "x" } }),
    JSON.stringify({ type: "conversation.updated", conversationId: "c1", unread: 0, canSend: "yes", blockedByMe: false }),
  ])("rejects what the protocol schema rejects: %s", (frame) => {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(frame);
    } catch {
      /* not JSON */
    }
    expect(ServerMessageSchema.safeParse(parsed).success).toBe(false);
    expect(parseServerMessage(frame)).toBeNull();
  });
});

// The service worker reads push payloads with a zod-free twin of the schema, to stay small.
describe("the service worker's push payload guard", () => {
  it.each([
    { kind: "messages", title: "Maya Johnson", body: "See you at 5?", link: "/messages/c1", tag: "conversation:c1" },
    { kind: "reminders", title: "In one hour: physics", body: "Join from My sessions." },
    { kind: "offers", title: "x".repeat(120), body: "y".repeat(500), link: "/sessions" },
  ])("accepts what the schema accepts: $kind", (payload) => {
    expect(PushPayloadSchema.safeParse(payload).success).toBe(true);
    expect(parsePushPayload(payload)).toEqual(payload);
  });

  it.each([
    null,
    "text",
    { kind: "marketing", title: "Sale", body: "50% off" },
    { kind: "messages", title: "x".repeat(121), body: "" },
    { kind: "messages", title: "Hi", body: "there", link: "https://evil.example" },
    { kind: "messages", title: "Hi", body: 5 },
    { kind: "messages", title: "Hi", body: "there", tag: 1 },
  ])("refuses what the schema refuses: %j", (payload) => {
    expect(PushPayloadSchema.safeParse(payload).success).toBe(false);
    expect(parsePushPayload(payload)).toBeNull();
  });
});

describe("SPA zone arithmetic (Intl only)", () => {
  it.each([
    // Spring forward in New York: 2027-03-14 02:00 does not exist; midnight and 09:00 do.
    { day: "2027-03-14", hhmm: "00:00", zone: "America/New_York", utc: "2027-03-14T05:00:00.000Z" },
    { day: "2027-03-14", hhmm: "09:00", zone: "America/New_York", utc: "2027-03-14T13:00:00.000Z" },
    { day: "2027-10-31", hhmm: "09:00", zone: "Europe/Berlin", utc: "2027-10-31T08:00:00.000Z" },
    { day: "2027-01-05", hhmm: "06:00", zone: "Asia/Kathmandu", utc: "2027-01-05T00:15:00.000Z" },
  ])("$day $hhmm in $zone is $utc", ({ day, hhmm, zone, utc }) => {
    expect(new Date(zonedToUtc(day, hhmm, zone)).toISOString()).toBe(utc);
    expect(dayOf(utc, zone)).toBe(day);
  });

  it("knows offsets, weeks and day arithmetic", () => {
    expect(offsetMs("2027-01-05T00:00:00Z", "Asia/Kathmandu")).toBe((5 * 60 + 45) * 60_000);
    expect(mondayOf("2027-03-14")).toBe("2027-03-08");
    expect(addDays("2027-12-30", 3)).toBe("2028-01-02");
  });
});

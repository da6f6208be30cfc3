import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WB_LIMITS, type WbItem } from "../../domain/video/whiteboard";
import { approvedTutor, fundedStudent } from "./helpers";
import { type RoomSocket, bookedSession, enter, groupSession, openRoom } from "./videoHelpers";

const stroke = (id: string, page = "page-1"): WbItem => ({ kind: "stroke", id, page, color: "#2563eb", width: 4, points: [10, 10, 50, 60, 90, 20] });

/** Everything `room` was sent before the room answered a ping sent now (the room handles messages in order). */
async function settle(room: RoomSocket) {
  const pongs = room.messages.filter((m) => m.type === "pong").length;
  room.send({ type: "ping" });
  await room.next("pong", () => room.messages.filter((m) => m.type === "pong").length > pongs);
}
const ofType = <T extends RoomSocket["messages"][number]["type"]>(room: RoomSocket, type: T) =>
  room.messages.filter((m): m is Extract<RoomSocket["messages"][number], { type: T }> => m.type === type);

describe("the shared whiteboard", () => {
  it("carries strokes, shapes and text to everyone, and gives a latecomer the whole board", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    expect(await guest.next("wb.state")).toEqual({ type: "wb.state", pages: [{ id: "page-1", title: "Page 1" }], items: [], last: true });

    host.send({ type: "wb.add", item: stroke("s1") });
    expect(await guest.next("wb.added")).toEqual({ type: "wb.added", item: stroke("s1"), by: tutor.user.id });
    const text: WbItem = { kind: "text", id: "t1", page: "page-1", color: "#dc2626", size: 24, x: 100, y: 200, text: "x² = 4" };
    guest.send({ type: "wb.add", item: text });
    await host.next("wb.added", (m) => m.item.id === "t1");
    host.send({ type: "wb.page.add" });
    const pages = await guest.next("wb.pages");
    expect(pages.pages.map((p) => p.title)).toEqual(["Page 1", "Page 2"]);
    host.send({ type: "wb.add", item: { kind: "rect", id: "r1", page: pages.pages[1]!.id, color: "#16a34a", width: 2, x: 5, y: 5, w: 100, h: 50 } });
    await guest.next("wb.added", (m) => m.item.id === "r1");

    // The student leaves and comes back: the board is all there, in the order it was drawn.
    guest.send({ type: "leave" });
    await guest.closed;
    const back = await enter(student.client, bookingId);
    const state = await back.next("wb.state");
    expect(state.last).toBe(true);
    expect(state.pages).toEqual(pages.pages);
    expect(state.items.map((i) => i.id)).toEqual(["s1", "t1", "r1"]);
    host.ws.close();
    back.ws.close();
  });

  it("relays a stroke while it is drawn without keeping the drafts", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const draft = { id: "s9", page: "page-1", color: "#1f2937", width: 4, from: 0, points: [1, 2, 3, 4], done: false } as const;
    host.send({ type: "wb.draft", draft });
    expect(await guest.next("wb.draft")).toEqual({ type: "wb.draft", from: (await host.next("welcome")).self.peerId, draft });
    await settle(host);
    expect(ofType(host, "wb.draft")).toEqual([]);
    guest.ws.close();
    const again = await enter(student.client, bookingId);
    expect((await again.next("wb.state")).items).toEqual([]);
    host.ws.close();
    again.ws.close();
  });

  it("erases anyone's items, and undo takes back only the undoer's own last change", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    host.send({ type: "wb.add", item: stroke("a") });
    guest.send({ type: "wb.add", item: stroke("b") });
    await host.next("wb.added", (m) => m.item.id === "b");
    await guest.next("wb.added", (m) => m.item.id === "a");

    guest.send({ type: "wb.erase", ids: ["a", "missing"] });
    expect(await host.next("wb.removed")).toEqual({ type: "wb.removed", ids: ["a"] });
    // The student's undos take back their erase of "a" (it comes back), then their stroke "b"; the tutor's
    // takes back the tutor's own stroke "a"; the student has nothing left to undo.
    guest.send({ type: "wb.undo" });
    expect(await host.next("wb.restored")).toEqual({ type: "wb.restored", items: [stroke("a")] });
    guest.send({ type: "wb.undo" });
    expect(await host.next("wb.removed", (m) => m.ids[0] === "b")).toEqual({ type: "wb.removed", ids: ["b"] });
    host.send({ type: "wb.undo" });
    expect(await guest.next("wb.removed", (m) => m.ids[0] === "a")).toEqual({ type: "wb.removed", ids: ["a"] });
    guest.send({ type: "wb.undo" });
    await settle(guest);
    expect(ofType(guest, "wb.restored")).toHaveLength(1);

    const again = await enter(student.client, bookingId);
    expect((await again.next("wb.state")).items).toEqual([]);
    host.ws.close();
    again.ws.close();
  });

  it("refuses an item on a page that does not exist, a repeated id, and a malformed item (closing that socket)", async () => {
    const { student, bookingId } = await bookedSession();
    const guest = await enter(student.client, bookingId);
    guest.send({ type: "wb.add", item: stroke("x", "page-nope") });
    expect(await guest.next("error")).toMatchObject({ code: "unknown_page" });
    guest.send({ type: "wb.add", item: stroke("y") });
    await guest.next("wb.added");
    guest.send({ type: "wb.add", item: stroke("y") });
    expect(await guest.next("error", (m) => m.code !== "unknown_page")).toMatchObject({ code: "duplicate_item" });
    guest.send({ type: "wb.add", item: { ...stroke("z"), color: "javascript:alert(1)" } });
    expect((await guest.closed).code).toBe(1003);
  });
});

describe("the whiteboard's total size", () => {
  /** A pen stroke of the most points a stroke may have; ids of one length, so every stroke stores the same bytes. */
  const longStroke = (n: number): WbItem => ({
    kind: "stroke",
    id: `long-${String(n).padStart(4, "0")}`,
    page: "page-1",
    color: "#1f2937",
    width: 4,
    points: Array.from({ length: WB_LIMITS.strokePoints * 2 }, (_, i) => 1000 + (i % 500)),
  });

  it("refuses a stroke that would take the board past its size, and the board stays downloadable", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const guest = await enter(student.client, bookingId);
    const fits = Math.floor(WB_LIMITS.boardBytes / new TextEncoder().encode(JSON.stringify(longStroke(0))).length);
    // In batches (the socket allows 400 messages in 10 s; each batch is confirmed before the next goes).
    for (let from = 0; from < fits; from += 50) {
      const to = Math.min(from + 50, fits);
      for (let n = from; n < to; n++) guest.send({ type: "wb.add", item: longStroke(n) });
      await guest.next("wb.added", (m) => m.item.id === longStroke(to - 1).id);
    }
    guest.send({ type: "wb.add", item: longStroke(fits) });
    await settle(guest);
    expect(ofType(guest, "error").map((m) => m.code)).toEqual(["board_full"]);
    expect(ofType(guest, "wb.added")).toHaveLength(fits);

    const record = await tutor.client.get(`/api/bookings/${bookingId}/record`);
    expect(record.status).toBe(200);
    expect(record.json.record.whiteboard.items).toHaveLength(fits);
    guest.ws.close();
  });

  it("one student cannot leave the tutor and the class unable to draw: a share each, and a removal takes their marks away", async () => {
    const { tutor, students: [a, b], id } = await groupSession({ students: 2, startsInMinutes: -5 });
    const host = await enter(tutor.client, id);
    const other = await enter(b.client, id);
    const jammer = await enter(a.client, id);
    const errors = (room: RoomSocket) => ofType(room, "error").map((m) => m.code);
    const small = (sid: string): WbItem => ({ ...stroke(sid), color: "#1f2937" });
    // The student sends as much as would fill the whole board, then small marks until the room refuses them.
    const fits = Math.ceil(WB_LIMITS.boardBytes / new TextEncoder().encode(JSON.stringify(longStroke(0))).length);
    for (let from = 0; from < fits; from += 50) {
      for (let n = from; n < Math.min(from + 50, fits); n++) jammer.send({ type: "wb.add", item: longStroke(n) });
      await settle(jammer);
    }
    expect(errors(jammer)).toContain("board_share_full");
    for (let k = 0; k < 2000; k += 50) {
      const before = errors(jammer).length;
      for (let n = k; n < k + 50; n++) jammer.send({ type: "wb.add", item: small(`jam-small-${n}`) });
      await settle(jammer);
      if (errors(jammer).length > before) break;
    }
    // Before anyone steps in, the tutor and the other student can still draw.
    host.send({ type: "wb.add", item: stroke("tutor-1") });
    other.send({ type: "wb.add", item: stroke("student-b-1") });
    await settle(host);
    await settle(other);
    expect({ tutor: errors(host), student: errors(other) }).toEqual({ tutor: [], student: [] });

    // The tutor removes the student: their marks leave the board, and everyone still there is told.
    const drawn = ofType(jammer, "wb.added").filter((m) => m.by === a.user.id).map((m) => m.item.id);
    host.send({ type: "moderate", action: "remove", userId: a.user.id });
    await jammer.next("removed");
    const gone = await other.next("wb.removed", (m) => m.ids.includes(drawn[0]!));
    expect(new Set(gone.ids)).toEqual(new Set(drawn));
    host.send({ type: "wb.add", item: stroke("tutor-2") });
    other.send({ type: "wb.add", item: stroke("student-b-2") });
    await settle(host);
    await settle(other);
    expect({ tutor: errors(host), student: errors(other) }).toEqual({ tutor: [], student: [] });
    const latecomer = await enter(tutor.client, id);
    const board = await latecomer.next("wb.state", (m) => m.last);
    expect(board.items.map((i) => i.id)).toEqual(["tutor-1", "student-b-1", "tutor-2", "student-b-2"]);
    latecomer.ws.close();
    other.ws.close();
  });

  it("a full board the tutor erases is free again for everyone", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const fits = Math.floor(WB_LIMITS.boardBytes / new TextEncoder().encode(JSON.stringify(longStroke(0))).length);
    for (let from = 0; from < fits; from += 50) {
      for (let n = from; n < Math.min(from + 50, fits); n++) guest.send({ type: "wb.add", item: longStroke(n) });
      await settle(guest);
    }
    host.send({ type: "wb.add", item: longStroke(fits) });
    await settle(host);
    expect(ofType(host, "error").map((m) => m.code)).toEqual(["board_full"]);
    // The tutor clears the board: what they erased no longer takes room, so both draw again.
    const ids = Array.from({ length: fits }, (_, n) => longStroke(n).id);
    for (let i = 0; i < ids.length; i += 200) host.send({ type: "wb.erase", ids: ids.slice(i, i + 200) });
    host.send({ type: "wb.add", item: longStroke(fits) });
    guest.send({ type: "wb.add", item: stroke("after-clear") });
    await settle(host);
    await settle(guest);
    expect(ofType(host, "error").map((m) => m.code)).toEqual(["board_full"]);
    expect(ofType(guest, "error")).toEqual([]);
    expect(ofType(guest, "wb.added").map((m) => m.item.id)).toContain("after-clear");
    host.ws.close();
    guest.ws.close();
  });

  it("a board stored larger than the room now allows is still downloadable, cut to a bounded size", async () => {
    const { tutor, bookingId } = await bookedSession();
    (await enter(tutor.client, bookingId)).ws.close();
    // A board filled before the size limit existed: written straight into the room's storage.
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    const stored = 900;
    await runInDurableObject(room, (_, state) => {
      for (let n = 0; n < stored; n++) {
        state.storage.sql.exec("INSERT INTO wb_items (id, page, author, seq, body) VALUES (?, 'page-1', ?, ?, ?)", longStroke(n).id, tutor.user.id, n + 1, JSON.stringify(longStroke(n)));
      }
    });
    const record = await tutor.client.get(`/api/bookings/${bookingId}/record`);
    expect(record.status).toBe(200);
    const items: WbItem[] = record.json.record.whiteboard.items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(stored);
    expect(items[0]).toEqual(longStroke(0));
    expect(record.json.record.whiteboard.truncated).toBe(true);
  });
});

describe("the shared notes", () => {
  it("merges two people typing at once, replays the notes to a latecomer and keeps them with the booking", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    expect(await guest.next("notes.state")).toEqual({ type: "notes.state", notes: { rev: 0, text: "", format: "plain", appliedOpIds: [] } });

    host.send({ type: "notes.edit", opId: "h1", rev: 0, op: ["Quadratics"] });
    expect(await host.next("notes.ack")).toEqual({ type: "notes.ack", opId: "h1", rev: 1 });
    // The student typed on revision 0 too, before seeing the tutor's edit: it is rebased, not lost.
    guest.send({ type: "notes.edit", opId: "g1", rev: 0, op: ["Homework: "] });
    expect(await guest.next("notes.ack")).toEqual({ type: "notes.ack", opId: "g1", rev: 2 });
    expect(await guest.next("notes.edit")).toEqual({ type: "notes.edit", rev: 1, op: ["Quadratics"], by: tutor.user.id });
    expect(await host.next("notes.edit")).toEqual({ type: "notes.edit", rev: 2, op: [10, "Homework: "], by: student.user.id });
    host.send({ type: "notes.format", format: "markdown" });
    expect(await guest.next("notes.format")).toEqual({ type: "notes.format", format: "markdown" });

    guest.ws.close();
    const late = await enter(student.client, bookingId);
    expect((await late.next("notes.state")).notes).toEqual({ rev: 2, text: "QuadraticsHomework: ", format: "markdown", appliedOpIds: ["g1"] });

    // Saved with the booking: the room writes them to D1 shortly after the last change.
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    for (let i = 0; i < 20 && !(await recordRow(bookingId)); i++) {
      await new Promise((r) => setTimeout(r, 300));
      await runDurableObjectAlarm(room);
    }
    expect(await recordRow(bookingId)).toMatchObject({ notes: "QuadraticsHomework: ", notes_format: "markdown", tutor_id: tutor.user.id });
    host.ws.close();
    late.ws.close();
  });

  it("answers an edit made on a revision it cannot rebase with the notes as they are", async () => {
    const { student, bookingId } = await bookedSession();
    const guest = await enter(student.client, bookingId);
    guest.send({ type: "notes.edit", opId: "f1", rev: 7, op: ["x"] });
    expect(await guest.next("error")).toMatchObject({ code: "notes_stale" });
    expect((await guest.next("notes.state", (m) => m !== guest.messages.find((x) => x.type === "notes.state"))).notes.rev).toBe(0);
    guest.send({ type: "notes.edit", opId: "f2", rev: 0, op: [3, "x"] });
    expect(await guest.next("error", (m) => m.code !== "notes_stale")).toMatchObject({ code: "notes_conflict" });
    guest.ws.close();
  });
});

const recordRow = (bookingId: string) => env.DB.prepare("SELECT * FROM session_records WHERE booking_id = ?").bind(bookingId).first<Record<string, unknown>>();

describe("the tutor's controls", () => {
  it("the tutor mutes a student, who is told (and can unmute themselves)", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    host.send({ type: "moderate", action: "mute", userId: student.user.id });
    expect(await guest.next("muted")).toEqual({ type: "muted", by: "Test Tutor" });
    guest.send({ type: "media", state: { audio: true, video: true, screen: false } });
    expect(await host.next("peer.media")).toMatchObject({ state: { audio: true } });
    host.ws.close();
    guest.ws.close();
  });

  it("only the tutor can mute or remove", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    guest.send({ type: "moderate", action: "remove", userId: tutor.user.id });
    expect(await guest.next("error")).toMatchObject({ code: "not_host" });
    await settle(host);
    expect(ofType(host, "removed")).toEqual([]);
    host.ws.close();
    guest.ws.close();
  });

  it("a removed student is disconnected and cannot come back into that session", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const spare = await student.client.post(`/api/bookings/${bookingId}/join`);
    host.send({ type: "moderate", action: "remove", userId: student.user.id });
    expect(await guest.next("removed")).toEqual({ type: "removed", reason: "removed_by_tutor" });
    expect((await guest.closed).code).toBe(4003);
    expect(await host.next("peer.left")).toMatchObject({ reason: "left" });

    const rejoin = await student.client.post(`/api/bookings/${bookingId}/join`);
    expect(rejoin.status).toBe(403);
    expect(rejoin.json.error).toMatchObject({ code: "removed_from_session", message: "Your tutor removed you from this session." });
    // A ticket issued before the removal no longer opens the room either.
    expect((await openRoom(student.client, bookingId, spare.json.room.ticket)).status).toBe(403);
    // The tutor is still in, and the attendance keeps the student's visit.
    expect((await tutor.client.get(`/api/bookings/${bookingId}/attendance`)).json.attendance.attendees.map((a: { status: string }) => a.status)).toEqual(["attended", "attended"]);
    host.ws.close();
  });

  it("a tutor cannot remove a student who has not entered the room: the student can still join", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -5 });
    const host = await enter(tutor.client, bookingId);
    host.send({ type: "moderate", action: "remove", userId: student.user.id });
    await settle(host);
    const join = await student.client.post(`/api/bookings/${bookingId}/join`);
    expect(join.status).toBe(200);
    expect(ofType(host, "error")).toEqual([{ type: "error", code: "not_in_room", message: "That participant is not in the room." }]);
    // Once they are in, the tutor can remove them.
    const guest = await enter(student.client, bookingId);
    host.send({ type: "moderate", action: "remove", userId: student.user.id });
    expect(await guest.next("removed")).toEqual({ type: "removed", reason: "removed_by_tutor" });
    host.ws.close();
  });
});

describe("reconnecting", () => {
  it("a tab that comes back asks for its peer id back; the others see it return without a leave", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const peerId = (await guest.next("welcome")).self.peerId;
    // The network drops without a goodbye: the others hear the peer dropped (it may come back).
    guest.ws.close(4999, "network lost");
    expect(await host.next("peer.left")).toEqual({ type: "peer.left", peerId, reason: "dropped" });
    const back = await enter(student.client, bookingId, { peer: peerId });
    expect((await back.next("welcome")).self.peerId).toBe(peerId);
    expect(await host.next("peer.joined", (m) => m.peer.peerId === peerId)).toBeTruthy();
    // Nobody else can take that id.
    const tutorTab = await enter(tutor.client, bookingId, { peer: peerId });
    expect((await tutorTab.next("welcome")).self.peerId).not.toBe(peerId);
    tutorTab.ws.close();
    back.ws.close();
  });
});

describe("a seat cancelled while the room is open", () => {
  it("takes the student out of the room", async () => {
    // The room is open (five minutes before the start), and students may still cancel until the start.
    const { tutor, students: [, b], id } = await groupSession({ students: 2, startsInMinutes: 5 });
    const host = await enter(tutor.client, id);
    const leaving = await enter(b.client, id);
    expect((await b.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    expect(await leaving.next("removed")).toEqual({ type: "removed", reason: "seat_cancelled" });
    expect((await leaving.closed).code).toBe(4003);
    await host.next("peer.left");
    expect((await b.client.post(`/api/bookings/${id}/join`)).json.error.code).toBe("not_a_participant");
    host.ws.close();
  });
});

describe("the session summary", () => {
  it("the tutor writes it once the session has started; each student gets it in the inbox and by email, once", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -50 });
    const host = await enter(tutor.client, bookingId);
    host.send({ type: "wb.add", item: stroke("s1") });
    host.send({ type: "notes.edit", opId: "n1", rev: 0, op: ["# Factoring"] });
    await host.next("notes.ack");

    const put = (body: unknown, who = tutor.client) => who.request("PUT", `/api/bookings/${bookingId}/summary`, body as Record<string, unknown>);
    expect((await put({ summary: "We factored trinomials.", homework: "Exercises 4–9" }, student.client)).status).toBe(403);
    const other = await approvedTutor();
    expect((await put({ summary: "x" }, other.client)).status).toBe(404);
    expect((await put({ summary: "  " })).json.error.code).toBe("invalid_request");

    const saved = await put({ summary: "We factored trinomials.", homework: "Exercises 4–9" });
    expect(saved.status).toBe(200);
    expect(saved.json.summary).toMatchObject({ summary: "We factored trinomials.", homework: "Exercises 4–9" });
    const notices = () => env.DB.prepare("SELECT title, body FROM notifications WHERE user_id = ? AND kind = 'session_summary'").bind(student.user.id).all<{ title: string; body: string }>();
    const mails = () => env.DB.prepare("SELECT subject, text FROM email_outbox WHERE user_id = ? AND subject LIKE 'Summary%'").bind(student.user.id).all<{ subject: string; text: string }>();
    expect((await notices()).results).toEqual([
      { title: "Summary of your mathematics session with Test Tutor", body: expect.stringContaining("We factored trinomials.\n\nHomework:\nExercises 4–9") },
    ]);
    expect((await mails()).results).toHaveLength(1);
    expect((await mails()).results[0]!.text).toContain("Exercises 4–9");

    // An edit updates what the student sees without telling them again.
    expect((await put({ summary: "We factored trinomials and checked by expanding.", homework: "Exercises 4–9" })).status).toBe(200);
    expect((await notices()).results).toHaveLength(1);

    const record = await student.client.get(`/api/bookings/${bookingId}/record`);
    expect(record.status).toBe(200);
    expect(record.json.record).toMatchObject({
      bookingId,
      summary: { summary: "We factored trinomials and checked by expanding.", homework: "Exercises 4–9" },
      notes: { text: "# Factoring", format: "plain" },
      whiteboard: { pages: [{ id: "page-1", title: "Page 1" }], items: [stroke("s1")] },
    });
    const mine = await student.client.get("/api/session-records");
    expect(mine.json.records.find((r: { bookingId: string }) => r.bookingId === bookingId)).toMatchObject({
      summary: { summary: "We factored trinomials and checked by expanding.", homework: "Exercises 4–9" },
      hasNotes: true,
      boardPages: 1,
      boardItems: 1,
    });
    expect((await tutor.client.get("/api/session-records")).json.records.map((r: { bookingId: string }) => r.bookingId)).toContain(bookingId);
    const outsider = await fundedStudent(0);
    expect((await outsider.client.get("/api/session-records")).json.records).toEqual([]);
    expect((await outsider.client.get(`/api/bookings/${bookingId}/record`)).status).toBe(403);
    host.ws.close();
  });

  it("is refused before the session starts", async () => {
    const { tutor, bookingId } = await bookedSession({ startsInMinutes: 30 });
    const res = await tutor.client.request("PUT", `/api/bookings/${bookingId}/summary`, { summary: "Too early" });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("session_not_started");
  });
});

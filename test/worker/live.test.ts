import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ServerMessageSchema, type ServerMessage } from "../../domain/protocol";
import { Client, ORIGIN, approvedTutor, fundedStudent, signup, slotAhead } from "./helpers";

/** Opens a live socket as `client` and collects validated server messages. */
async function connect(path: string, client?: Client, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(ORIGIN + path, { headers: { Upgrade: "websocket", ...(client?.cookie ? { Cookie: client.cookie } : {}), ...headers } }),
  );
  const ws = res.webSocket;
  if (!ws) return { status: res.status, body: await res.text() };
  ws.accept();
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(ServerMessageSchema.parse(JSON.parse(e.data as string)));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (pred: (m: ServerMessage) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const found = messages.find(pred);
      if (found) return found;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    throw new Error(`no matching message in ${JSON.stringify(messages)}`);
  };
  return { status: res.status, ws, messages, next };
}

describe("live updates", () => {
  it("tells viewers of a tutor's page the moment a slot is taken", async () => {
    const tutor = await approvedTutor();
    const viewer = await connect(`/api/tutors/${tutor.user.id}/live`);
    expect(viewer.status).toBe(101);
    await viewer.next!((m) => m.type === "hello");
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
    const msg = await viewer.next!((m) => m.type === "slots.changed" && m.taken.length > 0);
    expect(msg).toEqual({ type: "slots.changed", tutorId: tutor.user.id, taken: [{ start, end: new Date(Date.parse(start) + 3_600_000).toISOString() }] });
    viewer.ws!.close();
  });

  it("pushes a student's booking and credit changes to their own socket only", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const bystander = await fundedStudent(60);
    const mine = await connect("/api/live", student.client);
    const theirs = await connect("/api/live", bystander.client);
    expect(mine.status).toBe(101);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    const booked = await mine.next!((m) => m.type === "booking.changed");
    expect(booked).toMatchObject({ type: "booking.changed", change: "booked", booking: { id: json.booking.id, status: "confirmed" } });
    expect(await mine.next!((m) => m.type === "credits.changed")).toEqual({ type: "credits.changed", balanceMinutes: 0 });
    await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, {});
    expect(await mine.next!((m) => m.type === "booking.changed" && m.change === "cancelled")).toBeTruthy();
    expect(await mine.next!((m) => m.type === "credits.changed" && m.balanceMinutes === 60)).toBeTruthy();
    expect(theirs.messages!.filter((m) => m.type !== "hello")).toEqual([]);
    mine.ws!.close();
    theirs.ws!.close();
  });

  it("answers pings and closes on messages it does not understand", async () => {
    const { client } = await signup("student");
    const live = await connect("/api/live", client);
    live.ws!.send(JSON.stringify({ type: "ping" }));
    expect(await live.next!((m) => m.type === "pong")).toBeTruthy();
    const closed = new Promise<number>((r) => live.ws!.addEventListener("close", (e) => r(e.code)));
    live.ws!.send(JSON.stringify({ type: "subscribe", to: "everything" }));
    expect(await closed).toBe(1003);
  });

  it("refuses signed-out users (401) and other sites (403)", async () => {
    expect((await connect("/api/live")).status).toBe(401);
    const { client } = await signup("student");
    expect((await connect("/api/live", client, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await client.get("/api/live")).status).toBe(426);
  });
});

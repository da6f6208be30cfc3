import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIVE_CLOSE } from "../../domain/protocol";
import { SOCKET_CAPS } from "../../durable-objects/lib/socketLimits";
import { ORIGIN, approvedTutor, signup } from "./helpers";
import { bookedSession, enter } from "./videoHelpers";

type Opened = { status: number; ws?: WebSocket; closed?: Promise<number>; messages: string[]; body?: any };

/** Opens a live socket at `path` (as `cookie`, from `ip`); a refused upgrade comes back as status and body. */
async function open(path: string, opts: { cookie?: string; ip?: string } = {}): Promise<Opened> {
  const res = await exports.default.fetch(
    new Request(ORIGIN + path, {
      headers: { Upgrade: "websocket", Origin: ORIGIN, ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...(opts.ip ? { "CF-Connecting-IP": opts.ip } : {}) },
    }),
  );
  const ws = res.webSocket;
  if (!ws) return { status: res.status, body: await res.json().catch(() => undefined), messages: [] };
  ws.accept();
  const messages: string[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(String(e.data));
  });
  const closed = new Promise<number>((r) => ws.addEventListener("close", (e) => r(e.code)));
  return { status: res.status, ws, closed, messages };
}

/** Whether a socket is still open: it answers a ping. */
async function answers(s: Opened): Promise<boolean> {
  const before = s.messages.filter((m) => m.includes('"pong"')).length;
  try {
    s.ws!.send(JSON.stringify({ type: "ping" }));
  } catch {
    return false;
  }
  for (let i = 0; i < 100; i++) {
    if (s.messages.filter((m) => m.includes('"pong"')).length > before) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const settled = <T>(p: Promise<T>) => Promise.race([p, new Promise<"open">((r) => setTimeout(() => r("open"), 300))]);

describe("the video room's message rate limit", () => {
  // Every `media` message re-saves the socket's attachment; the counter must survive that.
  it("closes a socket that floods the room with media messages (1008)", async () => {
    const { student, bookingId } = await bookedSession();
    const room = await enter(student.client, bookingId);
    for (let i = 0; i < 450; i++) room.send({ type: "media", state: { audio: i % 2 === 0, video: false, screen: false } });
    expect((await room.closed).code).toBe(1008);
  });

  it("lets a socket that stays under the limit keep going", async () => {
    const { student, bookingId } = await bookedSession();
    const room = await enter(student.client, bookingId);
    for (let i = 0; i < 50; i++) room.send({ type: "media", state: { audio: i % 2 === 0, video: false, screen: false } });
    room.send({ type: "ping" });
    expect(await room.next("pong")).toBeTruthy();
    room.ws.close();
  });
});

describe("a user's live sockets (/api/live)", () => {
  it(`keeps at most ${SOCKET_CAPS.livePerUser} per user: the next one closes the oldest, the others stay open`, async () => {
    const { client } = await signup("student");
    const sockets: Opened[] = [];
    for (let i = 0; i < SOCKET_CAPS.livePerUser; i++) {
      const s = await open("/api/live", { cookie: client.cookie, ip: "198.51.100.7" });
      expect(s.status).toBe(101);
      sockets.push(s);
    }
    expect(await settled(sockets[0]!.closed!)).toBe("open");
    const newest = await open("/api/live", { cookie: client.cookie, ip: "198.51.100.7" });
    expect(newest.status).toBe(101);
    expect(await sockets[0]!.closed).toBe(LIVE_CLOSE.superseded);
    for (const s of [...sockets.slice(1), newest]) expect(await answers(s)).toBe(true);
    // Another user's sockets are counted apart.
    const other = await signup("student");
    const theirs = await open("/api/live", { cookie: other.client.cookie });
    expect(await answers(theirs)).toBe(true);
    for (const s of [...sockets.slice(1), newest, theirs]) s.ws!.close();
  });
});

describe("viewers of a tutor's page (/api/tutors/:id/live)", () => {
  it(`keeps at most ${SOCKET_CAPS.viewersPerAddress} per client address: the next one from there closes that address's oldest`, async () => {
    const tutor = await approvedTutor();
    const path = `/api/tutors/${tutor.user.id}/live`;
    const crowd: Opened[] = [];
    for (let i = 0; i < SOCKET_CAPS.viewersPerAddress; i++) crowd.push(await open(path, { ip: "198.51.100.20" }));
    const elsewhere = await open(path, { ip: "198.51.100.21" });
    const next = await open(path, { ip: "198.51.100.20" });
    expect(next.status).toBe(101);
    expect(await crowd[0]!.closed).toBe(LIVE_CLOSE.superseded);
    expect(await answers(crowd[1]!)).toBe(true);
    expect(await answers(next)).toBe(true);
    expect(await answers(elsewhere)).toBe(true);
    for (const s of [...crowd.slice(1), next, elsewhere]) s.ws!.close();
  });

  it(`refuses a viewer beyond ${SOCKET_CAPS.viewersPerTutor} per tutor with 503 and keeps the ones already watching`, async () => {
    const tutor = await approvedTutor();
    const path = `/api/tutors/${tutor.user.id}/live`;
    const watching: Opened[] = [];
    for (let i = 0; i < SOCKET_CAPS.viewersPerTutor; i++) {
      const s = await open(path, { ip: `10.${i >> 8}.${i & 255}.1` });
      expect(s.status).toBe(101);
      watching.push(s);
    }
    const late = await open(path, { ip: "198.51.100.99" });
    expect(late.status).toBe(503);
    expect(late.body.error.code).toBe("too_many_viewers");
    expect(await answers(watching[0]!)).toBe(true);
    expect(await answers(watching.at(-1)!)).toBe(true);
    // A viewer leaving makes room for the next.
    watching.pop()!.ws!.close();
    let again: Opened | undefined;
    for (let i = 0; i < 50 && again?.status !== 101; i++) {
      again = await open(path, { ip: "198.51.100.99" });
      if (again.status !== 101) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again!.status).toBe(101);
    for (const s of [...watching, again!]) s.ws!.close();
  });
});

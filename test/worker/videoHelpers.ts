import { type RoomServerMessage, RoomServerMessageSchema } from "../../domain/video/protocol";
import { type Client, ORIGIN, approvedTutor, fundedStudent, slotAhead } from "./helpers";

const MINUTE = 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Moves a booking to other times through the development-only route (the calendar skips every rule). */
export async function moveBooking(client: Client, bookingId: string, start: number, end: number) {
  const res = await client.post(`/api/dev/bookings/${bookingId}/move`, { start: iso(start), end: iso(end) });
  if (res.status !== 200) throw new Error(`move failed: ${res.status} ${res.text}`);
  return res.json.booking;
}

/**
 * A tutor, a student and their 1:1 booking, moved so that it starts `startsInMinutes` from now (negative: it
 * started that long ago) and lasts `minutes`.
 */
export async function bookedSession(opts: { startsInMinutes?: number; minutes?: number } = {}) {
  const tutor = await approvedTutor();
  const student = await fundedStudent(120);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${res.text}`);
  const bookingId: string = res.json.booking.id;
  const start = Date.now() + (opts.startsInMinutes ?? -5) * MINUTE;
  await moveBooking(student.client, bookingId, start, start + (opts.minutes ?? 60) * MINUTE);
  return { tutor, student, bookingId, start, end: start + (opts.minutes ?? 60) * MINUTE };
}

/**
 * A tutor's group session with `students` funded students in it, moved so that it starts `startsInMinutes` from
 * now and lasts an hour.
 */
export async function groupSession<N extends 1 | 2 | 3 | 4>(opts: { students: N; startsInMinutes: number }) {
  const tutor = await approvedTutor();
  const start = slotAhead(48 * 60);
  const group = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 4 });
  if (group.status !== 201) throw new Error(`group failed: ${group.status} ${group.text}`);
  const students: Student[] = [];
  for (let i = 0; i < opts.students; i++) {
    const s = await fundedStudent(120);
    const seat = await s.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics", group: true });
    if (seat.status !== 201) throw new Error(`seat failed: ${seat.status} ${seat.text}`);
    students.push(s);
  }
  const id: string = group.json.booking.id;
  const begins = Date.now() + opts.startsInMinutes * MINUTE;
  await moveBooking(tutor.client, id, begins, begins + 60 * MINUTE);
  return { tutor, students: students as Tuple<Student, N>, id };
}
type Student = Awaited<ReturnType<typeof fundedStudent>>;
type Tuple<T, N extends number, R extends T[] = []> = R["length"] extends N ? R : Tuple<T, N, [...R, T]>;

export type RoomSocket = {
  ws: WebSocket;
  messages: RoomServerMessage[];
  next<T extends RoomServerMessage["type"]>(type: T, pred?: (m: Extract<RoomServerMessage, { type: T }>) => boolean): Promise<Extract<RoomServerMessage, { type: T }>>;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
};

/** Opens a booking's room socket as `client` with `ticket`; a refused upgrade comes back as status and body. */
export async function openRoom(
  client: Client,
  bookingId: string,
  ticket: string,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): Promise<{ status: number; body?: any; room?: RoomSocket }> {
  const params = new URLSearchParams({ ticket, ...query });
  const res = await client.handler(
    new Request(`${ORIGIN}/api/bookings/${bookingId}/room?${params}`, {
      headers: { Upgrade: "websocket", ...(client.cookie ? { Cookie: client.cookie } : {}), ...headers },
    }),
  );
  const ws = res.webSocket;
  if (!ws) return { status: res.status, body: await res.json().catch(() => undefined) };
  ws.accept();
  const messages: RoomServerMessage[] = [];
  let wake: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(RoomServerMessageSchema.parse(JSON.parse(e.data as string)));
    wake.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  const room: RoomSocket = {
    ws,
    messages,
    closed,
    send: (m) => ws.send(JSON.stringify(m)),
    async next(type, pred = () => true) {
      // Waits for the message to arrive (each wake-up is a message or a short poll), never for a fixed time.
      for (let i = 0; i < 200; i++) {
        const found = messages.find((m) => m.type === type && pred(m as never));
        if (found) return found as never;
        await new Promise<void>((r) => {
          wake.push(r);
          setTimeout(r, 50);
        });
      }
      throw new Error(`no ${type} message in ${JSON.stringify(messages)}`);
    },
  };
  return { status: res.status, room };
}

/** Joins (POST /join) and opens the room socket with the ticket it returned (asking for `peer` back, if given). */
export async function enter(client: Client, bookingId: string, opts: { peer?: string } = {}) {
  const join = await client.post(`/api/bookings/${bookingId}/join`);
  if (join.status !== 200) throw new Error(`join failed: ${join.status} ${join.text}`);
  const opened = await openRoom(client, bookingId, join.json.room.ticket, {}, opts.peer ? { peer: opts.peer } : {});
  if (!opened.room) throw new Error(`room refused: ${opened.status} ${JSON.stringify(opened.body)}`);
  await opened.room.next("welcome");
  return opened.room;
}

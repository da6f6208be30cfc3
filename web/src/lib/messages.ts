import type { ServerMessage } from "../../../domain/protocol";

/**
 * Checks a live message against the shapes of `ServerMessage` (domain/protocol.ts) without zod, which must stay
 * out of the first-load routes; every socket of the SPA reads its frames with this (test/e2e/spa-mirrors pins it
 * to the schema). The record below is keyed by every
 * message type, so a new variant in the protocol fails the type check here until it is handled.
 */
type Guard = (m: Record<string, unknown>) => boolean;

const str = (v: unknown): v is string => typeof v === "string";
const int = (v: unknown): v is number => Number.isInteger(v);
const optionalInt = (v: unknown) => v === undefined || int(v);
const count = (v: unknown) => int(v) && v >= 0;
const interval = (v: unknown) => !!v && typeof v === "object" && str((v as any).start) && str((v as any).end);
const BOOKING_STATUS = ["confirmed", "cancelled", "completed"];
const BOOKING_KIND = ["one_on_one", "group"];
const CHANGES = ["booked", "cancelled", "rescheduled", "joined", "left", "completed"];

const GUARDS: { [K in ServerMessage["type"]]: Guard } = {
  hello: (m) => str(m.at),
  pong: (m) => str(m.at),
  "booking.changed": (m) => {
    const b = m.booking as Record<string, unknown> | null;
    return (
      !!b &&
      typeof b === "object" &&
      [b.id, b.tutorId, b.start, b.end, b.subject].every(str) &&
      BOOKING_STATUS.includes(b.status as string) &&
      BOOKING_KIND.includes(b.kind as string) &&
      optionalInt(b.seats) &&
      optionalInt(b.seatsTaken) &&
      CHANGES.includes(m.change as string)
    );
  },
  "credits.changed": (m) => int(m.balanceMinutes),
  notification: (m) => str(m.id) && str(m.title) && str(m.body) && (m.link === undefined || str(m.link)),
  "slots.changed": (m) => str(m.tutorId) && Array.isArray(m.taken) && m.taken.every(interval),
  "message.created": (m) => {
    const msg = m.message as Record<string, unknown> | null;
    return str(m.conversationId) && count(m.unread) && !!msg && typeof msg === "object" && [msg.id, msg.senderId, msg.text, msg.createdAt].every(str) && int(msg.seq) && (msg.seq as number) > 0;
  },
  "conversation.updated": (m) => str(m.conversationId) && count(m.unread) && typeof m.canSend === "boolean" && typeof m.blockedByMe === "boolean",
};

/** The message in a socket frame, or null when it is not one we know. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    return null;
  }
  if (!m || typeof m !== "object") return null;
  const type = (m as { type?: unknown }).type;
  if (!str(type) || !Object.hasOwn(GUARDS, type)) return null;
  return GUARDS[type as ServerMessage["type"]](m as Record<string, unknown>) ? (m as ServerMessage) : null;
}


import { DateTime } from "luxon";
import type { ServerMessage } from "../../domain/protocol";
import type { Conflict } from "./blocks";

const SOURCES: Record<string, string> = { calendly: "Calendly" };

/** The live notification a tutor gets when outside busy time lands on one of their sessions. */
export function conflictNotice(c: Conflict, zone: string): Extract<ServerMessage, { type: "notification" }> {
  const when = DateTime.fromISO(c.sessionStart, { zone }).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
  const from = SOURCES[c.source] ?? "your outside calendar";
  return {
    type: "notification",
    id: `conflict-${c.id}`,
    title: "Calendar conflict",
    body: `"${c.title}" from ${from} overlaps your ${c.subject} session on ${when}. Move or cancel one of them.`,
    link: "/calendar-sync",
  };
}

import type { Row } from "../surface";
import { accountRows } from "./account";
import { adminRows } from "./admin";
import { bookingRows, videoRows } from "./bookings";
import { calendarSyncRows } from "./calendarSync";
import { conversationRows } from "./conversations";
import { inboxRows } from "./inbox";
import { moneyRows } from "./money";
import { tutorRows } from "./tutors";

/** Each feature's rows of the authorization matrix; a route in two of them is a mistake. */
const PARTS: Record<string, Record<string, Row>> = { accountRows, tutorRows, bookingRows, videoRows, moneyRows, inboxRows, adminRows, calendarSyncRows, conversationRows };

export const MATRIX: Record<string, Row> = {};
for (const [part, rows] of Object.entries(PARTS)) {
  for (const [route, row] of Object.entries(rows)) {
    if (route in MATRIX) throw new Error(`${route} is in two parts of the matrix (${part})`);
    MATRIX[route] = row;
  }
}

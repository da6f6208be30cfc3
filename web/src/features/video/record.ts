import type { SessionRecord, SessionRecordBrief, SessionSummary, SessionSummaryInput } from "../../../../domain/schemas/video";
import { api, call } from "../../lib/api";

/** Everything a session left behind: summary, notes and whiteboard pages (its tutor, students and admins). */
export const fetchRecord = async (id: string): Promise<SessionRecord> => (await call(api.bookings[":id"].record.$get({ param: { id } }))).record;

/** What the caller's sessions left behind, by booking id (for My sessions). */
export async function fetchRecords(): Promise<Map<string, SessionRecordBrief>> {
  const { records } = await call(api["session-records"].$get());
  return new Map(records.map((r) => [r.bookingId, r]));
}

/** The tutor writes or edits the session's summary and homework (students are told the first time). */
export const saveSummary = async (id: string, input: SessionSummaryInput): Promise<SessionSummary> =>
  (await call(api.bookings[":id"].summary.$put({ param: { id }, json: input }))).summary;

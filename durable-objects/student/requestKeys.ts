import { RETENTION_DAYS } from "../../domain/retention";

/** A key is remembered as long as the Worker's own keys are (a retry comes within minutes, never days). */
const KEEP_MS = RETENTION_DAYS.idempotencyKeys * 86_400_000;

/**
 * The Idempotency-Keys of the student's booking requests across every tutor. Each tutor's calendar answers a retry
 * of its own bookings; only the student's object sees a key sent again to another tutor, or for another kind of
 * booking, and refuses it (API.md: a key reused with a different request is a 422), before anything is spent.
 */
export class RequestKeys {
  constructor(private readonly sql: SqlStorage) {}

  /** Whether the request may go on: its key is new (kept from now on) or was first used for this same request. */
  admit(request: { key: string; hash: string }, now: number): boolean {
    const row = this.sql.exec("SELECT hash FROM request_keys WHERE key = ? AND at_ms >= ?", request.key, now - KEEP_MS).toArray()[0];
    if (row) return row.hash === request.hash;
    this.sql.exec("DELETE FROM request_keys WHERE at_ms < ?", now - KEEP_MS);
    this.sql.exec("INSERT INTO request_keys (key, hash, at_ms) VALUES (?, ?, ?)", request.key, request.hash, now);
    return true;
  }
}

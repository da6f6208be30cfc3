import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TutorCalendar } from "../../durable-objects/TutorCalendar";
import { upsertBlock } from "../../durable-objects/calendar/blocks";
import { CalendarStore } from "../../durable-objects/calendar/store";
import { calendarOf } from "../../worker/lib/stubs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2027, 0, 4, 12);

/** A calendar's store over its own SQLite, counting the rows its queries read. */
function countingStore(state: DurableObjectState) {
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  const sql = state.storage.sql;
  const counting = Object.assign(Object.create(sql) as SqlStorage, {
    exec: (query: string, ...binds: SqlStorageValue[]) => {
      const cursor = sql.exec(query, ...binds);
      cursors.push(cursor);
      return cursor;
    },
  });
  return { store: new CalendarStore(counting), rowsRead: () => cursors.reduce((sum, c) => sum + c.rowsRead, 0), reset: () => (cursors.length = 0) };
}

function session(store: CalendarStore, id: string, start: number, minutes: number, status: "held" | "confirmed" = "confirmed") {
  store.insertSession({ id, kind: "one_on_one", status, subject: "mathematics", start, end: start + minutes * 60_000, seats: 1, credits: minutes, holdUntil: null, now: T0, requestHash: null });
}

describe("a calendar's busy time", () => {
  it("is found through indexes: a lookup reads the sessions and blocks near its window, not the tutor's whole history", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), (_: TutorCalendar, state) => {
      const { store, rowsRead, reset } = countingStore(state);
      // Two years of a busy tutor: three lessons a day before the window, and a Calendly booking each day.
      for (let d = 1; d <= 730; d++) {
        for (const h of [9, 13, 17]) session(store, `past-${d}-${h}`, T0 - d * DAY + (h - 12) * HOUR, 60);
        upsertBlock(state.storage.sql, "calendly", { externalId: `invitee-${d}`, start: T0 - d * DAY - 4 * HOUR, end: T0 - d * DAY - 3 * HOUR, title: "Busy" }, T0);
      }
      session(store, "in-window", T0 + 2 * HOUR, 60);
      // A fortnight away that began a week ago.
      upsertBlock(state.storage.sql, "calendly", { externalId: "holiday", start: T0 - 7 * DAY, end: T0 + 7 * DAY, title: "Holiday" }, T0);
      reset();
      const busy = store.busy(T0, T0 + 4 * HOUR);
      expect(busy).toContainEqual({ start: T0 + 2 * HOUR, end: T0 + 3 * HOUR });
      expect(busy).toContainEqual({ start: T0 - 7 * DAY, end: T0 + 7 * DAY });
      // The window with its day of margin either side, not 2,190 past sessions and 730 past blocks.
      expect(rowsRead()).toBeLessThan(40);
    });
  });

  it("holds every live session and pending move that reaches into the window, the longest ones included", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), (_: TutorCalendar, state) => {
      const { store } = countingStore(state);
      session(store, "short", T0 + HOUR, 30);
      session(store, "held", T0 + 3 * HOUR, 45, "held");
      session(store, "cancelled", T0 + 5 * HOUR, 60);
      store.cancelSession("cancelled", "tutor", null, T0);
      session(store, "moving", T0 + 10 * DAY, 60);
      store.holdMove("moving", T0 + 6 * HOUR, T0 + 7 * HOUR, T0 + HOUR);
      session(store, "moved-away", T0 + 8 * HOUR, 60);
      store.holdMove("moved-away", T0 + 20 * DAY, T0 + 20 * DAY + HOUR, T0 + HOUR);
      // A two-hour session that starts well before the margin and runs into it, written after the store was read.
      store.busy(T0, T0 + DAY);
      session(store, "long-before", T0 - DAY - 90 * 60_000, 120);

      const busy = store.busy(T0, T0 + DAY);
      expect(busy).toEqual(
        expect.arrayContaining([
          { start: T0 + HOUR, end: T0 + HOUR + 30 * 60_000 },
          { start: T0 + 3 * HOUR, end: T0 + 3 * HOUR + 45 * 60_000 },
          { start: T0 + 6 * HOUR, end: T0 + 7 * HOUR },
          { start: T0 + 8 * HOUR, end: T0 + 9 * HOUR },
          { start: T0 - DAY - 90 * 60_000, end: T0 - DAY + 30 * 60_000 },
        ]),
      );
      // A cancelled session frees its time.
      expect(busy).not.toContainEqual({ start: T0 + 5 * HOUR, end: T0 + 6 * HOUR });
      // A session being rescheduled does not stand in its own way.
      expect(store.busy(T0, T0 + DAY, "moving")).not.toContainEqual({ start: T0 + 6 * HOUR, end: T0 + 7 * HOUR });
      // A fresh store (the object woke again) finds the long session from what it kept.
      expect(new CalendarStore(state.storage.sql).busy(T0, T0 + DAY)).toEqual(expect.arrayContaining([{ start: T0 - DAY - 90 * 60_000, end: T0 - DAY + 30 * 60_000 }]));
    });
  });
});

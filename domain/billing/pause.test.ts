import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { PAUSE_POLICY, WEEK_MS, expiryAffected, pauseWindow, resumeShift, shiftIso } from "./pause";

describe("pause arithmetic", () => {
  it("a pause of N weeks is exactly N × 168 hours, whatever clock change falls inside it", () => {
    // 2026-10-20 09:00 in Berlin; the clocks go back on 25 October, inside the pause.
    const from = DateTime.fromISO("2026-10-20T09:00", { zone: "Europe/Berlin" }).toMillis();
    const w = pauseWindow(from, 2);
    expect(w.until - w.from).toBe(2 * 7 * 24 * 3_600_000);
    expect(w.shiftMs).toBe(w.until - w.from);
    // The instant is exact: in Berlin's wall clock the end reads an hour earlier (08:00), which is what "exact" means.
    expect(DateTime.fromMillis(w.until, { zone: "Europe/Berlin" }).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-11-03 08:00");
    expect(shiftIso("2026-11-01T10:00:00.000Z", w.shiftMs)).toBe("2026-11-15T10:00:00.000Z");
  });

  it("allows 1 to 4 whole weeks only", () => {
    expect(() => pauseWindow(0, 0)).toThrow(RangeError);
    expect(() => pauseWindow(0, PAUSE_POLICY.maxWeeks + 1)).toThrow(RangeError);
    expect(() => pauseWindow(0, 1.5)).toThrow(RangeError);
    expect(pauseWindow(0, 4).shiftMs).toBe(4 * WEEK_MS);
  });

  it("resuming early moves dates only by the time actually paused", () => {
    const w = pauseWindow(1_000_000, 3);
    const at = w.from + 9 * 24 * 3_600_000 + 123;
    expect(resumeShift(w, at)).toEqual({ shiftMs: 9 * 24 * 3_600_000 + 123, correctionMs: 9 * 24 * 3_600_000 + 123 - 3 * WEEK_MS });
    expect(resumeShift(w, w.until + 5)).toEqual({ shiftMs: w.shiftMs, correctionMs: 0 });
    expect(resumeShift(w, w.from)).toEqual({ shiftMs: 0, correctionMs: -w.shiftMs });
  });

  it("moves the lots still usable when the pause starts, not those already lapsed", () => {
    expect(expiryAffected("2026-12-01T00:00:00.001Z", Date.parse("2026-12-01T00:00:00.000Z"))).toBe(true);
    expect(expiryAffected("2026-12-01T00:00:00.000Z", Date.parse("2026-12-01T00:00:00.000Z"))).toBe(false);
  });
});

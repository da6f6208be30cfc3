import { describe, expect, it } from "vitest";
import { nextOccurrences } from "./search";

// Minutes from Monday 00:00 UTC: Monday 12:15–16:00.
const MONDAY_AFTERNOON = [{ start: 12 * 60 + 15, end: 16 * 60 }];

describe("nextOccurrences", () => {
  it("shows a window under way from the next whole minute, never at the second it was asked", () => {
    const now = Date.parse("2026-11-30T12:58:28.724Z"); // a Monday, inside the window
    expect(nextOccurrences(MONDAY_AFTERNOON, now)).toEqual([{ start: "2026-11-30T12:59:00.000Z", end: "2026-11-30T16:00:00.000Z" }]);
  });

  it("shows a window that has not begun from its start, and one that is over in the coming week", () => {
    expect(nextOccurrences(MONDAY_AFTERNOON, Date.parse("2026-11-30T09:00:00Z"))[0]!.start).toBe("2026-11-30T12:15:00.000Z");
    expect(nextOccurrences(MONDAY_AFTERNOON, Date.parse("2026-11-30T15:59:30Z"))[0]!.start).toBe("2026-12-07T12:15:00.000Z");
  });
});

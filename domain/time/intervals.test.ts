import { describe, expect, it } from "vitest";
import { expand, intersect, merge, overlapsAny, subtract, type Interval } from "./intervals";

const iv = (start: number, end: number): Interval => ({ start, end });

describe("merge", () => {
  it.each<[string, Interval[], Interval[]]>([
    ["returns nothing for nothing", [], []],
    ["drops empty and inverted intervals", [iv(5, 5), iv(7, 3)], []],
    ["sorts unsorted input", [iv(20, 30), iv(0, 10)], [iv(0, 10), iv(20, 30)]],
    ["coalesces overlapping intervals", [iv(0, 10), iv(5, 15)], [iv(0, 15)]],
    ["coalesces touching intervals", [iv(10, 20), iv(0, 10)], [iv(0, 20)]],
    ["swallows nested intervals", [iv(0, 100), iv(10, 20), iv(30, 40)], [iv(0, 100)]],
    ["keeps a gap of one unit", [iv(0, 10), iv(11, 20)], [iv(0, 10), iv(11, 20)]],
    ["chains several overlaps", [iv(8, 12), iv(0, 3), iv(2, 6), iv(6, 8), iv(20, 21)], [iv(0, 12), iv(20, 21)]],
  ])("%s", (_name, input, expected) => {
    expect(merge(input)).toEqual(expected);
  });

  it("does not mutate its input", () => {
    const input = [iv(5, 15), iv(0, 10)];
    merge(input);
    expect(input).toEqual([iv(5, 15), iv(0, 10)]);
  });
});

describe("intersect", () => {
  it.each<[string, Interval[], Interval[], Interval[]]>([
    ["is empty when either side is empty", [iv(0, 10)], [], []],
    ["is empty for intervals that only touch", [iv(0, 10)], [iv(10, 20)], []],
    ["keeps the shared part of overlapping intervals", [iv(0, 10)], [iv(5, 15)], [iv(5, 10)]],
    ["keeps a nested interval", [iv(0, 100)], [iv(10, 20)], [iv(10, 20)]],
    ["cuts one long interval by many", [iv(0, 100)], [iv(90, 110), iv(-5, 5), iv(40, 50)], [iv(0, 5), iv(40, 50), iv(90, 100)]],
    ["merges each side first", [iv(0, 6), iv(4, 10)], [iv(2, 3), iv(3, 8)], [iv(2, 8)]],
  ])("%s", (_name, a, b, expected) => {
    expect(intersect(a, b)).toEqual(expected);
    expect(intersect(b, a)).toEqual(expected);
  });
});

describe("subtract", () => {
  it.each<[string, Interval[], Interval[], Interval[]]>([
    ["keeps everything when nothing is removed", [iv(10, 0), iv(0, 10)], [], [iv(0, 10)]],
    ["removes nothing from nothing", [], [iv(0, 10)], []],
    ["keeps an interval that only touches the cut", [iv(0, 10)], [iv(10, 20), iv(-10, 0)], [iv(0, 10)]],
    ["punches a hole", [iv(0, 100)], [iv(40, 60)], [iv(0, 40), iv(60, 100)]],
    ["trims both ends", [iv(0, 100)], [iv(-10, 10), iv(90, 110)], [iv(10, 90)]],
    ["removes an interval covered entirely", [iv(10, 20)], [iv(0, 30)], []],
    ["lets one cut span several intervals", [iv(0, 10), iv(20, 30), iv(40, 50)], [iv(5, 45)], [iv(0, 5), iv(45, 50)]],
    ["applies several cuts to one interval, unsorted", [iv(0, 100)], [iv(70, 80), iv(10, 20), iv(15, 30)], [iv(0, 10), iv(30, 70), iv(80, 100)]],
  ])("%s", (_name, a, b, expected) => {
    expect(subtract(a, b)).toEqual(expected);
  });
});

describe("overlapsAny", () => {
  const list = [iv(0, 10), iv(20, 30), iv(40, 50)];
  it.each<[string, Interval, boolean]>([
    ["sees an overlap at the start of an interval", iv(-5, 1), true],
    ["sees an interval nested in a gap as free", iv(12, 18), false],
    ["treats touching on the left as free", iv(10, 20), false],
    ["treats touching on the right as free", iv(30, 40), false],
    ["sees an interval covering a whole list entry", iv(15, 35), true],
    ["sees the last entry", iv(49, 60), true],
    ["sees past the end as free", iv(50, 60), false],
    ["never sees an empty interval as overlapping", iv(25, 25), false],
  ])("%s", (_name, probe, expected) => {
    expect(overlapsAny(probe, list)).toBe(expected);
  });

  it("is false against an empty list", () => {
    expect(overlapsAny(iv(0, 10), [])).toBe(false);
  });
});

describe("expand", () => {
  it("widens an interval by its buffers", () => {
    expect(expand(iv(100, 200), 15, 30)).toEqual(iv(85, 230));
  });
});

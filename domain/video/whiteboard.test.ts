import { describe, expect, it } from "vitest";
import { WB_LIMITS, type WbItem, WbItemSchema, boardShare, pageSvg, touches } from "./whiteboard";

const stroke: WbItem = { kind: "stroke", id: "s1", page: "p1", color: "#1f2937", width: 4, points: [100, 100, 200, 100, 200, 200] };

describe("WbItemSchema", () => {
  it.each([
    ["a pen stroke", stroke],
    ["an arrow", { kind: "line", id: "l1", page: "p1", color: "#dc2626", width: 8, x1: 0, y1: 0, x2: 300, y2: 40, arrow: true }],
    ["a rectangle drawn up and left", { kind: "rect", id: "r1", page: "p1", color: "#2563eb", width: 2, x: 500, y: 500, w: -120, h: -80 }],
    ["text", { kind: "text", id: "t1", page: "p1", color: "#16a34a", size: 24, x: 40, y: 60, text: "x² + 2x + 1" }],
  ])("accepts %s", (_, item) => {
    expect(WbItemSchema.parse(item)).toEqual(item);
  });

  it.each([
    ["a stroke with an odd number of coordinates", { ...stroke, points: [1, 2, 3] }],
    ["a stroke of more than 1000 points", { ...stroke, points: Array.from({ length: 2002 }, () => 5) }],
    ["a colour outside the palette", { ...stroke, color: "url(javascript:alert(1))" }],
    ["a pen width outside the choices", { ...stroke, width: 3 }],
    ["coordinates far off the board", { ...stroke, points: [0, 0, 99999, 5] }],
    ["fractional coordinates", { ...stroke, points: [0.5, 0, 1, 1] }],
    ["an id with markup", { ...stroke, id: "<img>" }],
    ["empty text", { kind: "text", id: "t1", page: "p1", color: "#16a34a", size: 24, x: 40, y: 60, text: "   " }],
    ["an unknown kind", { ...stroke, kind: "image" }],
  ])("refuses %s", (_, item) => {
    expect(WbItemSchema.safeParse(item).success).toBe(false);
  });
});

describe("touches (the eraser)", () => {
  it.each([
    ["on a stroke's segment", stroke, 150, 102, true],
    ["beside a stroke", stroke, 150, 130, false],
    ["on a rectangle's edge", { kind: "rect", id: "r", page: "p", color: "#1f2937", width: 2, x: 0, y: 0, w: 100, h: 100 } as WbItem, 100, 50, true],
    ["inside a rectangle, away from its edges", { kind: "rect", id: "r", page: "p", color: "#1f2937", width: 2, x: 0, y: 0, w: 100, h: 100 } as WbItem, 50, 50, false],
    ["on an ellipse's outline", { kind: "ellipse", id: "e", page: "p", color: "#1f2937", width: 2, x: 0, y: 0, w: 200, h: 100 } as WbItem, 200, 50, true],
    ["at an ellipse's centre", { kind: "ellipse", id: "e", page: "p", color: "#1f2937", width: 2, x: 0, y: 0, w: 200, h: 100 } as WbItem, 100, 50, false],
    ["on a word", { kind: "text", id: "t", page: "p", color: "#1f2937", size: 24, x: 10, y: 40, text: "hello" } as WbItem, 30, 30, true],
  ])("%s", (_, item, x, y, expected) => {
    expect(touches(item, x, y, 6)).toBe(expected);
  });
});

describe("pageSvg", () => {
  it("renders a page on white, with text escaped", () => {
    const svg = pageSvg([stroke, { kind: "text", id: "t", page: "p1", color: "#dc2626", size: 16, x: 1, y: 2, text: "<b>a & b</b>" }]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1600" height="1000"/);
    expect(svg).toContain('<path d="M100 100 L200 100 L200 200" stroke="#1f2937"');
    expect(svg).toContain(">&lt;b&gt;a &amp; b&lt;/b&gt;</text>");
    expect(svg).not.toContain("<b>");
  });
});

describe("boardShare", () => {
  it("gives the tutor and the student of a 1:1 the whole board, and each student of a group a share that leaves the tutor theirs", () => {
    const whole = { bytes: WB_LIMITS.boardBytes, items: WB_LIMITS.items };
    expect(boardShare("tutor", 4)).toEqual(whole);
    expect(boardShare("student", 1)).toEqual(whole);
    expect(boardShare("student", 4)).toEqual({ bytes: 400_000, items: 1_000 });
    expect(4 * boardShare("student", 4).bytes).toBeLessThan(WB_LIMITS.boardBytes);
  });
});

import { z } from "zod";

/**
 * The shared whiteboard: pages of items (pen strokes, lines, arrows, rectangles, ellipses, text) on a fixed
 * 1600 × 1000 board that every screen scales to fit, so a mark lands at the same place for everyone. Items are
 * whole: a stroke is sent when the pen lifts (its points stream as drafts while it is drawn), the eraser
 * removes items, and undo takes back the undoer's own last add or erase. Pure: schemas, limits, hit testing and
 * an SVG rendering (the PNG export draws it).
 */
export const BOARD = { width: 1600, height: 1000 } as const;
/**
 * `boardBytes` caps everything a session's board stores (erased items too, while undo can bring them back: an add
 * that needs their room takes it, oldest first), so the board a latecomer downloads and the record of the session
 * stay a few megabytes; the item and stroke caps alone allow some 60 MB.
 */
export const WB_LIMITS = { pages: 20, items: 5_000, strokePoints: 1_000, textChars: 500, boardBytes: 2_000_000 } as const;

/** How much of a board one author may fill (what they drew, erased marks undo can bring back included). */
export type WbShare = { bytes: number; items: number };

/**
 * One author's share of a session's board. The tutor may fill all of it (within the board's total). In a group each
 * student gets `1 / (seats + 1)`: every seat and the tutor keep room to draw whatever one student does, a share of a
 * 4-seat class still holds some 400 KB (hundreds of strokes). The student of a 1:1 may fill the whole board, as
 * before: the only other person is the tutor, whose erasing makes room again.
 */
export function boardShare(author: "tutor" | "student", seats: number): WbShare {
  const whole = { bytes: WB_LIMITS.boardBytes, items: WB_LIMITS.items };
  if (author === "tutor" || seats <= 1) return whole;
  return { bytes: Math.floor(whole.bytes / (seats + 1)), items: Math.floor(whole.items / (seats + 1)) };
}

export const WB_COLORS = ["#1f2937", "#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#ffffff"] as const;
export const WB_WIDTHS = [2, 4, 8, 16, 32] as const;
export const WB_TEXT_SIZES = [16, 24, 36, 56] as const;

const Coord = z.number().int().min(-200).max(BOARD.width + 200);
export const WbIdSchema = z.string().regex(/^[\w-]{1,48}$/);
const Color = z.enum(WB_COLORS);
const Width = z.union([z.literal(2), z.literal(4), z.literal(8), z.literal(16), z.literal(32)]);
const Common = { id: WbIdSchema, page: WbIdSchema, color: Color };

/** Flat `[x0, y0, x1, y1, …]` board coordinates. */
const Points = z
  .array(Coord)
  .min(2)
  .max(WB_LIMITS.strokePoints * 2)
  .refine((p) => p.length % 2 === 0, "points come in x, y pairs");

export const WbItemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stroke"), ...Common, width: Width, points: Points }),
  z.object({ kind: z.literal("line"), ...Common, width: Width, x1: Coord, y1: Coord, x2: Coord, y2: Coord, arrow: z.boolean() }),
  z.object({ kind: z.literal("rect"), ...Common, width: Width, x: Coord, y: Coord, w: Coord, h: Coord }),
  z.object({ kind: z.literal("ellipse"), ...Common, width: Width, x: Coord, y: Coord, w: Coord, h: Coord }),
  z.object({ kind: z.literal("text"), ...Common, size: z.union([z.literal(16), z.literal(24), z.literal(36), z.literal(56)]), x: Coord, y: Coord, text: z.string().trim().min(1).max(WB_LIMITS.textChars) }),
]);
export type WbItem = z.infer<typeof WbItemSchema>;
export type WbTool = WbItem["kind"] | "arrow" | "eraser";

export const WbPageSchema = z.object({ id: WbIdSchema, title: z.string().max(60) });
export type WbPage = z.infer<typeof WbPageSchema>;

/** A stroke being drawn, streamed so others see it grow: points from index `from` (in pairs) onwards. */
export const WbDraftSchema = z.object({
  id: WbIdSchema,
  page: WbIdSchema,
  color: Color,
  width: Width,
  from: z.number().int().min(0).max(WB_LIMITS.strokePoints),
  points: z.array(Coord).max(400),
  done: z.boolean(),
});
export type WbDraft = z.infer<typeof WbDraftSchema>;

/**
 * The board as everyone sees it: its pages in order and the items on them (oldest first). `truncated`: only the
 * oldest items were read, the board being larger than a reader takes (only a board stored before `boardBytes`
 * existed can be).
 */
export type WbState = { pages: WbPage[]; items: WbItem[]; truncated?: true };

/** Distance from point p to the segment a–b. */
function toSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether an eraser of `radius` at (x, y) touches the item (its drawn outline, or a text's box). */
export function touches(item: WbItem, x: number, y: number, radius: number): boolean {
  const reach = radius + ("width" in item ? item.width / 2 : 0);
  switch (item.kind) {
    case "stroke": {
      const p = item.points;
      if (p.length === 2) return Math.hypot(x - p[0]!, y - p[1]!) <= reach;
      for (let i = 0; i + 3 < p.length; i += 2) if (toSegment(x, y, p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!) <= reach) return true;
      return false;
    }
    case "line":
      return toSegment(x, y, item.x1, item.y1, item.x2, item.y2) <= reach;
    case "rect": {
      const [x1, y1, x2, y2] = [item.x, item.y, item.x + item.w, item.y + item.h];
      return [
        [x1, y1, x2, y1],
        [x2, y1, x2, y2],
        [x2, y2, x1, y2],
        [x1, y2, x1, y1],
      ].some(([ax, ay, bx, by]) => toSegment(x, y, ax!, ay!, bx!, by!) <= reach);
    }
    case "ellipse": {
      const rx = Math.abs(item.w) / 2;
      const ry = Math.abs(item.h) / 2;
      const cx = item.x + item.w / 2;
      const cy = item.y + item.h / 2;
      if (!rx || !ry) return Math.hypot(x - cx, y - cy) <= reach;
      // Near the outline: the normalised radius is close to 1 (scaled back to board units by the smaller radius).
      const r = Math.hypot((x - cx) / rx, (y - cy) / ry);
      return Math.abs(r - 1) * Math.min(rx, ry) <= reach;
    }
    case "text": {
      const w = item.text.length * item.size * 0.6;
      return x >= item.x - radius && x <= item.x + w + radius && y >= item.y - item.size - radius && y <= item.y + item.size * 0.3 + radius;
    }
  }
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The SVG `d` of a stroke's points (a polyline with round joins). */
export function strokePath(points: readonly number[]): string {
  if (points.length < 2) return "";
  let d = `M${points[0]} ${points[1]}`;
  if (points.length === 2) return `${d} l0.01 0`;
  for (let i = 2; i + 1 < points.length; i += 2) d += ` L${points[i]} ${points[i + 1]}`;
  return d;
}

/** The two short strokes of an arrow head at the end of a line. */
export function arrowHead(item: { x1: number; y1: number; x2: number; y2: number; width: number }): string {
  const angle = Math.atan2(item.y2 - item.y1, item.x2 - item.x1);
  const size = 12 + item.width * 2;
  const at = (a: number) => `${Math.round(item.x2 - size * Math.cos(a))} ${Math.round(item.y2 - size * Math.sin(a))}`;
  return `M${at(angle - Math.PI / 7)} L${item.x2} ${item.y2} L${at(angle + Math.PI / 7)}`;
}

/** One item as SVG markup (user text escaped). */
export function itemSvg(item: WbItem): string {
  const stroke = `stroke="${item.color}" fill="none" stroke-linecap="round" stroke-linejoin="round"`;
  switch (item.kind) {
    case "stroke":
      return `<path d="${strokePath(item.points)}" ${stroke} stroke-width="${item.width}"/>`;
    case "line":
      return `<path d="M${item.x1} ${item.y1} L${item.x2} ${item.y2}${item.arrow ? ` ${arrowHead(item)}` : ""}" ${stroke} stroke-width="${item.width}"/>`;
    case "rect":
      return `<rect x="${Math.min(item.x, item.x + item.w)}" y="${Math.min(item.y, item.y + item.h)}" width="${Math.abs(item.w)}" height="${Math.abs(item.h)}" ${stroke} stroke-width="${item.width}"/>`;
    case "ellipse":
      return `<ellipse cx="${item.x + item.w / 2}" cy="${item.y + item.h / 2}" rx="${Math.abs(item.w) / 2}" ry="${Math.abs(item.h) / 2}" ${stroke} stroke-width="${item.width}"/>`;
    case "text":
      return `<text x="${item.x}" y="${item.y}" fill="${item.color}" font-size="${item.size}" font-family="system-ui, sans-serif">${esc(item.text)}</text>`;
  }
}

/** A whole page as a standalone SVG document on a white background (the source of the PNG export). */
export function pageSvg(items: readonly WbItem[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${BOARD.width}" height="${BOARD.height}" viewBox="0 0 ${BOARD.width} ${BOARD.height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${items.map(itemSvg).join("")}</svg>`
  );
}

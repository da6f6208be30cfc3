import { For, Match, Show, Switch, createMemo, createSignal, onCleanup } from "solid-js";
import {
  BOARD,
  WB_COLORS,
  WB_LIMITS,
  WB_TEXT_SIZES,
  WB_WIDTHS,
  type WbItem,
  type WbPage,
  arrowHead,
  strokePath,
  touches,
} from "../../../../domain/video/whiteboard";
import type { Board } from "../../features/video/board";
import { downloadPagePng } from "../../features/video/exports";
import { type PlainKey, t } from "../../i18n";

type Tool = "pen" | "line" | "arrow" | "rect" | "ellipse" | "text" | "eraser";
const TOOLS: { id: Tool; label: PlainKey; icon: string }[] = [
  { id: "pen", label: "room.board.tools.pen", icon: "✎" },
  { id: "line", label: "room.board.tools.line", icon: "╱" },
  { id: "arrow", label: "room.board.tools.arrow", icon: "→" },
  { id: "rect", label: "room.board.tools.rect", icon: "▭" },
  { id: "ellipse", label: "room.board.tools.ellipse", icon: "◯" },
  { id: "text", label: "room.board.tools.text", icon: "T" },
  { id: "eraser", label: "room.board.tools.eraser", icon: "⌫" },
];
const COLOR_NAMES: Record<(typeof WB_COLORS)[number], PlainKey> = {
  "#1f2937": "room.board.colors.black",
  "#dc2626": "room.board.colors.red",
  "#2563eb": "room.board.colors.blue",
  "#16a34a": "room.board.colors.green",
  "#d97706": "room.board.colors.orange",
  "#7c3aed": "room.board.colors.purple",
  "#ffffff": "room.board.colors.white",
};
/** Drafts of a stroke being drawn go out at most this often. */
const DRAFT_MS = 80;
const ERASER_RADIUS = 14;

const newId = () => crypto.randomUUID().replace(/-/g, "").slice(0, 20);

/** One item as SVG elements (the same shapes as the PNG export, domain/video/whiteboard.ts). */
export function BoardItem(props: { item: WbItem }) {
  return (
    <g data-item={props.item.id}>
      <Switch>
        <Match when={props.item.kind === "stroke" && props.item}>
          {(i) => <path d={strokePath(i().points)} stroke={i().color} stroke-width={i().width} fill="none" stroke-linecap="round" stroke-linejoin="round" />}
        </Match>
        <Match when={props.item.kind === "line" && props.item}>
          {(i) => (
            <path
              d={`M${i().x1} ${i().y1} L${i().x2} ${i().y2}${i().arrow ? ` ${arrowHead(i())}` : ""}`}
              stroke={i().color}
              stroke-width={i().width}
              fill="none"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          )}
        </Match>
        <Match when={props.item.kind === "rect" && props.item}>
          {(i) => <rect x={Math.min(i().x, i().x + i().w)} y={Math.min(i().y, i().y + i().h)} width={Math.abs(i().w)} height={Math.abs(i().h)} stroke={i().color} stroke-width={i().width} fill="none" />}
        </Match>
        <Match when={props.item.kind === "ellipse" && props.item}>
          {(i) => <ellipse cx={i().x + i().w / 2} cy={i().y + i().h / 2} rx={Math.abs(i().w) / 2} ry={Math.abs(i().h) / 2} stroke={i().color} stroke-width={i().width} fill="none" />}
        </Match>
        <Match when={props.item.kind === "text" && props.item}>
          {(i) => (
            <text x={i().x} y={i().y} fill={i().color} font-size={String(i().size)} font-family="system-ui, sans-serif">
              {i().text}
            </text>
          )}
        </Match>
      </Switch>
    </g>
  );
}

/**
 * The shared whiteboard: pen, lines and arrows, rectangles, ellipses, text and an eraser, in a few colours and
 * widths, on pages everyone can add; undo takes back your own last change; each page downloads as a PNG. Your
 * strokes stream to the others while you draw.
 */
export function Whiteboard(props: { board: Board; disabled?: boolean }) {
  const b = props.board;
  const [tool, setTool] = createSignal<Tool>("pen");
  const [color, setColor] = createSignal<(typeof WB_COLORS)[number]>("#1f2937");
  const [width, setWidth] = createSignal<(typeof WB_WIDTHS)[number]>(4);
  const [textSize, setTextSize] = createSignal<(typeof WB_TEXT_SIZES)[number]>(36);
  const [preview, setPreview] = createSignal<WbItem | null>(null);
  const [typing, setTyping] = createSignal<{ x: number; y: number } | null>(null);
  const [exporting, setExporting] = createSignal(false);
  const [exportError, setExportError] = createSignal<string>();
  let svg!: SVGSVGElement;
  let textInput: HTMLInputElement | undefined;

  const pageIndex = () => Math.max(0, b.state.pages.findIndex((p) => p.id === b.state.page));
  const page = (): WbPage => b.state.pages[pageIndex()] ?? b.state.pages[0]!;
  const items = createMemo(() => b.state.items.filter((i) => i.page === page().id));
  const live = () => Object.values(b.state.live).filter((l) => l.page === page().id);

  /** Board coordinates of a pointer event (the board keeps its 16:10 shape, so one scale fits both axes). */
  const at = (e: PointerEvent) => {
    const r = svg.getBoundingClientRect();
    const x = Math.round(((e.clientX - r.left) / r.width) * BOARD.width);
    const y = Math.round(((e.clientY - r.top) / r.height) * BOARD.height);
    return { x: Math.max(-200, Math.min(BOARD.width + 200, x)), y: Math.max(-200, Math.min(BOARD.height + 200, y)) };
  };

  // The stroke being drawn here: its points, and how many of them the others have already been sent.
  let stroke: { id: string; points: number[]; sent: number; sentAt: number; timer?: ReturnType<typeof setTimeout> } | null = null;
  let origin: { x: number; y: number } | null = null;
  let erased = new Set<string>();

  const flushDraft = (done: boolean) => {
    if (!stroke) return;
    clearTimeout(stroke.timer);
    stroke.timer = undefined;
    const from = stroke.sent;
    const points = stroke.points.slice(from * 2);
    if (!points.length && !done) return;
    stroke.sent = stroke.points.length / 2;
    stroke.sentAt = performance.now();
    b.draft({ id: stroke.id, page: page().id, color: color(), width: width(), from, points: points.slice(0, 400), done });
  };
  const commitStroke = () => {
    if (!stroke) return;
    flushDraft(true);
    const points = stroke.points.length === 2 ? [...stroke.points, stroke.points[0]!, stroke.points[1]!] : stroke.points;
    b.add({ kind: "stroke", id: stroke.id, page: page().id, color: color(), width: width(), points });
    stroke = null;
    setPreview(null);
  };

  const eraseAt = (p: { x: number; y: number }) => {
    const hits = items()
      .filter((i) => !erased.has(i.id) && touches(i, p.x, p.y, ERASER_RADIUS))
      .map((i) => i.id);
    for (const id of hits) erased.add(id);
    b.erase(hits);
  };

  const shape = (from: { x: number; y: number }, to: { x: number; y: number }, id: string): WbItem | null => {
    const common = { id, page: page().id, color: color(), width: width() };
    switch (tool()) {
      case "line":
      case "arrow":
        return { kind: "line", ...common, x1: from.x, y1: from.y, x2: to.x, y2: to.y, arrow: tool() === "arrow" };
      case "rect":
        return { kind: "rect", ...common, x: from.x, y: from.y, w: to.x - from.x, h: to.y - from.y };
      case "ellipse":
        return { kind: "ellipse", ...common, x: from.x, y: from.y, w: to.x - from.x, h: to.y - from.y };
      default:
        return null;
    }
  };

  const down = (e: PointerEvent) => {
    if (props.disabled || e.button !== 0) return;
    e.preventDefault();
    const p = at(e);
    if (tool() === "text") {
      setTyping(p);
      queueMicrotask(() => textInput?.focus());
      return;
    }
    svg.setPointerCapture(e.pointerId);
    origin = p;
    if (tool() === "pen") {
      stroke = { id: newId(), points: [p.x, p.y], sent: 0, sentAt: 0 };
      setPreview({ kind: "stroke", id: stroke.id, page: page().id, color: color(), width: width(), points: [p.x, p.y, p.x, p.y] });
    } else if (tool() === "eraser") {
      erased = new Set();
      eraseAt(p);
    }
  };
  const move = (e: PointerEvent) => {
    if (!origin) return;
    const p = at(e);
    if (tool() === "pen" && stroke) {
      const n = stroke.points.length;
      // Skip points closer than two board units: they add bytes, not shape.
      if (Math.hypot(p.x - stroke.points[n - 2]!, p.y - stroke.points[n - 1]!) < 2) return;
      stroke.points.push(p.x, p.y);
      setPreview((prev) => (prev?.kind === "stroke" ? { ...prev, points: [...stroke!.points] } : prev));
      // A very long stroke is cut into strokes of at most the allowed length, each continuing the last.
      if (stroke.points.length / 2 >= WB_LIMITS.strokePoints) {
        commitStroke();
        stroke = { id: newId(), points: [p.x, p.y], sent: 0, sentAt: 0 };
      } else if (!stroke.timer) {
        // At most one draft every DRAFT_MS, the first at once: the others see a stroke begin as it begins.
        const wait = DRAFT_MS - (performance.now() - stroke.sentAt);
        if (wait <= 0) flushDraft(false);
        else stroke.timer = setTimeout(() => flushDraft(false), wait);
      }
    } else if (tool() === "eraser") eraseAt(p);
    else setPreview(shape(origin, p, "preview"));
  };
  const up = (e: PointerEvent) => {
    if (!origin) return;
    const p = at(e);
    if (tool() === "pen") commitStroke();
    else if (tool() !== "eraser" && Math.hypot(p.x - origin.x, p.y - origin.y) >= 3) {
      const item = shape(origin, p, newId());
      if (item) b.add(item);
    }
    origin = null;
    setPreview(null);
  };
  onCleanup(() => stroke && clearTimeout(stroke.timer));

  const submitText = (e: SubmitEvent) => {
    e.preventDefault();
    const spot = typing();
    const text = textInput?.value.trim() ?? "";
    if (spot && text) b.add({ kind: "text", id: newId(), page: page().id, color: color(), size: textSize(), x: spot.x, y: spot.y, text: text.slice(0, WB_LIMITS.textChars) });
    setTyping(null);
  };

  const keydown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      b.undo();
    }
  };

  const exportPage = async () => {
    setExporting(true);
    setExportError();
    try {
      await downloadPagePng(items(), `whiteboard-page-${pageIndex() + 1}.png`);
    } catch {
      setExportError(t("room.board.exportFailed"));
    } finally {
      setExporting(false);
    }
  };

  const typingStyle = () => {
    const at = typing();
    return at ? { left: `${(at.x / BOARD.width) * 100}%`, top: `${(at.y / BOARD.height) * 100}%` } : {};
  };

  return (
    <section class="whiteboard" aria-labelledby="whiteboard-title" onKeyDown={keydown}>
      <h2 id="whiteboard-title" class="sr-only">
        {t("room.board.title")}
      </h2>
      <div class="wb-toolbar" role="toolbar" aria-label={t("room.board.toolbar")}>
        <div class="wb-group" role="group" aria-label={t("room.board.tool")}>
          <For each={TOOLS}>
            {(tl) => (
              <button type="button" class="wb-tool" aria-pressed={tool() === tl.id} aria-label={t(tl.label)} title={t(tl.label)} onClick={() => setTool(tl.id)} data-tool={tl.id}>
                <span aria-hidden="true">{tl.icon}</span>
              </button>
            )}
          </For>
        </div>
        <div class="wb-group" role="group" aria-label={t("room.board.colour")}>
          <For each={WB_COLORS}>
            {(c) => (
              <button type="button" class="wb-color" style={{ "--swatch": c }} aria-pressed={color() === c} aria-label={t(COLOR_NAMES[c])} title={t(COLOR_NAMES[c])} onClick={() => setColor(c)} />
            )}
          </For>
        </div>
        <Show
          when={tool() === "text"}
          fallback={
            <label class="wb-select">
              <span class="sr-only">{t("room.board.width")}</span>
              <select value={width()} onChange={(e) => setWidth(Number(e.currentTarget.value) as (typeof WB_WIDTHS)[number])} aria-label={t("room.board.width")}>
                <For each={WB_WIDTHS}>{(w) => <option value={w}>{t("room.board.px", { n: w })}</option>}</For>
              </select>
            </label>
          }
        >
          <label class="wb-select">
            <span class="sr-only">{t("room.board.textSize")}</span>
            <select value={textSize()} onChange={(e) => setTextSize(Number(e.currentTarget.value) as (typeof WB_TEXT_SIZES)[number])} aria-label={t("room.board.textSize")}>
              <For each={WB_TEXT_SIZES}>{(s) => <option value={s}>{t("room.board.px", { n: s })}</option>}</For>
            </select>
          </label>
        </Show>
        <button type="button" class="btn small secondary" onClick={() => b.undo()} disabled={props.disabled} title={t("room.board.undoTitle")}>
          {t("room.board.undo")}
        </button>
        <span class="spacer" />
        <div class="wb-group" role="group" aria-label={t("room.board.pages")}>
          <button type="button" class="btn small ghost" aria-label={t("room.board.prev")} disabled={pageIndex() === 0} onClick={() => b.showPage(b.state.pages[pageIndex() - 1]!.id)}>
            <span class="flip-rtl" aria-hidden="true">‹</span>
          </button>
          <span class="small" data-testid="wb-page">
            {t("room.board.pageOf", { n: pageIndex() + 1, total: b.state.pages.length })}
          </span>
          <button
            type="button"
            class="btn small ghost"
            aria-label={t("room.board.next")}
            disabled={pageIndex() >= b.state.pages.length - 1}
            onClick={() => b.showPage(b.state.pages[pageIndex() + 1]!.id)}
          >
            <span class="flip-rtl" aria-hidden="true">›</span>
          </button>
          <button type="button" class="btn small secondary" onClick={() => b.addPage()} disabled={props.disabled || b.state.pages.length >= WB_LIMITS.pages}>
            {t("room.board.newPage")}
          </button>
        </div>
        <button type="button" class="btn small secondary" onClick={() => void exportPage()} disabled={exporting()} aria-busy={exporting() ? "true" : undefined}>
          {t("room.board.save")}
        </button>
      </div>
      <Show when={b.state.error ?? exportError()}>
        <div class="alert warning" role="status">
          {b.state.error ?? exportError()}
        </div>
      </Show>
      <div class="wb-surface" data-tool={tool()}>
        <svg
          ref={svg}
          class="wb-canvas"
          viewBox={`0 0 ${BOARD.width} ${BOARD.height}`}
          role="img"
          aria-label={t("room.board.canvas", { n: pageIndex() + 1, total: b.state.pages.length, count: items().length })}
          data-page={page().id}
          data-loaded={b.state.loaded ? "true" : undefined}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
        >
          <rect width={BOARD.width} height={BOARD.height} fill="#ffffff" />
          <For each={items()}>{(item) => <BoardItem item={item} />}</For>
          <For each={live()}>
            {(l) => <path d={strokePath(l.points)} stroke={l.color} stroke-width={l.width} fill="none" stroke-linecap="round" stroke-linejoin="round" opacity="0.6" data-live={l.id} />}
          </For>
          <Show when={preview()}>{(p) => <BoardItem item={p()} />}</Show>
        </svg>
        <Show when={typing()}>
          <form class="wb-text" style={typingStyle()} onSubmit={submitText}>
            <label class="sr-only" for="wb-text-input">
              {t("room.board.textLabel")}
            </label>
            <input id="wb-text-input" ref={textInput} maxLength={WB_LIMITS.textChars} placeholder={t("room.board.textPlaceholder")} onKeyDown={(e) => e.key === "Escape" && setTyping(null)} onBlur={(e) => e.currentTarget.form?.requestSubmit()} />
          </form>
        </Show>
      </div>
    </section>
  );
}

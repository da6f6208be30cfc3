import { batch } from "solid-js";
import { createStore, produce } from "solid-js/store";
import type { RoomClientMessage, RoomServerMessage } from "../../../../domain/video/protocol";
import { WB_LIMITS, type WbDraft, type WbItem, type WbPage } from "../../../../domain/video/whiteboard";
import { t } from "../../i18n";

/** A stroke someone else is drawing right now, as its points stream in. */
export type LiveStroke = Pick<WbDraft, "id" | "page" | "color" | "width"> & { points: number[] };

export type BoardState = {
  pages: WbPage[];
  items: WbItem[];
  /** Strokes being drawn by others (by stroke id). */
  live: Record<string, LiveStroke>;
  /** The page this browser shows. */
  page: string;
  /** Whether the whole board has arrived from the room. */
  loaded: boolean;
  error: string | null;
};

export type Board = {
  state: BoardState;
  handle(m: Extract<RoomServerMessage, { type: `wb.${string}` }>): void;
  /** Adds an item (shown at once; the room confirms it to everyone). */
  add(item: WbItem): void;
  draft(d: WbDraft): void;
  erase(ids: string[]): void;
  undo(): void;
  addPage(): void;
  showPage(id: string): void;
  /**
   * The room refused this browser's oldest unanswered change (the board is full, say): a refused item leaves the
   * board again, and `message` is shown.
   */
  refused(code: string, message: string): void;
};

/**
 * One browser's copy of the shared whiteboard: what the room sent (the board so far, then every change) and
 * what this browser drew before the room confirmed it. Items are whole and keyed by id, so a confirmation of an
 * item already shown changes nothing.
 */
export function createBoard(send: (m: RoomClientMessage) => void): Board {
  const [state, setState] = createStore<BoardState>({ pages: [{ id: "page-1", title: "" }], items: [], live: {}, page: "page-1", loaded: false, error: null });
  let receiving: WbItem[] | null = null;
  /**
   * The adds and new pages this browser asked for that the room has not answered yet, oldest first. The room
   * answers one socket's messages in order, and a refusal names no item, so a refusal is the answer to the first.
   */
  let asked: ({ kind: "add"; id: string } | { kind: "page" })[] = [];

  const upsert = (items: WbItem[]) =>
    setState(
      produce((s) => {
        for (const item of items) {
          delete s.live[item.id];
          const at = s.items.findIndex((i) => i.id === item.id);
          if (at === -1) s.items.push(item);
        }
      }),
    );

  return {
    state,
    handle(m) {
      switch (m.type) {
        case "wb.state":
          // The board arrives in parts after each (re)connect: it replaces what was there once complete.
          receiving = [...(receiving ?? []), ...m.items];
          if (m.last) {
            const items = receiving;
            receiving = null;
            // Whatever was unanswered is answered by the board itself (a drawing the room never took is not in it).
            asked = [];
            batch(() => {
              setState({ pages: m.pages, items, live: {}, loaded: true });
              if (!m.pages.some((p) => p.id === state.page)) setState({ page: m.pages[0]?.id ?? "page-1" });
            });
          }
          return;
        case "wb.draft": {
          const d = m.draft;
          setState(
            produce((s) => {
              const live = s.live[d.id] ?? { id: d.id, page: d.page, color: d.color, width: d.width, points: [] };
              // Parts arrive in order on one socket; a gap means a part was missed, so wait for the whole stroke.
              if (d.from * 2 === live.points.length) live.points.push(...d.points);
              s.live[d.id] = live;
              if (d.done) delete s.live[d.id];
            }),
          );
          return;
        }
        case "wb.added": {
          // This answers our add of it, and so everything asked before it.
          const at = asked.findIndex((a) => a.kind === "add" && a.id === m.item.id);
          if (at !== -1) asked.splice(0, at + 1);
          return upsert([m.item]);
        }
        case "wb.restored":
          return upsert(m.items);
        case "wb.removed":
          setState("items", (items) => items.filter((i) => !m.ids.includes(i.id)));
          return;
        case "wb.pages":
          // Someone's new page; taken as the answer to ours when ours is the first one waiting.
          if (asked[0]?.kind === "page") asked.shift();
          setState({ pages: m.pages });
          return;
      }
    },
    add(item) {
      if (state.items.length >= WB_LIMITS.items) return setState({ error: t("errors.codes.board_full") });
      upsert([item]);
      asked.push({ kind: "add", id: item.id });
      send({ type: "wb.add", item });
    },
    draft(d) {
      send({ type: "wb.draft", draft: d });
    },
    erase(ids) {
      if (!ids.length) return;
      setState("items", (items) => items.filter((i) => !ids.includes(i.id)));
      send({ type: "wb.erase", ids });
    },
    undo() {
      send({ type: "wb.undo" });
    },
    addPage() {
      asked.push({ kind: "page" });
      send({ type: "wb.page.add" });
    },
    showPage(id) {
      setState({ page: id });
    },
    refused(code, message) {
      const refused = asked.shift();
      // A duplicate's id is on the board already (the room's item): that one stays.
      if (refused?.kind === "add" && code !== "duplicate_item") setState("items", (items) => items.filter((i) => i.id !== refused.id));
      setState({ error: message });
    },
  };
}

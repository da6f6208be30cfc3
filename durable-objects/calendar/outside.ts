import type { z } from "zod";
import type { Availability } from "../../domain/schemas/availability";
import type { RemoveBlockSchema, ReplaceBlocksSchema, UpsertBlockSchema } from "./args";
import { type BlockChange, removeBlock, replaceBlocks, upsertBlock } from "./blocks";
import type { Outbox } from "./outbox";
import type { CalendarStore } from "./store";
import type { Viewers } from "./viewers";
import type { WeeklySeries } from "./weekly";

type Deps = {
  store: CalendarStore;
  outbox: Outbox;
  viewers: Viewers;
  weekly: WeeklySeries;
  transact: <T>(fn: () => T) => T;
  availability: () => Availability | null;
};

/**
 * Outside calendars (Calendly, ICS) writing their busy time into the tutor's: each change is written in one
 * transaction with what it causes — a notice to the tutor per new conflict with a session, the weekly series told
 * of a week it landed on, and the tutor page's viewers told the time changed.
 */
export class OutsideBlocks {
  constructor(private readonly d: Deps) {}

  /** Makes `blocks` the whole busy time of `source` (one sync of an outside calendar), atomically. */
  replace(a: z.infer<typeof ReplaceBlocksSchema>): { count: number; conflicts: number } {
    const change = this.d.transact(() => this.afterBlocks(replaceBlocks(this.d.store.sql, a.source, a.blocks, a.now)));
    this.d.outbox.afterAnswer();
    return { count: a.blocks.length, conflicts: change.newConflicts.length };
  }

  /** Adds or moves one block (idempotent by its external id); `ignored` when it was removed for good before. */
  upsert(a: z.infer<typeof UpsertBlockSchema>): { status: "stored" | "ignored"; conflicts: number } {
    const change = this.d.transact(() => {
      const c = upsertBlock(this.d.store.sql, a.source, a.block, a.now);
      return c && this.afterBlocks(c);
    });
    this.d.outbox.afterAnswer();
    return change ? { status: "stored", conflicts: change.newConflicts.length } : { status: "ignored", conflicts: 0 };
  }

  /** Removes one block; `forever` also refuses it from then on (a cancellation that may arrive before its creation). */
  remove(a: z.infer<typeof RemoveBlockSchema>): { removed: boolean } {
    const change = this.d.transact(() => this.afterBlocks(removeBlock(this.d.store.sql, a.source, a.externalId, a.now, a.forever)));
    this.d.outbox.afterAnswer();
    return { removed: change.freed.length > 0 };
  }

  /** Viewers learn about changed time; the tutor gets a notice per new conflict — in the same transaction as the change. */
  private afterBlocks(change: BlockChange): BlockChange {
    const { store } = this.d;
    for (const c of change.newConflicts) {
      this.d.outbox.enqueue({
        kind: "notice",
        userId: store.tutorId,
        nameOf: null,
        template: { kind: "calendar_conflict", subject: c.subject, start: c.sessionStart, title: c.title, source: c.source === "calendly" ? "Calendly" : "your outside calendar" },
        dedupeKey: `calendar-conflict:${c.id}`,
        link: "/calendar-sync",
      });
      this.d.weekly.collided(c.sessionId, this.d.availability(), Date.now());
    }
    if (change.taken.length || change.freed.length) this.d.viewers.taken(store.tutorId, change.taken);
    return change;
  }
}

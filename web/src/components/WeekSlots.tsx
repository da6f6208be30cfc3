import { For, type JSX, Show, createMemo } from "solid-js";
import { addDays, beforeTime, dayOf, formatDay, formatMonthDay, formatTime, formatWeekday } from "../lib/time";
import { t } from "../i18n";

export type SlotLike = { start: string; end: string };

/**
 * A week of free slots as one column per local day of the viewer's zone (stacked on phones). Each slot is a
 * button when `onPick` is given, otherwise a plain label; every slot carries `data-start` (the UTC instant).
 */
export function WeekSlots(props: {
  week: string;
  zone: string;
  slots: SlotLike[];
  onPick?: (slot: SlotLike) => void;
  /** The accessible name of a slot button, e.g. "Book Tue, May 13, 2:00 PM". */
  actionLabel?: string;
  today?: string;
  emptyText?: string;
  /** Shown under `emptyText` when the week has no slot (e.g. a way to the next free time). */
  emptyAction?: JSX.Element;
  loading?: boolean;
  /** Days stacked as rows at every width (narrow columns, dialogs). */
  compact?: boolean;
}) {
  const days = () => Array.from({ length: 7 }, (_, i) => addDays(props.week, i));
  const byDay = createMemo(() => {
    const map = new Map<string, SlotLike[]>();
    for (const s of props.slots) {
      const d = dayOf(s.start, props.zone);
      map.set(d, [...(map.get(d) ?? []), s]);
    }
    return map;
  });
  const total = () => props.slots.length;
  return (
    <div class={props.compact ? "week compact" : "week"} aria-busy={props.loading ? "true" : undefined}>
      <For each={days()}>
        {(day) => (
          <div role="group" class="week-day" classList={{ today: day === props.today, past: !!props.today && day < props.today }} data-day={day} aria-label={formatDay(day, { long: true })}>
            <h3 class="week-day-head">
              <span class="wd">{formatWeekday(day)}</span>
              <span class="dt">{formatMonthDay(day)}</span>
            </h3>
            <Show when={byDay().get(day)?.length} fallback={<p class="week-none">{props.loading ? "…" : "—"}</p>}>
              <ul class="slot-list">
                <For each={byDay().get(day)}>
                  {(slot) => (
                    <li>
                      <Show
                        when={props.onPick}
                        fallback={
                          <span class="slot-chip static" data-start={slot.start}>
                            {formatTime(slot.start, props.zone)}
                          </span>
                        }
                      >
                        <button
                          type="button"
                          class="slot-chip"
                          data-start={slot.start}
                          aria-label={`${props.actionLabel ?? t("core.slots.choose")} ${formatDay(day, { long: true })}${beforeTime()}${formatTime(slot.start, props.zone)}`}
                          onClick={() => props.onPick!(slot)}
                        >
                          {formatTime(slot.start, props.zone)}
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </For>
      <Show when={!props.loading && total() === 0}>
        <p class="week-empty" role="status">
          {props.emptyText ?? t("core.slots.none")}
        </p>
        <div class="week-empty-action">{props.emptyAction}</div>
      </Show>
    </div>
  );
}

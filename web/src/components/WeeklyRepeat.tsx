import { For, Show } from "solid-js";
import { SERIES_POLICY } from "../../../domain/series/policy";
import { localShifts } from "../../../domain/series/shifts";
import { addDays, dayOf, formatDate, formatTime, hhmmOf, zonedToUtc } from "../lib/time";

/** The words of this component, in one place. */
const T = {
  repeat: "Repeat every week at this time",
  weeks: "Number of weeks",
  policy: (days: number, hours: number) =>
    `Each lesson's credits are taken ${days} days before it. If your balance can't cover one then, we tell you (with a link to top up); a lesson still unpaid ${hours} hours before is released.`,
  fixed: (zone: string) => `The lessons stay at the same time in your tutor's zone (${zone}).`,
  shifted: (time: string, usual: string) => `${time} for you instead of ${usual}: the clocks change`,
};

/**
 * The weeks a series starting at `start` covers: the same wall-clock time in the tutor's zone each week (what the
 * server books), as ISO instants.
 */
export function weeklyPreview(start: string, tutorZone: string, weeks: number): string[] {
  const day = dayOf(start, tutorZone);
  const hhmm = hhmmOf(start, tutorZone);
  return Array.from({ length: weeks }, (_, k) => new Date(zonedToUtc(addDays(day, 7 * k), hhmm, tutorZone)).toISOString());
}

/** The first week's start after `afterMs` at the wall-clock time of `start` in the tutor's zone (continuing a lesson weekly). */
export function nextWeeklyStart(start: string, tutorZone: string, afterMs: number): string {
  const weeks = Math.max(1, Math.ceil((afterMs - Date.parse(start)) / (7 * 86_400_000))) + 2;
  return weeklyPreview(start, tutorZone, weeks).find((s) => Date.parse(s) > afterMs)!;
}

/**
 * "Repeat every week" for a 1:1 booking: how many weeks, the dates in the viewer's zone with the weeks a DST change
 * moves for them flagged in advance, and when credits are taken.
 */
export function WeeklyRepeat(props: {
  start: string;
  tutorZone: string;
  viewerZone: string;
  repeat: boolean;
  weeks: number;
  onRepeat: (on: boolean) => void;
  onWeeks: (weeks: number) => void;
}) {
  const starts = () => weeklyPreview(props.start, props.tutorZone, props.weeks);
  const shifted = () => new Map(localShifts(starts(), props.viewerZone).map((s) => [s.start, s]));
  return (
    <div class="stack weekly-repeat">
      <label class="checkbox">
        <input type="checkbox" checked={props.repeat} onChange={(e) => props.onRepeat(e.currentTarget.checked)} data-testid="repeat-weekly" /> {T.repeat}
      </label>
      <Show when={props.repeat}>
        <div class="field">
          <label for="repeat-weeks">{T.weeks}</label>
          <input
            id="repeat-weeks"
            type="number"
            min="2"
            max={SERIES_POLICY.maxWeeks}
            value={props.weeks}
            onInput={(e) => {
              const n = Math.round(Number(e.currentTarget.value));
              if (n >= 1 && n <= SERIES_POLICY.maxWeeks) props.onWeeks(n);
            }}
          />
        </div>
        <ol class="weeks small" aria-label="The weeks" tabindex="0">
          <For each={starts()}>
            {(s) => (
              <li classList={{ shifted: shifted().has(s) }} data-testid={shifted().has(s) ? "week-shifted" : "week"}>
                {formatDate(s, props.viewerZone)}, {formatTime(s, props.viewerZone)}
                <Show when={shifted().get(s)}>{(x) => <span class="badge warning">{T.shifted(formatTime(x().start, props.viewerZone), formatTime(starts()[0]!, props.viewerZone))}</span>}</Show>
              </li>
            )}
          </For>
        </ol>
        <p class="small muted">
          {T.fixed(props.tutorZone)} {T.policy(SERIES_POLICY.chargeDaysBefore, SERIES_POLICY.releaseHoursBefore)}
        </p>
      </Show>
    </div>
  );
}

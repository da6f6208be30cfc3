import { For, Show } from "solid-js";
import { SERIES_POLICY } from "../../../domain/series/policy";
import { localShifts } from "../../../domain/series/shifts";
import { nextWeeklyStartIntl, weeklyStartsIntl } from "../../../domain/time/wallClock";
import { beforeTime, formatDate, formatTime, zoneLabel } from "../lib/time";
import { t } from "../i18n";


/**
 * The weeks a series starting at `start` covers: the same wall-clock time in the tutor's zone each week, as ISO
 * instants, computed as the server books them (domain/time/wallClock.ts, checked against the server's luxon): a week
 * whose time falls in the tutor's spring-forward gap is an hour later, as booked.
 */
export function weeklyPreview(start: string, tutorZone: string, weeks: number): string[] {
  return weeklyStartsIntl(Date.parse(start), tutorZone, weeks).map((t) => new Date(t).toISOString());
}

/** The first week's start after `afterMs` at the wall-clock time of `start` in the tutor's zone (continuing a lesson weekly). */
export function nextWeeklyStart(start: string, tutorZone: string, afterMs: number): string {
  return new Date(nextWeeklyStartIntl(Date.parse(start), tutorZone, afterMs)).toISOString();
}

/**
 * "Repeat every week" for a 1:1 booking or a group seat: how many weeks, the dates in the viewer's zone with the weeks
 * a DST change moves for them flagged in advance, and when credits are taken. For a group seat (`groupOf`: the
 * tutor's first name) it says the seat is taken in the tutor's group at that time each week.
 */
export function WeeklyRepeat(props: {
  start: string;
  tutorZone: string;
  viewerZone: string;
  repeat: boolean;
  weeks: number;
  onRepeat: (on: boolean) => void;
  onWeeks: (weeks: number) => void;
  groupOf?: string;
}) {
  const starts = () => weeklyPreview(props.start, props.tutorZone, props.weeks);
  const shifted = () => new Map(localShifts(starts(), props.viewerZone).map((s) => [s.start, s]));
  return (
    <div class="stack weekly-repeat">
      <label class="checkbox">
        <input type="checkbox" checked={props.repeat} onChange={(e) => props.onRepeat(e.currentTarget.checked)} data-testid="repeat-weekly" /> {t("core.series.repeat")}
      </label>
      <Show when={props.repeat}>
        <div class="field">
          <label for="repeat-weeks">{t("core.series.weeks")}</label>
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
        <ol class="weeks small" aria-label={t("core.series.theWeeks")} tabindex="0">
          <For each={starts()}>
            {(s) => (
              <li classList={{ shifted: shifted().has(s) }} data-testid={shifted().has(s) ? "week-shifted" : "week"}>
                {formatDate(s, props.viewerZone)}
                {beforeTime()}
                {formatTime(s, props.viewerZone)}
                <Show when={shifted().get(s)}>{(x) => <span class="badge warning">{t("core.series.shifted", { time: formatTime(x().start, props.viewerZone), usual: formatTime(starts()[0]!, props.viewerZone) })}</span>}</Show>
              </li>
            )}
          </For>
        </ol>
        <Show when={props.groupOf}>{(name) => <p class="small" data-testid="group-weekly-hint">{t("core.series.groupHint", { name: name() })}</p>}</Show>
        <p class="small muted">
          {t("core.series.fixed", { zone: zoneLabel(props.tutorZone) })} {t("core.series.policy", { days: SERIES_POLICY.chargeDaysBefore, hours: SERIES_POLICY.releaseHoursBefore })}
        </p>
      </Show>
    </div>
  );
}

import { addDays, formatMonthDay } from "../lib/time";
import { t } from "../i18n";

/** Previous / next week with the visible range between them. */
export function WeekNav(props: { week: string; canGoBack: boolean; onChange: (week: string) => void; compact?: boolean }) {
  // Compact (a narrow card): arrows only, their names stay for screen readers.
  const words = () => (props.compact ? "sr-only" : "hide-sm");
  return (
    <div class="week-nav" role="group" aria-label={t("core.slots.week")}>
      <button type="button" class="btn small secondary" disabled={!props.canGoBack} onClick={() => props.onChange(addDays(props.week, -7))} aria-label={t("core.slots.previousWeek")}>
        <span class="flip-rtl" aria-hidden="true">‹</span>
        <span class={words()}> {t("core.slots.previousWeek")}</span>
      </button>
      <span class="week-range" aria-live="polite">
        {formatMonthDay(props.week)} – {formatMonthDay(addDays(props.week, 6))}
      </span>
      <button type="button" class="btn small secondary" onClick={() => props.onChange(addDays(props.week, 7))} aria-label={t("core.slots.nextWeek")}>
        <span class={words()}>{t("core.slots.nextWeek")} </span>
        <span class="flip-rtl" aria-hidden="true">›</span>
      </button>
    </div>
  );
}

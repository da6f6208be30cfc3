import { createSignal, onCleanup } from "solid-js";
import { clock, countdown } from "../../../../domain/video/countdown";
import { t } from "../../i18n";
import { DAY_MS, formatSpan } from "../../lib/time";

/** Time to the booked start or end, ticking every second; in overtime it warns when the room will close. */
export function Countdown(props: { start: string; end: string }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const c = () => countdown({ start: Date.parse(props.start), end: Date.parse(props.end) }, now());
  return (
    <span class="countdown" data-phase={c().phase} role="timer" aria-live="off" title={t("room.countdown.title")}>
      {/* Days ahead read as days ("Starts in 2 days 8 h"), not as 56 hours on a clock. */}
      {t(`room.countdown.${c().phase}`, { clock: c().phase === "before" && c().ms >= DAY_MS ? formatSpan(c().ms) : clock(c().ms) })}
      {(() => {
        const value = c();
        return value.phase === "overtime" ? ` · ${t("room.countdown.closes", { minutes: Math.ceil(value.closesInMs / 60_000) })}` : "";
      })()}
    </span>
  );
}

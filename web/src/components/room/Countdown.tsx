import { createSignal, onCleanup } from "solid-js";
import { countdown } from "../../../../domain/video/countdown";

/** Time to the booked start or end, ticking every second; in overtime it warns when the room will close. */
export function Countdown(props: { start: string; end: string }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const c = () => countdown({ start: Date.parse(props.start), end: Date.parse(props.end) }, now());
  return (
    <span class="countdown" data-phase={c().phase} role="timer" aria-live="off" title="Until the booked end">
      {c().label}
      {(() => {
        const value = c();
        return value.phase === "overtime" ? ` · room closes in ${Math.ceil(value.closesInMs / 60_000)} min` : "";
      })()}
    </span>
  );
}

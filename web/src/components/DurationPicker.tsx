import { For } from "solid-js";
import type { Duration } from "../../../domain/schemas/availability";
import { DURATIONS } from "../../../domain/time/durations";
import { locale, t } from "../i18n";
import { formatNumber } from "../../../domain/i18n/translate";

/** A length the booking API accepts (domain/time/durations.ts). */
export const isDuration = (n: number): n is Duration => (DURATIONS as readonly number[]).includes(n);

/** Session length as a row of radio buttons (arrow keys move between them). */
export function DurationPicker(props: { value: number; onChange: (d: Duration) => void; name?: string; legend?: string }) {
  return (
    <fieldset class="segmented">
      <legend>
        {props.legend ?? t("core.slots.length")}
        <span class="unit-legend">{t("core.slots.minutesLegend")}</span>
      </legend>
      <div class="segments">
        <For each={DURATIONS}>
          {(d) => (
            <label class="segment">
              <input type="radio" name={props.name ?? "duration"} value={d} checked={props.value === d} onChange={() => props.onChange(d)} />
              <span>
                {formatNumber(d, locale())}
                <span class="unit">{t("core.slots.min")}</span>
              </span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}

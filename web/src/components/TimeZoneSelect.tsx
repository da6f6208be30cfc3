import { For, createMemo, createSignal, onCleanup, onMount } from "solid-js";
import { t } from "../i18n";
import { locale } from "../i18n/state";
import { offsetMs, zoneChoiceLabel } from "../lib/time";
import { allTimeZones, browserTimeZone, zonesMatching } from "../lib/zones";

export { browserTimeZone };

type Choice = { zone: string; label: string; offset: number; folded?: string };

const HOUR = 3_600_000;
// Some 420 zones, each named through Intl (a fifth of a second on a slow machine): worked out once per language and
// hour (offsets move at clock changes), and shared by every picker.
let cached: { key: string; choices: Choice[] } | undefined;
const cacheKey = () => `${locale()}|${Math.floor(Date.now() / HOUR)}`;

/** A zone the list may lack (a stored value): named like the others, or shown as its id if this browser cannot name it. */
function choiceOf(zone: string, now: number): Choice {
  try {
    return { zone, label: zoneChoiceLabel(zone, now), offset: offsetMs(now, zone) };
  } catch {
    return { zone, label: zone, offset: 0 };
  }
}

/** Every zone the browser knows, by its offset now, then by name in the reader's collation. */
function zoneChoices(): Choice[] {
  const key = cacheKey();
  if (cached?.key !== key) {
    const now = Date.now();
    const collator = new Intl.Collator(locale());
    const choices = allTimeZones().map((zone) => choiceOf(zone, now));
    cached = { key, choices: choices.sort((a, b) => a.offset - b.offset || collator.compare(a.label, b.label)) };
  }
  return cached.choices;
}

/**
 * A native select of every IANA zone, the id as each option's value (what is stored) and a readable label: the city
 * first, so the select's own type-ahead finds a zone by the city typed (keyboards, screen readers and phones' pickers
 * all keep working as for any select), then the zone's name in the reader's language and its offset now (that name
 * first where it is in another script than the city). `value` is kept even if the list lacks it.
 *
 * A search box under it narrows the list to the zones with the words typed anywhere in their label or id — so a zone
 * is found by its name in the reader's language ("Pacífico", "المحيط الهادي"), which no select's type-ahead reaches
 * (it only matches a label's start). Enter there picks the first zone found, and sends no form.
 *
 * The full list is named once the page is idle, or at once when the select is reached (focus, pointer): the search and
 * a tutor's page carry a picker, and their first paint does not wait for it. Until then the select holds its value.
 */
export function TimeZoneSelect(props: { id: string; value: string; onChange: (zone: string) => void; invalid?: boolean; describedBy?: string }) {
  const [wanted, setWanted] = createSignal(cached?.key === cacheKey());
  onMount(() => {
    if (wanted()) return;
    const idle = window.requestIdleCallback?.(() => setWanted(true), { timeout: 1500 });
    const timer = idle === undefined ? setTimeout(() => setWanted(true), 200) : undefined;
    onCleanup(() => (idle === undefined ? clearTimeout(timer) : window.cancelIdleCallback(idle)));
  });
  const [typed, setTyped] = createSignal("");
  const found = createMemo(() => zonesMatching(typed(), wanted() ? zoneChoices() : []));
  const options = createMemo(() => (found().some((c) => c.zone === props.value) ? found() : [choiceOf(props.value, Date.now()), ...found()]));
  return (
    <>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.invalid ? "true" : undefined}
        aria-describedby={props.describedBy}
        onFocus={() => setWanted(true)}
        onPointerDown={() => setWanted(true)}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <For each={options()}>
          {(c) => (
            // Selected by each option too: a language switch makes new options, and the select must not fall to the first.
            <option value={c.zone} selected={c.zone === props.value}>
              {c.label}
            </option>
          )}
        </For>
      </select>
      <input
        id={`${props.id}-find`}
        type="search"
        aria-label={t("core.search.findZone")}
        placeholder={t("core.search.findZone")}
        aria-controls={props.id}
        onFocus={() => setWanted(true)}
        onInput={(e) => setTyped(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          const first = found()[0];
          if (first && typed().trim()) props.onChange(first.zone);
        }}
      />
    </>
  );
}

import { For } from "solid-js";
import { allTimeZones, browserTimeZone } from "../lib/zones";

export { browserTimeZone };

/** A select of every IANA zone the browser knows, with `value` kept even if the list lacks it. */
export function TimeZoneSelect(props: { id: string; value: string; onChange: (zone: string) => void; invalid?: boolean; describedBy?: string }) {
  const options = () => {
    const all = allTimeZones();
    return all.includes(props.value) ? all : [props.value, ...all];
  };
  return (
    <select
      id={props.id}
      value={props.value}
      aria-invalid={props.invalid ? "true" : undefined}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <For each={options()}>{(z) => <option value={z}>{z.replace(/_/g, " ")}</option>}</For>
    </select>
  );
}

import { For } from "solid-js";
import { canonicalTimeZone } from "../../../domain/schemas/common";

/** The browser's own IANA zone, e.g. "Asia/Kathmandu". */
export const browserTimeZone = () => canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");

const zones = (): string[] => {
  const list = ((Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? []).map(canonicalTimeZone);
  return [...new Set(["UTC", ...list])].sort();
};

/** A select of every IANA zone the browser knows, with `value` kept even if the list lacks it. */
export function TimeZoneSelect(props: { id: string; value: string; onChange: (zone: string) => void; invalid?: boolean; describedBy?: string }) {
  const options = () => {
    const all = zones();
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

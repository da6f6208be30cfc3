import { createEffect, createSignal, onCleanup } from "solid-js";

const MINUTE = 60_000;

/**
 * `Date.now()` as a signal that moves at each instant of `edges()` (epoch ms) and at least once a minute: what
 * depends on it changes on time without a timer per second, and the minute tick catches up after the device
 * sleeps or its clock is changed.
 */
export function createNow(edges: () => number[] = () => []) {
  const [now, setNow] = createSignal(Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    const t = now();
    const next = Math.min(t + MINUTE, ...edges().filter((e) => e > t));
    clearTimeout(timer);
    timer = setTimeout(() => setNow(Date.now()), next - t);
  });
  onCleanup(() => clearTimeout(timer));
  return now;
}

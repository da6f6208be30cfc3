import { onCleanup } from "solid-js";

/** `fn` once, `ms` after the last of a burst of calls (live messages often come in twos and threes); dropped with its owner. */
export function createDebounced(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

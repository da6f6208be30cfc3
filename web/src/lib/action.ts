import { createSignal } from "solid-js";
import { messageOf } from "./api";

/**
 * One user action's pending flag and error text. `run` clears the last error, marks the action pending (and
 * tells `onPendingChange`, so a dialog cannot be closed mid-flight), and turns what it throws into words with
 * `errorText`. The action itself rolls back any optimistic change before rethrowing.
 */
export function createAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
  opts: { errorText?: (e: unknown) => string; onPendingChange?: (pending: boolean) => void } = {},
) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const run = async (...args: A) => {
    setPending(true);
    opts.onPendingChange?.(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (e) {
      setError((opts.errorText ?? messageOf)(e));
    } finally {
      setPending(false);
      opts.onPendingChange?.(false);
    }
  };
  return { pending, error, setError, run };
}

export type Action = ReturnType<typeof createAction>;

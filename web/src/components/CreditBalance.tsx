import { formatMinutes } from "../lib/time";

/** A student's balance as the big number of a credits card ("4 h 30 min"; "…" until known), read out when it changes. */
export function CreditBalance(props: { minutes?: number }) {
  return (
    <div class="stat" data-testid="credit-balance" aria-live="polite">
      {props.minutes === undefined ? "…" : formatMinutes(props.minutes)}
    </div>
  );
}

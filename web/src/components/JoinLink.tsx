import { A } from "@solidjs/router";
import { Match, Switch } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import type { JoinPhase } from "../features/video/joinPhase";
import { dayOf, formatDateTime, formatTime } from "../lib/time";

/**
 * The way into a session's video room: a Join link while the room is open, "Join opens at …" (in the viewer's
 * zone, with the date when that is not the session's day) before, nothing after. `join` (from `createJoinPhase`)
 * keeps the phase current.
 */
export function JoinLink(props: { booking: Booking; join: JoinPhase; zone: string; label: string }) {
  const opens = () => {
    const at = props.join.opensAt();
    return dayOf(at, props.zone) === dayOf(props.booking.start, props.zone) ? formatTime(at, props.zone) : formatDateTime(at, props.zone);
  };
  return (
    <Switch>
      <Match when={props.join.phase() === "open"}>
        <A class="btn small" href={`/sessions/${props.booking.id}/room`} aria-label={`Join ${props.label}`} data-join="open">
          Join
        </A>
      </Match>
      <Match when={props.join.phase() === "before"}>
        <span class="join-later small muted" data-join="before">
          Join opens at {opens()}
        </span>
      </Match>
    </Switch>
  );
}

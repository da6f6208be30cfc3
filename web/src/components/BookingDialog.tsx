import { A } from "@solidjs/router";
import { Match, Show, Switch, createResource, createSignal } from "solid-js";
import { POLICY } from "../../../domain/credits/policy";
import { seatPrice } from "../../../domain/credits/pricing";
import type { Booking } from "../../../domain/schemas/booking";
import type { Tutor } from "../../../domain/schemas/tutor";
import { bookSlot, bookingErrorText, newIdempotencyKey } from "../features/bookings/bookings";
import { fetchCredits } from "../features/credits/credits";
import type { GroupOffer } from "../features/tutors/tutor";
import { ApiFailure } from "../lib/api";
import { firstName, subjectLabel } from "../lib/format";
import { formatDateTime, formatMinutes, formatTime, minutesBetween, zoneLabel } from "../lib/time";
import { Button } from "./Button";
import { isDuration } from "./DurationPicker";

/** Moves focus to an element as soon as it is shown (content that replaces the focused control). */
export const focusOnMount = (el: HTMLElement) => queueMicrotask(() => el.isConnected && el.focus());

export type SlotPick = { kind: "one_on_one"; start: string; end: string } | { kind: "group"; offer: GroupOffer };

/** The confirmation step of booking a slot (or a seat in a group): what, when in both zones, cost, policy. */
export function BookingDialogBody(props: {
  tutor: Tutor;
  pick: SlotPick;
  /** The 1:1 price of this length as the tutor's calendar charges it (from the slots answer). */
  price?: number;
  viewerZone: string;
  defaultSubject?: string;
  onClose: () => void;
  onBooked: (b: Booking) => void;
  onSlotGone: () => void;
  onPendingChange: (pending: boolean) => void;
}) {
  const start = () => (props.pick.kind === "group" ? props.pick.offer.start : props.pick.start);
  const end = () => (props.pick.kind === "group" ? props.pick.offer.end : props.pick.end);
  const duration = () => minutesBetween(start(), end());
  // Exactly what booking charges: a group's seat price, or the calendar's price for this length (the same rule on the
  // tutor's rate before the slots answer arrives).
  const cost = () =>
    props.pick.kind === "group" ? props.pick.offer.creditsMinutes : (props.price ?? seatPrice({ kind: "one_on_one", hourlyRateCents: props.tutor.hourlyRateCents, durationMinutes: duration() }));
  const initialSubject =
    props.pick.kind === "group"
      ? props.pick.offer.subject
      : props.defaultSubject && props.tutor.subjects.includes(props.defaultSubject)
        ? props.defaultSubject
        : (props.tutor.subjects[0] ?? "");
  const [subject, setSubject] = createSignal(initialSubject);
  const [credits, { refetch: refetchCredits }] = createResource(fetchCredits);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<{ code: string; text: string }>();
  const [booked, setBooked] = createSignal<Booking>();

  // One key per booking attempt; a retry of the same request reuses it, a changed request gets a new one.
  let key = newIdempotencyKey();
  let lastBody = "";

  const groupInfo = () => (props.pick.kind === "group" ? `group, ${props.pick.offer.seats - props.pick.offer.seatsTaken} of ${props.pick.offer.seats} seats left` : undefined);
  const lateStart = () => Date.parse(start()) - Date.now() < POLICY.studentRefundHours * 3_600_000;
  const short = () => (credits.latest ? credits.latest.balanceMinutes < cost() : false);

  const confirm = async () => {
    const minutes = duration();
    const body = { tutorId: props.tutor.id, start: start(), durationMinutes: isDuration(minutes) ? minutes : 60, subject: subject(), group: props.pick.kind === "group" };
    const text = JSON.stringify(body);
    if (lastBody && text !== lastBody) key = newIdempotencyKey();
    lastBody = text;
    setError(undefined);
    setPending(true);
    props.onPendingChange(true);
    try {
      const booking = await bookSlot(body, key);
      setBooked(booking);
      props.onBooked(booking);
    } catch (e) {
      const code = e instanceof ApiFailure ? e.code : "error";
      setError({ code, text: bookingErrorText(e) });
      if (code === "slot_unavailable") props.onSlotGone();
      if (code === "insufficient_credits") void refetchCredits();
      if (code === "slot_unavailable" || code === "insufficient_credits" || code === "student_busy") key = newIdempotencyKey();
    } finally {
      setPending(false);
      props.onPendingChange(false);
    }
  };

  return (
    <Show
      when={!booked()}
      fallback={
        <div class="stack booked" role="status">
          <div class="alert success">
            <strong>You're booked!</strong> {subjectLabel(booked()!.subject)} with {props.tutor.name}, {formatDateTime(booked()!.start, props.viewerZone)}.
          </div>
          <p class="small muted">It's in your sessions, and {firstName(props.tutor.name)} has been told.</p>
          <div class="row dialog-actions">
            <A class="btn" href="/sessions">
              See my sessions
            </A>
            <Button variant="secondary" onClick={props.onClose} ref={focusOnMount}>
              Done
            </Button>
          </div>
        </div>
      }
    >
      <div class="stack">
        <dl class="facts">
          <div>
            <dt>When (your time)</dt>
            <dd>
              <strong>{formatDateTime(start(), props.viewerZone)}</strong> – {formatTime(end(), props.viewerZone)}
              <span class="small muted"> · {zoneLabel(props.viewerZone, start())}</span>
            </dd>
          </div>
          <Show when={props.tutor.timezone !== props.viewerZone}>
            <div>
              <dt>For {firstName(props.tutor.name)}</dt>
              <dd>
                <Show when={formatDateTime(start(), props.tutor.timezone) !== formatDateTime(start(), props.viewerZone)} fallback="The same wall-clock time">
                  {formatDateTime(start(), props.tutor.timezone)} – {formatTime(end(), props.tutor.timezone)}
                </Show>
                <span class="small muted"> · {zoneLabel(props.tutor.timezone, start())}</span>
              </dd>
            </div>
          </Show>
          <div>
            <dt>Session</dt>
            <dd>
              {formatMinutes(duration())} · {groupInfo() ?? "1:1"}
            </dd>
          </div>
        </dl>

        <Show
          when={props.pick.kind === "one_on_one" && props.tutor.subjects.length > 1}
          fallback={
            <p class="small">
              <span class="label">Subject:</span> {subjectLabel(subject())}
            </p>
          }
        >
          <div class="field">
            <label for="book-subject">Subject</label>
            <select id="book-subject" value={subject()} onChange={(e) => setSubject(e.currentTarget.value)}>
              {props.tutor.subjects.map((s) => (
                <option value={s}>{subjectLabel(s)}</option>
              ))}
            </select>
          </div>
        </Show>

        <div class="cost">
          <div>
            <span class="label">Cost</span>
            <div class="stat">{formatMinutes(cost())}</div>
            <span class="small muted">of credit{props.pick.kind === "group" ? " per seat" : ""}</span>
          </div>
          <div>
            <span class="label">Your balance</span>
            <div class="stat" data-testid="balance">
              <Show when={credits.latest} fallback={credits.error ? "—" : "…"}>
                {(c) => formatMinutes(c().balanceMinutes)}
              </Show>
            </div>
            <Show when={credits.latest && !short()}>
              <span class="small muted">{formatMinutes(credits.latest!.balanceMinutes - cost())} left after booking</span>
            </Show>
          </div>
        </div>

        <Show when={short() && error()?.code !== "insufficient_credits"}>
          <div class="alert warning" role="status">
            You need {formatMinutes(cost())} of credit but have {formatMinutes(credits.latest!.balanceMinutes)}. <A href="/credits">Get more credits</A>
          </div>
        </Show>

        <p class="small muted policy">
          Cancel at least {POLICY.studentRefundHours} hours before the start and your credits come back in full; later cancellations aren't refunded. If{" "}
          {firstName(props.tutor.name)} cancels, you always get them back.
          <Show when={lateStart()}>
            {" "}
            <strong>This session starts within {POLICY.studentRefundHours} hours, so it can't be cancelled for a refund.</strong>
          </Show>
        </p>

        <Show when={error()}>
          {(err) => (
            <div class="alert error" role="alert">
              {err().text}{" "}
              <Switch>
                <Match when={err().code === "insufficient_credits"}>
                  <A href="/credits">Get more credits</A>
                </Match>
                <Match when={err().code === "unauthenticated"}>
                  <A href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>Log in</A>
                </Match>
              </Switch>
            </div>
          )}
        </Show>

        <div class="row dialog-actions">
          <Show
            when={error()?.code !== "slot_unavailable"}
            fallback={
              <Button onClick={props.onClose} ref={focusOnMount}>
                Choose another time
              </Button>
            }
          >
            <Button onClick={confirm} pending={pending()} disabled={short() || !subject()} autofocus>
              {pending() ? "Booking…" : props.pick.kind === "group" ? `Join for ${formatMinutes(cost())}` : `Book for ${formatMinutes(cost())}`}
            </Button>
            <Button variant="secondary" onClick={props.onClose} disabled={pending()}>
              Cancel
            </Button>
          </Show>
        </div>
      </div>
    </Show>
  );
}

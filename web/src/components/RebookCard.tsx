import { A } from "@solidjs/router";
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { REBOOK_POLICY } from "../../../domain/rebook";
import { localShifts } from "../../../domain/series/shifts";
import type { Booking } from "../../../domain/schemas/booking";
import { type MyTutor, createMyTutors, sameTimeBooker, slotLink } from "../features/rebook/rebook";
import { bookingErrorText } from "../features/bookings/bookings";
import { t } from "../i18n";
import { createAction } from "../lib/action";
import { ApiFailure } from "../lib/api";
import { formatCredits, subjectLabel } from "../lib/format";
import { beforeTime, dayOf, formatDate, formatDateTime, formatDay, formatMinutes, formatTime, formatTimeRange } from "../lib/time";
import { ErrorAlert, Notice } from "./Alert";
import { Button } from "./Button";

/** "Tue, Dec 8, 10:30 – 11:30 AM": a slot's day and times in the viewer's zone. */
const when = (s: { start: string; end: string }, zone: string) => `${formatDay(dayOf(s.start, zone))}${beforeTime()}${formatTimeRange(s.start, s.end, zone)}`;

/**
 * One tutor a student has had lessons with: "book the same time next week" in one click (price shown; booked
 * through the normal, idempotent path), the nearest free times when that one is taken, and the next free slots.
 * `onChanged` refetches (after a booking, or when the time was just taken).
 */
export function RebookCard(props: { card: MyTutor; zone: string; onChanged: () => void; level?: "h2" | "h3" }) {
  const c = () => props.card;
  const book = sameTimeBooker();
  const [booked, setBooked] = createSignal<Booking>();
  const [takenNow, setTakenNow] = createSignal(false);
  const action = createAction(
    async () => {
      setTakenNow(false);
      try {
        setBooked(await book(c()));
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "slot_unavailable") setTakenNow(true);
        throw e;
      } finally {
        props.onChanged();
      }
    },
    { errorText: (e) => (e instanceof ApiFailure && e.code === "slot_unavailable" ? t("sessions.rebook.takenNow") : bookingErrorText(e)) },
  );
  const bookedNextWeek = () => booked() ?? (c().upcoming?.start === c().nextWeek.start ? c().upcoming : undefined);
  const shift = () => localShifts([c().last.start, c().nextWeek.start], props.zone)[0];
  const id = () => `rebook-${c().tutor.id.replace(/[^a-zA-Z0-9_-]/g, "")}`;

  return (
    <article class="card rebook-card" data-tutor={c().tutor.id} aria-labelledby={`${id()}-name`}>
      <header class="stack tight">
        <Show when={props.level === "h3"} fallback={<h2 id={`${id()}-name`}><A href={`/tutors/${encodeURIComponent(c().tutor.id)}`}>{c().tutor.name}</A></h2>}>
          <h3 id={`${id()}-name`}>{t("sessions.rebook.bookAgain", { name: c().tutor.name })}</h3>
        </Show>
        <p class="small muted">
          {t("sessions.rebook.lessons", { count: c().completed })} · {t("sessions.rebook.last", { subject: subjectLabel(c().last.subject), when: formatDate(c().last.start, props.zone) })}
        </p>
      </header>

      <section class="stack tight" aria-labelledby={`${id()}-same`}>
        <p id={`${id()}-same`} class="rebook-label">
          {t("sessions.rebook.sameTime")}
        </p>
        <Switch>
          <Match when={bookedNextWeek()}>
            {(b) => (
              <p class="alert success" role="status" data-testid="rebook-booked">
                {t("sessions.rebook.booked", { when: when(b(), props.zone) })} <A href={`/sessions/${encodeURIComponent(b().id)}`}>{t("sessions.rebook.seeSession")}</A>
              </p>
            )}
          </Match>
          <Match when={c().nextWeek.free}>
            <p data-testid="rebook-next-week">
              <strong>{when(c().nextWeek, props.zone)}</strong>
              <br />
              <span class="small muted">{t("sessions.rebook.lengthPrice", { length: formatMinutes(c().last.durationMinutes), price: formatCredits(c().price.creditMinutes) })}</span>
            </p>
            <Show when={shift()}>
              {(s) => <p class="small warning-text">{t("sessions.rebook.shifted", { time: formatTime(s().start, props.zone), usual: formatTime(c().last.start, props.zone) })}</p>}
            </Show>
            <div>
              <Button pending={action.pending()} onClick={() => void action.run()} aria-label={t("sessions.rebook.bookWith", { name: c().tutor.name, when: formatDateTime(c().nextWeek.start, props.zone) })}>
                {t("sessions.rebook.book")}
              </Button>
            </div>
          </Match>
          <Match when={!c().nextWeek.free}>
            <Show when={!takenNow()}>
              <p data-testid="rebook-taken">{t("sessions.rebook.taken", { when: when(c().nextWeek, props.zone) })}</p>
            </Show>
            <Show when={c().nextWeek.alternatives.length} fallback={<p class="small muted">{t("sessions.rebook.nothingNear")}</p>}>
              <p class="small">{t("sessions.rebook.nearest")}</p>
              <SlotLinks card={c()} slots={c().nextWeek.alternatives} zone={props.zone} testid="rebook-alternatives" />
            </Show>
          </Match>
        </Switch>
        <ErrorAlert message={action.error()} />
      </section>

      <Show when={c().upcoming && c().upcoming!.start !== c().nextWeek.start && !booked()}>
        <Notice tone="info" message={t("sessions.rebook.nextLesson", { when: formatDateTime(c().upcoming!.start, props.zone) })} />
      </Show>

      <section class="stack tight" aria-labelledby={`${id()}-free`}>
        <p id={`${id()}-free`} class="rebook-label">
          {t("sessions.rebook.nextFree")}
        </p>
        <Show when={c().nextFree.length} fallback={<p class="small muted">{t("sessions.rebook.noneFree", { days: REBOOK_POLICY.nextFreeDays })}</p>}>
          <SlotLinks card={c()} slots={c().nextFree} zone={props.zone} testid="rebook-next-free" />
        </Show>
        <A class="small" href={`/tutors/${encodeURIComponent(c().tutor.id)}`}>
          {t("sessions.rebook.seeAll", { name: c().tutor.name })}
        </A>
      </section>
    </article>
  );
}

/** Free slots as links that open the tutor's booking dialog on them (price and balance, then confirm). */
function SlotLinks(props: { card: MyTutor; slots: { start: string; end: string }[]; zone: string; testid: string }) {
  return (
    <ul class="chips" data-testid={props.testid}>
      <For each={props.slots}>
        {(s) => (
          <li>
            <A class="chip" href={slotLink(props.card, s.start, props.zone)}>
              {when(s, props.zone)}
            </A>
          </li>
        )}
      </For>
    </ul>
  );
}

/** After a completed lesson (its page): the same offer for that lesson's tutor, when they can be booked again. */
export function RebookAfterLesson(props: { tutorId: string; zone: string }) {
  const { tutors, refetch } = createMyTutors();
  const card = () => tutors.latest?.find((m) => m.tutor.id === props.tutorId);
  return (
    <Show when={card()}>
      {(c) => <RebookCard card={c()} zone={props.zone} onChanged={refetch} level="h3" />}
    </Show>
  );
}

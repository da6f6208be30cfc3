import { A, useParams } from "@solidjs/router";
import { For, Match, Show, Switch, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import type { Booking } from "../../../domain/schemas/booking";
import type { Series } from "../../../domain/schemas/series";
import { SERIES_POLICY } from "../../../domain/series/policy";
import { localShifts } from "../../../domain/series/shifts";
import { ErrorAlert } from "../components/Alert";
import { Button } from "../components/Button";
import { CancelDialogBody } from "../components/CancelDialog";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { StatusBadge } from "../components/SessionItem";
import { isMissing } from "../features/bookings/detail";
import { cancelSeries, createSeries } from "../features/series/series";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import { subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { formatDate, formatDateTime, formatMinutes, formatTime, zoneLabel } from "../lib/time";

/** The words of this page, in one place. */
const T = {
  title: (subject: string) => `Weekly ${subject}`,
  missing: "There is no series at this address, or it isn't yours.",
  with: (name: string) => `with ${name}`,
  every: (day: string, time: string, zone: string) => `Every ${day} at ${time} (${zone})`,
  policy: `Each lesson's credits are taken ${SERIES_POLICY.chargeDaysBefore} days before it; a lesson still unpaid ${SERIES_POLICY.releaseHoursBefore} hours before is released. Cancelling a week follows the usual rules for that lesson.`,
  paidOn: (when: string) => `Credits taken ${when}`,
  shifted: (usual: string) => `Clocks change: not at ${usual} for you this week`,
  cancelOne: "Cancel this week",
  cancelRest: "Cancel the rest",
  cancelRestTitle: "Cancel the rest of the series?",
  cancelRestBody: (n: number) => `The ${n} lesson${n === 1 ? "" : "s"} still to come will be cancelled, each under the usual rules (refunded when paid and at least 24 hours ahead).`,
  skipped: "Weeks not booked (the tutor is busy then)",
  freeThatDay: "Free that day:",
  nothingFree: "Nothing else is free that day.",
  ended: "This series has ended.",
  cancelled: "This series is cancelled.",
};

/** `/series/:id`: weekly lessons — each week in your zone, paid or when it will be, DST weeks flagged; cancel one or the rest. */
export default function SeriesPage() {
  const params = useParams<{ id: string }>();
  return (
    <Guard>
      <SeriesView id={params.id} user={session.user()!} />
    </Guard>
  );
}

function SeriesView(props: { id: string; user: User }) {
  const { series, refetch, set } = createSeries(() => props.id);
  return (
    <Switch>
      <Match when={isMissing(series.error)}>
        <div class="card narrow" data-testid="series-missing">
          <h1>Series not found</h1>
          <p class="muted">{T.missing}</p>
          <A class="btn" href="/sessions">
            My sessions
          </A>
        </div>
      </Match>
      <Match when={series.error}>
        <ErrorAlert message={messageOf(series.error)} />
      </Match>
      <Match when={series.latest}>{(s) => <SeriesBody series={s()} user={props.user} onChanged={set} refetch={refetch} />}</Match>
      <Match when={series.loading}>
        <p class="muted" role="status">
          Loading…
        </p>
      </Match>
    </Switch>
  );
}

function SeriesBody(props: { series: Series; user: User; onChanged: (s: Series) => void; refetch: () => void }) {
  const zone = () => props.user.timezone;
  const s = () => props.series;
  const first = () => s().occurrences[0];
  const upcoming = () => s().occurrences.filter((o) => o.status === "confirmed" && Date.parse(o.start) > Date.now());
  const shifted = () => new Set(localShifts(s().occurrences.map((o) => o.start), zone()).map((x) => x.start));
  const [one, setOne] = createSignal<Booking>();
  const [askRest, setAskRest] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const rest = createAction(
    async () => {
      props.onChanged(await cancelSeries(s().id));
      setAskRest(false);
    },
    { onPendingChange: setBusy },
  );
  return (
    <div class="stack" data-series={s().id} data-status={s().status}>
      <div class="page-head">
        <div>
          <h1>{T.title(subjectLabel(s().subject))}</h1>
          <p class="muted">
            {s().tutorName && props.user.role === "student" ? `${T.with(s().tutorName!)} · ` : ""}
            <Show when={first()}>{(f) => T.every(new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone: zone() }).format(Date.parse(f().start)), formatTime(f().start, zone()), zoneLabel(zone(), f().start))}</Show>
            {" · "}
            {formatMinutes(s().durationMinutes)}
          </p>
        </div>
        <Show when={upcoming().length}>
          <Button variant="secondary" onClick={() => setAskRest(true)} data-testid="cancel-rest">
            {T.cancelRest}
          </Button>
        </Show>
      </div>
      <Show when={s().status !== "active"}>
        <p class="alert info" role="status">
          {s().status === "cancelled" ? T.cancelled : T.ended}
        </p>
      </Show>
      <p class="small muted">{T.policy}</p>
      <ol class="session-list plain" aria-label="Weeks">
        <For each={s().occurrences}>
          {(o) => (
            <li class="session" data-booking={o.id} data-status={o.status} data-testid="series-week">
              <div class="session-main">
                <div class="row tight">
                  <A href={`/sessions/${o.id}`}>
                    <strong>{formatDate(o.start, zone())}</strong>, {formatTime(o.start, zone())}–{formatTime(o.end, zone())}
                  </A>
                  <StatusBadge booking={o} />
                  <Show when={shifted().has(o.start)}>
                    <span class="badge warning" data-testid="dst-shifted">
                      {T.shifted(formatTime(first()!.start, zone()))}
                    </span>
                  </Show>
                </div>
                <Show when={o.status === "confirmed"}>
                  <div class="small muted">{o.paymentDueAt ? T.paidOn(formatDateTime(o.paymentDueAt, zone())) : "Paid"}</div>
                </Show>
              </div>
              <Show when={o.status === "confirmed" && Date.parse(o.start) > Date.now()}>
                <Button variant="secondary" onClick={() => setOne(o)} aria-label={`${T.cancelOne}: ${formatDate(o.start, zone())}`}>
                  {T.cancelOne}
                </Button>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={s().skipped.length}>
        <section class="card" aria-label={T.skipped}>
          <h2>{T.skipped}</h2>
          <ul class="stack">
            <For each={s().skipped}>
              {(k) => (
                <li>
                  <strong>{formatDateTime(k.start, zone())}</strong>{" "}
                  <span class="small muted">{k.alternatives.length ? `${T.freeThatDay} ${k.alternatives.map((a) => formatTime(a, zone())).join(", ")}` : T.nothingFree}</span>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={one()}>
        {(o) => (
          <Dialog open title="Cancel this week?" onClose={() => setOne()} busy={busy()}>
            <CancelDialogBody
              booking={o()}
              zone={zone()}
              role={props.user.role}
              onClose={() => setOne()}
              onPendingChange={setBusy}
              onDone={() => {
                setOne();
                props.refetch();
              }}
            />
          </Dialog>
        )}
      </Show>
      <Dialog open={askRest()} title={T.cancelRestTitle} onClose={() => setAskRest(false)} busy={busy()}>
        <div class="stack">
          <p>{T.cancelRestBody(upcoming().length)}</p>
          <ErrorAlert message={rest.error()} />
          <div class="row dialog-actions">
            <Button onClick={() => void rest.run()} pending={rest.pending()} data-testid="confirm-cancel-rest">
              {rest.pending() ? "Cancelling…" : T.cancelRest}
            </Button>
            <Button variant="secondary" onClick={() => setAskRest(false)} disabled={rest.pending()}>
              Keep them
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}

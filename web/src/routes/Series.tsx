import { A, useParams } from "@solidjs/router";
import { For, Match, Show, Switch, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import type { Booking } from "../../../domain/schemas/booking";
import type { KeptWeek, Series } from "../../../domain/schemas/series";
import { SERIES_POLICY } from "../../../domain/series/policy";
import { localShifts } from "../../../domain/series/shifts";
import { ErrorAlert } from "../components/Alert";
import { Button } from "../components/Button";
import { CancelDialogBody } from "../components/CancelDialog";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { RescheduleDialogBody } from "../components/RescheduleDialog";
import { StatusBadge } from "../components/SessionItem";
import { isMissing } from "../features/bookings/detail";
import { cancelSeries, createSeries, moveSeries } from "../features/series/series";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import { subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { beforeTime, formatDate, formatDateTime, formatMinutes, formatTime, zoneLabel } from "../lib/time";
import { locale, t } from "../i18n";


/**
 * `/series/:id`: weekly lessons — each week in your zone, paid or when it will be, DST weeks flagged; cancel one or
 * the rest, or move the rest (1:1 series) from the next week on.
 */
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
          <h1>{t("sessions.series.notFound")}</h1>
          <p class="muted">{t("sessions.series.missing")}</p>
          <A class="btn" href="/sessions">
            {t("core.nav.mySessions")}
          </A>
        </div>
      </Match>
      <Match when={series.error}>
        <ErrorAlert message={messageOf(series.error)} />
      </Match>
      <Match when={series.latest}>{(s) => <SeriesBody series={s()} user={props.user} onChanged={set} refetch={refetch} />}</Match>
      <Match when={series.loading}>
        <p class="muted" role="status">
          {t("core.app.loading")}
        </p>
      </Match>
    </Switch>
  );
}

function SeriesBody(props: { series: Series; user: User; onChanged: (s: Series) => void; refetch: () => void }) {
  const zone = () => props.user.timezone;
  const s = () => props.series;
  const upcoming = () => s().occurrences.filter((o) => o.status === "confirmed" && Date.parse(o.start) > Date.now());
  /** The week that says the series' day and time: the next one to come (a move changes the rest), else the last held. */
  const rule = () => upcoming()[0] ?? s().occurrences.findLast((o) => o.status !== "cancelled") ?? s().occurrences[0];
  /** Weeks at another time for the viewer only because a clock changed (not one moved by hand). */
  const shifted = () => new Set(localShifts(s().occurrences.map((o) => o.start), zone(), { tutorZone: s().tutorZone, reference: rule()?.start }).map((x) => x.start));
  /** A weekly group seat's weeks are missed for want of a group with a seat, a 1:1 week's for the tutor being busy. */
  const group = () => s().occurrences.some((o) => o.kind === "group");
  const skippedTitle = () => (group() ? t("sessions.series.skippedGroup") : t("sessions.series.skipped"));
  const [one, setOne] = createSignal<Booking>();
  const [askRest, setAskRest] = createSignal(false);
  const [askMove, setAskMove] = createSignal(false);
  /** The answer to the last move: the weeks that stayed at their time, and why. */
  const [kept, setKept] = createSignal<KeptWeek[]>();
  const keptWhy = (code: string) =>
    code === "too_late_to_reschedule" || code === "slot_unavailable" || code === "student_busy" || code === "conflict" ? t(`sessions.series.keptWhy.${code}`) : t("sessions.series.keptWhy.fallback");
  const move = async (start: string, key: string) => {
    const next = upcoming()[0];
    if (!next) return;
    const answer = await moveSeries(s().id, next.start, start, key);
    props.onChanged(answer.series);
    setKept(answer.kept);
    setAskMove(false);
  };
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
          <h1>{t("sessions.series.title", { subject: subjectLabel(s().subject) })}</h1>
          <p class="muted">
            {s().tutorName && props.user.role === "student" ? `${t("sessions.item.withTutor", { name: s().tutorName! })} · ` : ""}
            <Show when={rule()}>{(f) => <>{t("sessions.series.every", { day: new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: zone() }).format(Date.parse(f().start)), time: formatTime(f().start, zone()), zone: zoneLabel(zone(), f().start) })}</>}</Show>
            {" · "}
            {formatMinutes(s().durationMinutes)}
          </p>
        </div>
        <Show when={upcoming().length}>
          <div class="row tight">
            <Show when={!group()}>
              <Button variant="secondary" onClick={() => setAskMove(true)} data-testid="move-rest">
                {t("sessions.series.moveRest")}
              </Button>
            </Show>
            <Button variant="secondary" onClick={() => setAskRest(true)} data-testid="cancel-rest">
              {t("sessions.series.cancelRest")}
            </Button>
          </div>
        </Show>
      </div>
      <Show when={s().status !== "active"}>
        <p class="alert info" role="status">
          {s().status === "cancelled" ? t("sessions.series.cancelled") : t("sessions.series.ended")}
        </p>
      </Show>
      <Show when={kept()}>
        {(k) => (
          <div class="alert info" role="status" data-testid="series-moved">
            <p>{t("sessions.series.moved")}</p>
            <Show when={k().length}>
              <p>
                <strong>{t("sessions.series.kept")}</strong>
              </p>
              <ul>
                <For each={k()}>
                  {(w) => (
                    <li data-testid="kept-week">
                      {formatDateTime(w.start, zone())}: {keptWhy(w.code)}
                      <Show when={w.alternatives.length}> · {t("sessions.series.freeThatDay", { times: w.alternatives.map((a) => formatTime(a, zone())).join(", ") })}</Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
      <p class="small muted">{t("sessions.series.policy", { days: SERIES_POLICY.chargeDaysBefore, hours: SERIES_POLICY.releaseHoursBefore })}</p>
      <ol class="session-list plain" aria-label={t("sessions.series.weeks")}>
        <For each={s().occurrences}>
          {(o) => (
            <li class="session" data-booking={o.id} data-status={o.status} data-testid="series-week">
              <div class="session-main">
                <div class="row tight">
                  <A href={`/sessions/${o.id}`}>
                    <strong>{formatDate(o.start, zone())}</strong>
                    {beforeTime()}
                    {formatTime(o.start, zone())}–{formatTime(o.end, zone())}
                  </A>
                  <StatusBadge booking={o} />
                  <Show when={shifted().has(o.start)}>
                    <span class="badge warning" data-testid="dst-shifted">
                      {t("sessions.series.shifted", { usual: formatTime(rule()!.start, zone()) })}
                    </span>
                  </Show>
                </div>
                <Show when={o.status === "confirmed"}>
                  <div class="small muted">{o.paymentDueAt ? t("sessions.series.takenOn", { when: formatDateTime(o.paymentDueAt, zone()) }) : t("sessions.series.paid")}</div>
                </Show>
              </div>
              <Show when={o.status === "confirmed" && Date.parse(o.start) > Date.now()}>
                <Button variant="secondary" onClick={() => setOne(o)} aria-label={`${t("sessions.series.cancelOne")}: ${formatDate(o.start, zone())}`}>
                  {t("sessions.series.cancelOne")}
                </Button>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={s().skipped.length}>
        <section class="card" aria-label={skippedTitle()}>
          <h2>{skippedTitle()}</h2>
          <ul class="stack">
            <For each={s().skipped}>
              {(k) => (
                <li>
                  <strong>{formatDateTime(k.start, zone())}</strong>{" "}
                  <span class="small muted">{k.alternatives.length ? t("sessions.series.freeThatDay", { times: k.alternatives.map((a) => formatTime(a, zone())).join(", ") }) : t(group() ? "sessions.series.noGroupThatDay" : "sessions.series.nothingFree")}</span>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={one()}>
        {(o) => (
          <Dialog open title={t("sessions.series.cancelOneTitle")} onClose={() => setOne()} busy={busy()}>
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
      <Show when={askMove() && upcoming()[0]}>
        {(o) => (
          <Dialog open title={t("sessions.series.moveRestTitle")} onClose={() => setAskMove(false)} busy={busy()}>
            <p class="small">{t("sessions.series.moveRestIntro", { when: formatDateTime(o().start, zone()) })}</p>
            <RescheduleDialogBody booking={o()} zone={zone()} save={move} onClose={() => setAskMove(false)} onPendingChange={setBusy} />
          </Dialog>
        )}
      </Show>
      <Dialog open={askRest()} title={t("sessions.series.cancelRestTitle")} onClose={() => setAskRest(false)} busy={busy()}>
        <div class="stack">
          <p>{t("sessions.series.cancelRestBody", { count: upcoming().length })}</p>
          <ErrorAlert message={rest.error()} />
          <div class="row dialog-actions">
            <Button onClick={() => void rest.run()} pending={rest.pending()} data-testid="confirm-cancel-rest">
              {rest.pending() ? t("sessions.cancel.cancelling") : t("sessions.series.cancelRest")}
            </Button>
            <Button variant="secondary" onClick={() => setAskRest(false)} disabled={rest.pending()}>
              {t("sessions.series.keep")}
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}

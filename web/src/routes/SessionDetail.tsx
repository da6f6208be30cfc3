import { A, useParams } from "@solidjs/router";
import { Match, Show, Switch, createMemo, createSignal } from "solid-js";
import type { CancelCause } from "../../../domain/notifications/messages";
import type { Booking } from "../../../domain/schemas/booking";
import type { User } from "../../../domain/schemas/auth";
import { googleCalendarUrl, outlookCalendarUrl } from "../../../domain/ical/invite";
import { Notice } from "../components/Alert";
import { CancelDialogBody } from "../components/CancelDialog";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { RescheduleDialogBody } from "../components/RescheduleDialog";
import { RescheduleButton } from "../components/RescheduleButton";
import { ReviewPrompt } from "../components/ReviewForm";
import { RebookAfterLesson } from "../components/RebookCard";
import { ContinueWeekly, offersContinuing } from "../components/ContinueWeekly";
import { StatusBadge, dueDay, studentsLine, unpaidUntil } from "../components/SessionItem";
import { type BookingDetail, createBookingDetail, isMissing } from "../features/bookings/detail";
import { createJoinPhase } from "../features/video/joinPhase";
import { offersReview } from "../features/reviews/reviews";
import { messageOf } from "../lib/api";
import { formatCredits, formatMoney, subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { dayOf, formatDateTime, formatMinutes, formatRelative, formatTime, minutesBetween, zoneLabel } from "../lib/time";
import { t, tx } from "../i18n";

/** `/sessions/:id`: one session — when (in your zone), who, status, join, notes, receipt. Links in feeds and emails land here. */
export default function SessionDetail() {
  const params = useParams<{ id: string }>();
  return (
    <Guard>
      <SessionPage id={params.id} user={session.user()!} />
    </Guard>
  );
}

function SessionPage(props: { id: string; user: User }) {
  const { detail, refetch, setBooking } = createBookingDetail(() => props.id);
  return (
    <Switch>
      <Match when={isMissing(detail.error)}>
        <div class="card narrow" data-testid="session-missing">
          <h1>{t("sessions.detail.notFound")}</h1>
          <p class="muted">{t("sessions.detail.notFoundBody")}</p>
          <div class="row">
            <A class="btn" href={props.user.role === "admin" ? "/admin/bookings" : "/sessions"}>
              {props.user.role === "admin" ? t("sessions.detail.allBookings") : t("core.nav.mySessions")}
            </A>
          </div>
        </div>
      </Match>
      <Match when={detail.error}>
        <div class="card narrow">
          <h1>{t("sessions.detail.loadFailed")}</h1>
          <div class="alert error" role="alert">
            {messageOf(detail.error)}
          </div>
          <button type="button" class="btn secondary" onClick={refetch}>
            {t("sessions.detail.retry")}
          </button>
        </div>
      </Match>
      <Match when={detail.latest}>{(d) => <SessionView detail={d()} user={props.user} onChanged={setBooking} />}</Match>
      <Match when={true}>
        <div class="skeleton" style={{ height: "240px" }} role="status" aria-label={t("sessions.detail.loading")} />
      </Match>
    </Switch>
  );
}

function SessionView(props: { detail: BookingDetail; user: User; onChanged: (b: Booking) => void }) {
  const b = () => props.detail.booking;
  const zone = () => props.user.timezone;
  const student = () => props.user.role === "student";
  const join = createJoinPhase(b);
  const upcoming = () => b().status === "confirmed" && Date.parse(b().start) > Date.now();
  const tutorName = () => props.detail.tutor?.name ?? b().tutorName ?? t("sessions.item.yourTutor");
  const title = () => (student() ? t("sessions.detail.titleWith", { subject: subjectLabel(b().subject), name: tutorName() }) : b().kind === "group" ? t("sessions.detail.titleGroup", { subject: subjectLabel(b().subject) }) : subjectLabel(b().subject));
  const [action, setAction] = createSignal<"cancel" | "reschedule">();
  const [busy, setBusy] = createSignal(false);
  const [flash, setFlash] = createSignal<string>();
  const done = (updated: Booking, text: string) => {
    props.onChanged(updated);
    setAction();
    setFlash(text);
  };
  const calendarLinks = createMemo(() => {
    const e = { title: title(), start: Date.parse(b().start), end: Date.parse(b().end), details: t("sessions.detail.calendarDetails", { link: `${location.origin}/sessions/${b().id}` }), location: `${location.origin}/sessions/${b().id}` };
    return { google: googleCalendarUrl(e), outlook: outlookCalendarUrl(e) };
  });
  const otherZone = () => (student() && props.detail.tutor && props.detail.tutor.timezone !== zone() ? props.detail.tutor.timezone : undefined);

  return (
    <div class="stack" data-booking={b().id} data-status={b().status}>
      <div class="page-head">
        <div>
          <p class="small">
            <A href={props.user.role === "admin" ? "/admin/bookings" : "/sessions"}><span class="flip-rtl" aria-hidden="true">←</span> {props.user.role === "admin" ? t("sessions.detail.allBookings") : t("sessions.home.all")}</A>
          </p>
          <h1>{title()}</h1>
          <div class="row tight">
            <StatusBadge booking={b()} />
            <Show when={b().kind === "group"}>
              <span class="badge brand">{t("sessions.item.group")}</span>
            </Show>
            <Show when={b().trial}>
              <span class="badge success">{t("core.trial.badge")}</span>
            </Show>
          </div>
        </div>
        <Show when={join.phase() === "open"}>
          <A class="btn" href={`/sessions/${b().id}/room`} data-join="open">
            {t("sessions.detail.join")}
          </A>
        </Show>
      </div>
      <Notice message={flash()} />
      <div class="detail-layout">
        <section class="card" aria-labelledby="when-title">
          <h2 id="when-title">{t("sessions.detail.when")}</h2>
          <dl class="facts">
            <div>
              <dt>{t("sessions.detail.yourTime")}</dt>
              <dd>
                <strong>{formatDateTime(b().start, zone())}</strong> – {formatTime(b().end, zone())}
                <span class="small muted"> · {zoneLabel(zone(), b().start)}</span>
              </dd>
            </div>
            <Show when={otherZone()}>
              {(z) => (
                <div>
                  <dt>{t("sessions.detail.forName", { name: tutorName() })}</dt>
                  <dd>
                    {formatDateTime(b().start, z())} – {formatTime(b().end, z())}
                    <span class="small muted"> · {zoneLabel(z(), b().start)}</span>
                  </dd>
                </div>
              )}
            </Show>
            <div>
              <dt>{t("sessions.detail.length")}</dt>
              <dd>
                {formatMinutes(minutesBetween(b().start, b().end))}
                <Show when={upcoming()}> · {formatRelative(b().start, zone())}</Show>
              </dd>
            </div>
          </dl>
          <Show when={join.phase() === "before" && b().status === "confirmed"}>
            <p class="small muted" data-join="before">
              {t("sessions.detail.joinOpens", {
                time: dayOf(join.opensAt(), zone()) === dayOf(b().start, zone()) ? formatTime(join.opensAt(), zone()) : formatDateTime(join.opensAt(), zone()),
                minutes: 10,
              })}
            </p>
          </Show>
          <Show when={upcoming()}>
            <div class="row">
              <Show when={b().kind === "one_on_one" && props.user.role !== "admin"}>
                <RescheduleButton start={b().start} role={props.user.role} onClick={() => setAction("reschedule")} />
              </Show>
              <button type="button" class="btn small ghost danger-text" onClick={() => setAction("cancel")}>
                {t("sessions.detail.cancel")}
              </button>
            </div>
            <p class="small">
              {t("sessions.detail.addToCalendar")}{" "}
              <a href={calendarLinks().google} target="_blank" rel="noopener noreferrer">
                Google Calendar
              </a>{" "}
              ·{" "}
              <a href={calendarLinks().outlook} target="_blank" rel="noopener noreferrer">
                Outlook
              </a>
            </p>
          </Show>
        </section>

        <section class="card" aria-labelledby="people-title">
          <h2 id="people-title">{t("sessions.detail.people")}</h2>
          <dl class="facts">
            <div>
              <dt>{t("sessions.detail.tutor")}</dt>
              <dd>
                <Show when={props.user.id !== b().tutorId} fallback={t("sessions.detail.you")}>
                  <A href={`/tutors/${b().tutorId}`}>{tutorName()}</A>
                </Show>
              </dd>
            </div>
            <Show when={!student()}>
              <div>
                <dt>{b().kind === "group" ? t("sessions.detail.students") : t("sessions.detail.student")}</dt>
                <dd data-testid="students">{studentsLine(b(), true)}</dd>
              </div>
            </Show>
          </dl>
        </section>

        <section class="card" aria-labelledby="notes-title">
          <h2 id="notes-title">{t("sessions.detail.notes")}</h2>
          <Switch fallback={<p class="small muted">{b().status === "completed" ? (OUTCOME[b().outcome ?? ""]?.(b()) ?? t("sessions.detail.tookPlace")) : t("sessions.detail.nothingYet")}</p>}>
            <Match when={props.detail.cancellation}>
              {(c) => (
                <p data-testid="cancellation">
                  {c().byMe
                    ? c().at
                      ? t("sessions.detail.cancelledByYouOn", { at: formatDateTime(c().at!, zone()) })
                      : t("sessions.detail.cancelledByYou")
                    : c().at
                      ? tx("sessions.detail.cancelledByOn", { name: <strong>{cancellerName(c())}</strong>, at: formatDateTime(c().at!, zone()) })
                      : tx("sessions.detail.cancelledBy", { name: <strong>{cancellerName(c())}</strong> })}{" "}
                  {c().cause
                    ? t(CAUSE[c().cause!])
                    : c().reason
                      ? t("sessions.detail.reason", { reason: c().reason! })
                      : t("sessions.detail.noReason")}
                </p>
              )}
            </Match>
          </Switch>
          <Show when={student() && offersReview(b())}>
            <ReviewPrompt booking={b()} />
          </Show>
          <Show when={offersContinuing(b(), props.user.role)}>
            <ContinueWeekly booking={b()} tutorName={tutorName()} />
          </Show>
        </section>

        {/* After a trial, "continue weekly" (above) is the offer; after any other lesson, the same time next week. */}
        <Show when={student() && b().status === "completed" && !offersContinuing(b(), props.user.role)}>
          <RebookAfterLesson tutorId={b().tutorId} zone={zone()} />
        </Show>

        <section class="card" aria-labelledby="receipt-title">
          <h2 id="receipt-title">{t("sessions.detail.receipt")}</h2>
          <Receipt detail={props.detail} zone={zone()} />
        </section>
      </div>

      <Show when={action()} keyed>
        {(kind) => (
          <Dialog open title={kind === "cancel" ? t("sessions.page.cancelTitle") : t("sessions.item.reschedule")} onClose={() => setAction()} busy={busy()} wide={kind === "reschedule"}>
            <Show
              when={kind === "cancel"}
              fallback={<RescheduleDialogBody booking={b()} zone={zone()} onClose={() => setAction()} onPendingChange={setBusy} onDone={(u) => done(u, t("sessions.page.moved"))} />}
            >
              <CancelDialogBody booking={b()} zone={zone()} role={props.user.role} onClose={() => setAction()} onPendingChange={setBusy} onDone={(u) => done(u, t("sessions.page.cancelled"))} />
            </Show>
          </Dialog>
        )}
      </Show>
    </div>
  );
}

/**
 * How a finished session went, in the words My sessions uses (sessions.item.*); a session taught as booked has none.
 * (A tutor who did not join cancels the session: its cancellation note says so.)
 */
const OUTCOME: Record<string, (b: Booking) => string> = {
  ended_early: (b) => endedEarlyText(b),
  not_attended: () => t("sessions.item.notAttended"),
  student_no_show: () => t("sessions.item.studentNoShow"),
};

/**
 * An ended-early lesson: after how long, the untaught share refunded. One ended inside its first minute taught no
 * minute at all: every credit went back and nothing was earned (not "after 0 min").
 */
function endedEarlyText(b: Booking): string {
  if (b.taughtMinutes === 0) return t("sessions.item.endedAtOnce");
  return b.taughtMinutes !== undefined ? t("sessions.item.endedEarlyAfter", { time: formatMinutes(b.taughtMinutes) }) : t("sessions.item.endedEarly");
}

/**
 * A tutor's receipt before any earning is on the books: a session still to come earns once taught; one cancelled, that
 * nobody joined, or ended before a minute was taught earns nothing (never "later": no earning is written for it); one
 * taught has its earning on the way (posted just after it ends).
 */
function noEarningYet(b: Booking): string {
  if (b.status === "confirmed") return t("sessions.detail.earnLater");
  const nothingTaught = b.outcome === "ended_early" && b.taughtMinutes === 0;
  if (b.status === "cancelled" || b.outcome === "not_attended" || b.outcome === "tutor_no_show" || nothingTaught) return t("sessions.detail.nothingEarned");
  return t("sessions.detail.earnPending");
}

/** What the viewer paid (credits spent, given back, moved to a replacement) or earned; a week not paid yet, when it will be. */
function Receipt(props: { detail: BookingDetail; zone: string }) {
  return (
    <Switch fallback={<p class="small muted">{t("sessions.detail.noReceipt")}</p>}>
      <Match when={props.detail.receipt?.kind === "student" ? props.detail.receipt : undefined}>
        {(r) => (
          <dl class="facts" data-testid="receipt">
            <Show
              when={unpaidUntil(props.detail.booking)}
              fallback={
                <div>
                  <dt>{t("sessions.detail.paid")}</dt>
                  <dd>{props.detail.booking.freeTrial ? t("sessions.detail.freeTrial") : formatCredits(r().spentMinutes)}</dd>
                </div>
              }
            >
              {(due) => (
                <div data-testid="receipt-unpaid">
                  <dt>{t("sessions.detail.notPaidYet")}</dt>
                  <dd>{t("sessions.detail.dueValue", { amount: formatCredits(props.detail.booking.creditsMinutes), date: dueDay(due(), props.zone) })}</dd>
                </div>
              )}
            </Show>
            {/* A free trial's credit lapses when it comes back: a whole refund gives the trial back, a part gives nothing. */}
            <Show when={r().refundedMinutes && (!props.detail.booking.freeTrial || r().refundedMinutes >= r().spentMinutes)}>
              <div>
                <dt>{t("sessions.detail.refunded")}</dt>
                <dd>{props.detail.booking.freeTrial ? t("sessions.detail.freeTrialBack") : t("sessions.detail.refundedValue", { amount: formatCredits(r().refundedMinutes) })}</dd>
              </div>
            </Show>
            <Show when={r().movedMinutes}>
              <div>
                <dt>{t("sessions.detail.moved")}</dt>
                <dd>{t("sessions.detail.movedValue", { amount: formatCredits(r().movedMinutes) })}</dd>
              </div>
            </Show>
          </dl>
        )}
      </Match>
      <Match when={props.detail.receipt?.kind === "tutor" ? props.detail.receipt : undefined}>
        {(r) => (
          <p data-testid="receipt">
            <Show when={r().earningCents !== null} fallback={<span class="muted">{noEarningYet(props.detail.booking)}</span>}>
              {tx(r().paidOut ? "sessions.detail.earnedPaid" : "sessions.detail.earnedNext", { amount: <strong>{formatMoney(r().earningCents!, r().currency)}</strong> })}
            </Show>
          </p>
        )}
      </Match>
    </Switch>
  );
}

/** Tutorly's own reasons for a cancellation, in the viewer's words (never shown as a reason someone gave). */
const CAUSE = {
  plan_paused: "sessions.detail.cause.planPaused",
  unpaid: "sessions.detail.cause.unpaid",
  student_busy: "sessions.detail.cause.studentBusy",
  tutor_no_show: "sessions.detail.tutorDidNotJoin",
  account_closed: "sessions.detail.cause.accountClosed",
  payment_disputed: "sessions.detail.cause.paymentDisputed",
} as const satisfies Record<CancelCause, string>;

/** Who cancelled, in the viewer's words: support for an admin, the person's own name otherwise. */
const cancellerName = (c: { byName: string; byRole: string }) => (c.byRole === "admin" ? t("sessions.detail.support") : c.byName);

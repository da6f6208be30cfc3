import { A, useParams } from "@solidjs/router";
import { Match, Show, Switch, createMemo, createSignal } from "solid-js";
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
import { ContinueWeekly, offersContinuing } from "../components/ContinueWeekly";
import { StatusBadge, studentsLine } from "../components/SessionItem";
import { type BookingDetail, createBookingDetail, isMissing } from "../features/bookings/detail";
import { t } from "../i18n";
import { createJoinPhase } from "../features/video/joinPhase";
import { messageOf } from "../lib/api";
import { formatCredits, formatMoney, subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { dayOf, formatDateTime, formatMinutes, formatRelative, formatTime, minutesBetween, zoneLabel } from "../lib/time";

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
          <h1>Session not found</h1>
          <p class="muted">There is no session at this address, or it isn't one of yours. Check the link, or find it in your sessions.</p>
          <div class="row">
            <A class="btn" href={props.user.role === "admin" ? "/admin/bookings" : "/sessions"}>
              {props.user.role === "admin" ? "All bookings" : "My sessions"}
            </A>
          </div>
        </div>
      </Match>
      <Match when={detail.error}>
        <div class="card narrow">
          <h1>Couldn't load this session</h1>
          <div class="alert error" role="alert">
            {messageOf(detail.error)}
          </div>
          <button type="button" class="btn secondary" onClick={refetch}>
            Try again
          </button>
        </div>
      </Match>
      <Match when={detail.latest}>{(d) => <SessionView detail={d()} user={props.user} onChanged={setBooking} />}</Match>
      <Match when={true}>
        <div class="skeleton" style={{ height: "240px" }} role="status" aria-label="Loading the session" />
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
  const tutorName = () => props.detail.tutor?.name ?? b().tutorName ?? "your tutor";
  const title = () => (student() ? `${subjectLabel(b().subject)} with ${tutorName()}` : `${subjectLabel(b().subject)}${b().kind === "group" ? " group" : ""}`);
  const [action, setAction] = createSignal<"cancel" | "reschedule">();
  const [busy, setBusy] = createSignal(false);
  const [flash, setFlash] = createSignal<string>();
  const done = (updated: Booking, text: string) => {
    props.onChanged(updated);
    setAction();
    setFlash(text);
  };
  const calendarLinks = createMemo(() => {
    const e = { title: title(), start: Date.parse(b().start), end: Date.parse(b().end), details: `Tutorly session. Join from ${location.origin}/sessions/${b().id}`, location: `${location.origin}/sessions/${b().id}` };
    return { google: googleCalendarUrl(e), outlook: outlookCalendarUrl(e) };
  });
  const otherZone = () => (student() && props.detail.tutor && props.detail.tutor.timezone !== zone() ? props.detail.tutor.timezone : undefined);

  return (
    <div class="stack" data-booking={b().id} data-status={b().status}>
      <div class="page-head">
        <div>
          <p class="small">
            <A href={props.user.role === "admin" ? "/admin/bookings" : "/sessions"}>← {props.user.role === "admin" ? "All bookings" : "All sessions"}</A>
          </p>
          <h1>{title()}</h1>
          <div class="row tight">
            <StatusBadge booking={b()} />
            <Show when={b().kind === "group"}>
              <span class="badge brand">Group</span>
            </Show>
            <Show when={b().trial}>
              <span class="badge success">{t("core.trial.badge")}</span>
            </Show>
          </div>
        </div>
        <Show when={join.phase() === "open"}>
          <A class="btn" href={`/sessions/${b().id}/room`} data-join="open">
            Join the session
          </A>
        </Show>
      </div>
      <Notice message={flash()} />
      <div class="detail-layout">
        <section class="card" aria-labelledby="when-title">
          <h2 id="when-title">When</h2>
          <dl class="facts">
            <div>
              <dt>Your time</dt>
              <dd>
                <strong>{formatDateTime(b().start, zone())}</strong> – {formatTime(b().end, zone())}
                <span class="small muted"> · {zoneLabel(zone(), b().start)}</span>
              </dd>
            </div>
            <Show when={otherZone()}>
              {(z) => (
                <div>
                  <dt>For {tutorName()}</dt>
                  <dd>
                    {formatDateTime(b().start, z())} – {formatTime(b().end, z())}
                    <span class="small muted"> · {zoneLabel(z(), b().start)}</span>
                  </dd>
                </div>
              )}
            </Show>
            <div>
              <dt>Length</dt>
              <dd>
                {formatMinutes(minutesBetween(b().start, b().end))}
                <Show when={upcoming()}> · {formatRelative(b().start, zone())}</Show>
              </dd>
            </div>
          </dl>
          <Show when={join.phase() === "before" && b().status === "confirmed"}>
            <p class="small muted" data-join="before">
              Join opens at {dayOf(join.opensAt(), zone()) === dayOf(b().start, zone()) ? formatTime(join.opensAt(), zone()) : formatDateTime(join.opensAt(), zone())}, 10 minutes before the start.
            </p>
          </Show>
          <Show when={upcoming()}>
            <div class="row">
              <Show when={b().kind === "one_on_one" && props.user.role !== "admin"}>
                <RescheduleButton start={b().start} role={props.user.role} onClick={() => setAction("reschedule")} />
              </Show>
              <button type="button" class="btn small ghost danger-text" onClick={() => setAction("cancel")}>
                Cancel session
              </button>
            </div>
            <p class="small">
              Add to your calendar:{" "}
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
          <h2 id="people-title">People</h2>
          <dl class="facts">
            <div>
              <dt>Tutor</dt>
              <dd>
                <Show when={props.user.id !== b().tutorId} fallback="You">
                  <A href={`/tutors/${b().tutorId}`}>{tutorName()}</A>
                </Show>
              </dd>
            </div>
            <Show when={!student()}>
              <div>
                <dt>{b().kind === "group" ? "Students" : "Student"}</dt>
                <dd data-testid="students">{studentsLine(b()).replace(/^with /, "")}</dd>
              </div>
            </Show>
          </dl>
        </section>

        <section class="card" aria-labelledby="notes-title">
          <h2 id="notes-title">Notes</h2>
          <Switch fallback={<p class="small muted">{b().status === "completed" ? "This session took place." : "Nothing to note yet."}</p>}>
            <Match when={props.detail.cancellation}>
              {(c) => (
                <p data-testid="cancellation">
                  Cancelled by <strong>{c().byName}</strong>
                  {c().at ? ` on ${formatDateTime(c().at!, zone())}` : ""}.{c().reason ? ` Reason given: “${c().reason}”.` : " No reason was given."}
                </p>
              )}
            </Match>
          </Switch>
          <Show when={student() && b().status === "completed" && !b().reviewed}>
            <ReviewPrompt booking={b()} />
          </Show>
          <Show when={offersContinuing(b(), props.user.role)}>
            <ContinueWeekly booking={b()} tutorName={tutorName()} />
          </Show>
        </section>

        <section class="card" aria-labelledby="receipt-title">
          <h2 id="receipt-title">Receipt</h2>
          <Receipt detail={props.detail} />
        </section>
      </div>

      <Show when={action()} keyed>
        {(kind) => (
          <Dialog open title={kind === "cancel" ? "Cancel this session?" : "Reschedule"} onClose={() => setAction()} busy={busy()} wide={kind === "reschedule"}>
            <Show
              when={kind === "cancel"}
              fallback={<RescheduleDialogBody booking={b()} zone={zone()} onClose={() => setAction()} onPendingChange={setBusy} onDone={(u) => done(u, "Session moved.")} />}
            >
              <CancelDialogBody booking={b()} zone={zone()} role={props.user.role} onClose={() => setAction()} onPendingChange={setBusy} onDone={(u) => done(u, "Session cancelled.")} />
            </Show>
          </Dialog>
        )}
      </Show>
    </div>
  );
}

/** What the viewer paid (credits spent, given back, moved to a replacement) or earned. */
function Receipt(props: { detail: BookingDetail }) {
  return (
    <Switch fallback={<p class="small muted">No receipt for this view.</p>}>
      <Match when={props.detail.receipt?.kind === "student" ? props.detail.receipt : undefined}>
        {(r) => (
          <dl class="facts" data-testid="receipt">
            <div>
              <dt>Paid</dt>
              <dd>{formatCredits(r().spentMinutes)}</dd>
            </div>
            <Show when={r().refundedMinutes}>
              <div>
                <dt>Refunded</dt>
                <dd>{formatCredits(r().refundedMinutes)}, back in your balance</dd>
              </div>
            </Show>
            <Show when={r().movedMinutes}>
              <div>
                <dt>Moved</dt>
                <dd>{formatCredits(r().movedMinutes)} paid your replacement session</dd>
              </div>
            </Show>
          </dl>
        )}
      </Match>
      <Match when={props.detail.receipt?.kind === "tutor" ? props.detail.receipt : undefined}>
        {(r) => (
          <p data-testid="receipt">
            <Show when={r().earningCents !== null} fallback={<span class="muted">You earn for this session once it has taken place.</span>}>
              You earned <strong>{formatMoney(r().earningCents!, r().currency)}</strong>
              {r().paidOut ? ", paid out." : ", in your next payout."}
            </Show>
          </p>
        )}
      </Match>
    </Switch>
  );
}

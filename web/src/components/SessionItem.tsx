import { seriesOfBookingId } from "../../../domain/bookingIds";
import { A } from "@solidjs/router";
import { type JSX, Show, children } from "solid-js";
import type { Role } from "../../../domain/schemas/common";
import type { Booking } from "../../../domain/schemas/booking";
import { createJoinPhase } from "../features/video/joinPhase";
import { MessageButton } from "./MessageButton";
import { RescheduleButton } from "./RescheduleButton";
import { formatCredits, formatMoney, subjectLabel } from "../lib/format";
import { dayOf, formatDay, formatDateTime, formatMonthDay, formatRelative, formatTime, formatTimeRange, formatWeekday, minutesBetween, formatMinutes } from "../lib/time";
import { t, tx } from "../i18n";

const TONE: Record<Booking["status"], string> = { confirmed: "success", cancelled: "danger", completed: "" };

/** How a finished session was settled from its attendance, when it was not simply taught as booked. */
const OUTCOME: Record<string, (b: Booking) => string> = {
  ended_early: (b) => (b.taughtMinutes === 0 ? t("sessions.item.endedAtOnce") : b.taughtMinutes !== undefined ? t("sessions.item.endedEarlyAfter", { time: formatMinutes(b.taughtMinutes) }) : t("sessions.item.endedEarly")),
  not_attended: () => t("sessions.item.notAttended"),
  student_no_show: () => t("sessions.item.studentNoShow"),
};

/**
 * Who a tutor teaches in a session: "with Maya Lopez", "Group: Maya Lopez, Leo Rossi · 2 of 4 seats taken". A
 * cancelled session names the students it had when it was cancelled (not those who had left before), and a group
 * counts them as its seats taken then, as the calendar feed does.
 */
export function studentsLine(b: Booking, bare = false): string {
  const cancelled = b.status === "cancelled";
  const seated = (b.participants ?? []).filter((p) => (cancelled ? !p.left : p.status === "confirmed"));
  const names = seated.map((p) => p.name ?? t("sessions.item.aStudent"));
  if (b.kind === "group") return t("sessions.item.groupLine", { names: names.join(", ") || t("sessions.item.noStudentsYet"), taken: cancelled ? seated.length : b.seatsTaken, count: b.seats });
  return names.length ? (bare ? names.join(", ") : t("sessions.item.withNames", { names: names.join(", ") })) : t("sessions.item.noStudent");
}

/**
 * When a week of a series not paid yet will have its credits taken (absent once paid, or for a single lesson): until
 * then nothing is spent, so nothing comes back if it is cancelled.
 */
export const unpaidUntil = (b: Booking): string | undefined => (b.status === "confirmed" && b.paymentDueAt ? b.paymentDueAt : undefined);

/** "Tue, Dec 15": the day a week's credits are taken, in the viewer's zone. */
export const dueDay = (at: string, zone: string) => formatDay(dayOf(at, zone));

export function StatusBadge(props: { booking: Booking }) {
  const ended = () => props.booking.status === "confirmed" && Date.parse(props.booking.end) <= Date.now();
  return <span class={`badge ${ended() ? "" : TONE[props.booking.status]}`}>{ended() ? t("sessions.status.ended") : t(`sessions.status.${props.booking.status}`)}</span>;
}

/**
 * One session as a row: date block, time in the viewer's zone, who and what, status, actions. While its room is
 * open (domain/video/window.ts) it has a Join link; before, a line says when Join opens; cancelled, completed or
 * past the window, neither.
 */
export function SessionItem(props: { booking: Booking; zone: string; role: Role; onCancel?: () => void; onReschedule?: () => void; children?: JSX.Element }) {
  const b = () => props.booking;
  const extra = children(() => props.children);
  const day = () => dayOf(b().start, props.zone);
  const upcoming = () => b().status === "confirmed" && Date.parse(b().start) > Date.now();
  const join = createJoinPhase(b);
  const what = () => t("sessions.item.what", { subject: subjectLabel(b().subject), day: formatMonthDay(day()) });
  const changeable = () => upcoming() && (props.onCancel || props.onReschedule);
  /** The opening time, with the date when that is not the session's day (a session just after midnight). */
  const opensAt = () => {
    const at = join.opensAt();
    return dayOf(at, props.zone) === day() ? formatTime(at, props.zone) : formatDateTime(at, props.zone);
  };
  /** Who the caller can write to about this session: the tutor, or (for a tutor) the student of a 1:1. */
  const writeTo = () => (props.role === "student" ? { tutorId: b().tutorId } : props.role === "tutor" && b().kind === "one_on_one" && b().studentIds[0] ? { studentId: b().studentIds[0]! } : undefined);
  /** What it costs the student: a week not paid yet says when it will be taken, not as if it were spent. */
  const cost = () => {
    const due = unpaidUntil(b());
    if (b().freeTrial) return t("sessions.item.freeTrial");
    return due ? t("sessions.item.dueOn", { amount: formatCredits(b().creditsMinutes), date: dueDay(due, props.zone) }) : formatCredits(b().creditsMinutes);
  };
  /**
   * What the tutor earns. A week not paid yet has earned nothing so far, and what it will earn is fixed only when the
   * student's credits are taken (from the lots they are taken from), so it says when that is rather than an amount.
   */
  const earning = () => {
    const due = unpaidUntil(b());
    return due ? t("sessions.item.earnsOncePaid", { date: dueDay(due, props.zone) }) : t("sessions.item.earns", { amount: formatMoney(b().tutorEarningCents ?? 0) });
  };
  const who = () => {
    if (props.role === "student") return b().tutorName ?? t("sessions.item.yourTutor");
    return studentsLine(b());
  };
  return (
    <li class="session" data-booking={b().id} data-status={b().status} data-start={b().start}>
      <div class="date-block" aria-hidden="true">
        <span class="wd">{formatWeekday(day())}</span>
        <span class="md">{formatMonthDay(day())}</span>
      </div>
      <div class="session-main">
        <div class="row tight">
          <A href={`/sessions/${b().id}`} class="session-title" aria-label={t("sessions.item.details", { what: what() })}>
            <strong>{subjectLabel(b().subject)}</strong>
          </A>
          <StatusBadge booking={b()} />
          <Show when={b().kind === "group"}>
            <span class="badge brand">{t("sessions.item.group")}</span>
          </Show>
          <Show when={b().source === "calendly"}>
            <span class="badge">Calendly</span>
          </Show>
          <Show when={b().trial}>
            <span class="badge success">{t("core.trial.badge")}</span>
          </Show>
          <Show when={seriesOfBookingId(b().id)}>
            {(id) => (
              <A href={`/series/${id()}`} class="badge brand" aria-label={t("sessions.item.weeklyLabel", { what: what() })}>
                {t("sessions.item.weekly")}
              </A>
            )}
          </Show>
        </div>
        <div class="small">
          <span class="sr-only">{formatWeekday(day())} {formatMonthDay(day())}, </span>
          {formatTimeRange(b().start, b().end, props.zone)} · {formatMinutes(minutesBetween(b().start, b().end))}
          <Show when={upcoming()}>
            <span class="muted"> · {formatRelative(b().start, props.zone)}</span>
          </Show>
        </div>
        <div class="small muted">
          <Show when={props.role === "student"} fallback={who()}>
            {/* Isolated, so a Latin name and an amount's digits keep their order inside an Arabic line. */}
            {tx("sessions.item.withTutor", { name: <bdi><A href={`/tutors/${b().tutorId}`}>{who()}</A></bdi> })}
            {/* What it costs; a cancelled one's receipt (its page) says what came back. */}
            <Show when={b().creditsMinutes && b().status !== "cancelled"}>
              {" · "}
              <bdi data-testid="session-cost" data-unpaid={unpaidUntil(b()) ? "" : undefined}>
                {cost()}
              </bdi>
            </Show>
          </Show>
          <Show when={props.role !== "student" && b().tutorEarningCents !== undefined && b().status !== "cancelled"}>
            {" · "}
            <span data-testid="session-earning" data-unpaid={unpaidUntil(b()) ? "" : undefined}>
              {earning()}
            </span>
          </Show>
        </div>
        <Show when={OUTCOME[b().outcome ?? ""]}>
          {(text) => <div class="small muted">{text()(b())}</div>}
        </Show>
        <Show when={join.phase() === "before"}>
          <div class="small muted" data-join="before">
            {t("sessions.item.joinOpens", { time: opensAt() })}
          </div>
        </Show>
      </div>
      <Show when={join.phase() === "open" || changeable() || writeTo()}>
        <div class="session-actions">
          <Show when={join.phase() === "open"}>
            <A class="btn small" href={`/sessions/${b().id}/room`} aria-label={t("sessions.item.joinWhat", { what: what() })} data-join="open">
              {t("sessions.item.join")}
            </A>
          </Show>
          <Show when={changeable() && props.onReschedule && b().kind === "one_on_one"}>
            <RescheduleButton start={b().start} role={props.role} ariaLabel={t("sessions.item.rescheduleWhat", { what: what() })} onClick={() => props.onReschedule?.()} />
          </Show>
          <Show when={writeTo()}>
            {(to) => <MessageButton to={to()} small variant="ghost" label={t("sessions.item.message")} ariaLabel={props.role === "student" ? t("sessions.item.messageWho", { name: who() }) : t("sessions.item.messageStudentOf", { what: what() })} />}
          </Show>
          <Show when={changeable() && props.onCancel}>
            <button type="button" class="btn small ghost danger-text" onClick={props.onCancel} aria-label={t("sessions.item.cancelWhat", { what: what() })}>
              {t("sessions.item.cancel")}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={extra()}>
        <div class="session-extra">{extra()}</div>
      </Show>
    </li>
  );
}

import { Match, Show, Switch, createSignal } from "solid-js";
import { POLICY, studentCancellationRefunds } from "../../../domain/credits/policy";
import type { Booking } from "../../../domain/schemas/booking";
import type { Role } from "../../../domain/schemas/common";
import { bookingErrorText, cancelBooking, newIdempotencyKey } from "../features/bookings/bookings";
import { formatCredits, subjectLabel } from "../lib/format";
import { formatDateTime, formatMinutes } from "../lib/time";
import { createAction } from "../lib/action";
import { DialogActions } from "./DialogActions";
import { dueDay, unpaidUntil } from "./SessionItem";
import { t, tx } from "../i18n";

/**
 * Confirms a cancellation and says up front whether credits come back (POLICY.studentRefundHours). A week of a series
 * not paid yet has taken nothing: cancelling it takes nothing and gives nothing back, whatever the hour.
 */
export function CancelDialogBody(props: { booking: Booking; zone: string; role: Role; onDone: (b: Booking) => void; onClose: () => void; onPendingChange: (p: boolean) => void }) {
  const [reason, setReason] = createSignal("");
  const key = newIdempotencyKey();
  const refunds = () => props.role !== "student" || studentCancellationRefunds(Date.parse(props.booking.start), Date.now());
  const cancel = createAction(async () => props.onDone(await cancelBooking(props.booking.id, key, reason().trim() || undefined)), {
    errorText: bookingErrorText,
    onPendingChange: props.onPendingChange,
  });
  return (
    <div class="stack">
      <p>
        {props.booking.tutorName && props.role === "student"
          ? tx("sessions.cancel.whatWith", { subject: <strong>{subjectLabel(props.booking.subject)}</strong>, name: props.booking.tutorName, when: formatDateTime(props.booking.start, props.zone) })
          : tx("sessions.cancel.what", { subject: <strong>{subjectLabel(props.booking.subject)}</strong>, when: formatDateTime(props.booking.start, props.zone) })}
      </p>
      <Show
        when={props.role === "student"}
        fallback={
          <div class="alert info" role="note">
            {props.booking.kind === "group" ? t("sessions.cancel.tutorGroup") : unpaidUntil(props.booking) ? t("sessions.cancel.tutorUnpaid") : t("sessions.cancel.tutorOne")}
          </div>
        }
      >
        <div class={`alert ${unpaidUntil(props.booking) ? "info" : refunds() ? "success" : "warning"}`} role="note" data-refund={unpaidUntil(props.booking) ? "unpaid" : refunds() ? "full" : "none"}>
          <Switch>
            <Match when={unpaidUntil(props.booking)}>
              {(due) => tx("sessions.cancel.unpaid", { amount: formatCredits(props.booking.creditsMinutes), date: dueDay(due(), props.zone), nothing: <strong>{t("sessions.cancel.unpaidNothing")}</strong> })}
            </Match>
            {/* The free plan's trial cost the student nothing: what comes back (or not) is the trial itself. */}
            <Match when={props.booking.freeTrial && refunds()}>{tx("sessions.cancel.freeTrialEarly", { hours: POLICY.studentRefundHours, back: <strong>{t("sessions.cancel.freeTrialBack")}</strong> })}</Match>
            <Match when={props.booking.freeTrial}>{tx("sessions.cancel.freeTrialLate", { hours: POLICY.studentRefundHours, counts: <strong>{t("sessions.cancel.freeTrialCounts")}</strong> })}</Match>
            <Match when={refunds()}>{tx("sessions.cancel.early", { hours: POLICY.studentRefundHours, back: <strong>{t("sessions.cancel.comesBack", { amount: formatCredits(props.booking.creditsMinutes) })}</strong> })}</Match>
            <Match when={true}>
              {tx("sessions.cancel.late", { hours: POLICY.studentRefundHours, amount: formatCredits(props.booking.creditsMinutes), notRefunded: <strong>{t("sessions.cancel.notRefunded")}</strong> })}
            </Match>
          </Switch>
        </div>
      </Show>
      <div class="field">
        <label for="cancel-reason">{t("sessions.cancel.reason")}</label>
        <textarea id="cancel-reason" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} placeholder={t("sessions.cancel.reasonPlaceholder")} />
      </div>
      <DialogActions
        pending={cancel.pending()}
        error={cancel.error()}
        danger
        confirm={cancel.pending() ? t("sessions.cancel.cancelling") : t("sessions.detail.cancel")}
        onConfirm={cancel.run}
        back={t("sessions.cancel.keep")}
        onBack={props.onClose}
        focusBack
      />
    </div>
  );
}

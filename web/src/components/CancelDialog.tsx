import { Show, createSignal } from "solid-js";
import { POLICY, studentCancellationRefunds } from "../../../domain/credits/policy";
import type { Booking } from "../../../domain/schemas/booking";
import type { Role } from "../../../domain/schemas/common";
import { bookingErrorText, cancelBooking, newIdempotencyKey } from "../features/bookings/bookings";
import { formatCredits, subjectLabel } from "../lib/format";
import { formatDateTime, formatMinutes } from "../lib/time";
import { createAction } from "../lib/action";
import { DialogActions } from "./DialogActions";

/** Confirms a cancellation and says up front whether credits come back (POLICY.studentRefundHours). */
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
        <strong>{subjectLabel(props.booking.subject)}</strong>
        {props.booking.tutorName && props.role === "student" ? ` with ${props.booking.tutorName}` : ""}, {formatDateTime(props.booking.start, props.zone)}.
      </p>
      <Show
        when={props.role === "student"}
        fallback={
          <div class="alert info" role="note">
            {props.booking.kind === "group" ? "Every student in this group" : "Your student"} gets their credits back in full and is told at once. Late cancellations count against
            your reliability score.
          </div>
        }
      >
        <div class={`alert ${refunds() ? "success" : "warning"}`} role="note" data-refund={refunds() ? "full" : "none"}>
          <Show
            when={refunds()}
            fallback={
              <>
                It starts in less than {POLICY.studentRefundHours} hours, so the {formatCredits(props.booking.creditsMinutes)} <strong>won't be refunded</strong>.
              </>
            }
          >
            You're cancelling at least {POLICY.studentRefundHours} hours ahead: <strong>{formatCredits(props.booking.creditsMinutes)} comes back</strong> in full.
          </Show>
        </div>
      </Show>
      <div class="field">
        <label for="cancel-reason">Reason (optional)</label>
        <textarea id="cancel-reason" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} placeholder="Let them know why" />
      </div>
      <DialogActions
        pending={cancel.pending()}
        error={cancel.error()}
        danger
        confirm={cancel.pending() ? "Cancelling…" : "Cancel session"}
        onConfirm={cancel.run}
        back="Keep it"
        onBack={props.onClose}
        focusBack
      />
    </div>
  );
}

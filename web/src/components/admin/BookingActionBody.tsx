import { For, Show, createSignal } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { refundSeat } from "../../features/admin/admin";
import { cancelBooking, keyPerRequest } from "../../features/bookings/bookings";
import { createAction } from "../../lib/action";
import { subjectLabel } from "../../lib/format";
import { formatDateTime } from "../../lib/time";
import { DialogActions } from "../DialogActions";

/** An admin's action on one booking: cancel it (everyone refunded) or refund one student's seat, with a reason. */
export function BookingActionBody(props: {
  kind: "cancel" | "refund";
  booking: Booking;
  zone: string;
  names: Map<string, string>;
  onDone: (text: string, updated?: Booking) => void;
  onClose: () => void;
  onPendingChange: (p: boolean) => void;
}) {
  const b = props.booking;
  // Every student who held a seat, also of a cancelled booking (the server keeps them as participants).
  const choices = (b.participants ?? []).map((p) => ({
    id: p.studentId,
    name: `${props.names.get(p.studentId) ?? "Student"}${p.status === "cancelled" && b.status !== "cancelled" ? " (cancelled their seat)" : ""}`,
  }));
  const [studentId, setStudentId] = createSignal(choices.length === 1 ? choices[0]!.id : "");
  const [reason, setReason] = createSignal("");
  const keys = keyPerRequest();
  const act = createAction(
    async () => {
      const why = reason().trim();
      if (props.kind === "cancel") {
        const updated = await cancelBooking(b.id, keys.for(why), why || undefined);
        props.onDone(`Cancelled ${subjectLabel(b.subject)} on ${formatDateTime(b.start, props.zone)}; students got their credits back.`, updated);
      } else {
        await refundSeat(b.id, studentId(), why, keys.for([studentId(), why]));
        props.onDone(`Refunded ${props.names.get(studentId()) ?? "the student"}'s seat of ${subjectLabel(b.subject)} on ${formatDateTime(b.start, props.zone)}.`);
      }
    },
    { onPendingChange: props.onPendingChange },
  );
  const submit = (e: Event) => {
    e.preventDefault();
    if (props.kind === "refund" && !studentId()) return act.setError("Choose the student to refund.");
    if (props.kind === "refund" && reason().trim().length < 3) return act.setError("Say why (at least 3 characters); it goes in the ledger.");
    void act.run();
  };

  return (
    <form class="stack" onSubmit={submit}>
      <p>
        <strong>{subjectLabel(b.subject)}</strong> with {b.tutorName ?? "the tutor"}, {formatDateTime(b.start, props.zone)}.
      </p>
      <Show
        when={props.kind === "refund"}
        fallback={
          <div class="alert info" role="note">
            An admin cancellation refunds every student in full and tells them at once.
          </div>
        }
      >
        <div class="field">
          <label for="refund-student">Student</label>
          <select id="refund-student" value={studentId()} onChange={(e) => setStudentId(e.currentTarget.value)} aria-describedby={choices.length ? undefined : "refund-student-hint"}>
            <option value="">{choices.length ? "Choose…" : "No students"}</option>
            <For each={choices}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
          <Show when={!choices.length}>
            <span class="hint" id="refund-student-hint">
              Nobody held a seat in this booking, so there is no seat to refund.
            </span>
          </Show>
        </div>
      </Show>
      <div class="field">
        <label for="admin-reason">Reason{props.kind === "cancel" ? " (optional)" : ""}</label>
        <textarea id="admin-reason" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} placeholder={props.kind === "refund" ? "e.g. tutor didn't show up" : "Shown to the tutor and students"} />
      </div>
      <DialogActions
        pending={act.pending()}
        error={act.error()}
        danger={props.kind === "cancel"}
        confirm={props.kind === "cancel" ? (act.pending() ? "Cancelling…" : "Cancel and refund") : act.pending() ? "Refunding…" : "Refund seat"}
        back="Back"
        onBack={props.onClose}
      />
    </form>
  );
}

import { For, Show, createSignal } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { refundSeat } from "../../features/admin/admin";
import { cancelBooking, newIdempotencyKey } from "../../features/bookings/bookings";
import { messageOf } from "../../lib/api";
import { subjectLabel } from "../../lib/format";
import { formatDateTime } from "../../lib/time";
import { Button, ErrorAlert } from "../Button";

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
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  // A retry of the same request reuses its key; a changed request (other student, other reason) gets a new one.
  let key = newIdempotencyKey();
  let last = "";
  const keyFor = (body: string) => {
    if (last && body !== last) key = newIdempotencyKey();
    last = body;
    return key;
  };

  const run = async (e: Event) => {
    e.preventDefault();
    if (props.kind === "refund" && !studentId()) return setError("Choose the student to refund.");
    if (props.kind === "refund" && reason().trim().length < 3) return setError("Say why (at least 3 characters); it goes in the ledger.");
    setPending(true);
    props.onPendingChange(true);
    setError(undefined);
    try {
      if (props.kind === "cancel") {
        const updated = await cancelBooking(b.id, keyFor(reason().trim()), reason().trim() || undefined);
        props.onDone(`Cancelled ${subjectLabel(b.subject)} on ${formatDateTime(b.start, props.zone)}; students got their credits back.`, updated);
      } else {
        await refundSeat(b.id, studentId(), reason().trim(), keyFor(`${studentId()}|${reason().trim()}`));
        props.onDone(`Refunded ${props.names.get(studentId()) ?? "the student"}'s seat of ${subjectLabel(b.subject)} on ${formatDateTime(b.start, props.zone)}.`);
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPending(false);
      props.onPendingChange(false);
    }
  };

  return (
    <form class="stack" onSubmit={run}>
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
      <ErrorAlert message={error()} />
      <div class="row dialog-actions">
        <Button type="submit" variant={props.kind === "cancel" ? "danger" : undefined} pending={pending()}>
          {props.kind === "cancel" ? (pending() ? "Cancelling…" : "Cancel and refund") : pending() ? "Refunding…" : "Refund seat"}
        </Button>
        <Button type="button" variant="secondary" onClick={props.onClose} disabled={pending()}>
          Back
        </Button>
      </div>
    </form>
  );
}

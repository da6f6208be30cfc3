import { For, Show, createSignal } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { refundSeat } from "../../features/admin/admin";
import { cancelBooking, keyPerRequest } from "../../features/bookings/bookings";
import { createAction } from "../../lib/action";
import { subjectLabel } from "../../lib/format";
import { formatDateTimeYear } from "./dates";
import { DialogActions } from "../DialogActions";
import { t, tx } from "../../i18n";
import type { SeatRefund } from "../../../../domain/schemas/refund";
import { A } from "@solidjs/router";
import { formatMinutes } from "../../lib/time";

/** A refund that gave credit back, said as it happened: how much, and how much of it was taken again or is on hold. */
function refundedText(r: Extract<SeatRefund, { outcome: "refunded" }>, name: string): string {
  const minutes = formatMinutes(r.minutes);
  const main = r.takenBackMinutes
    ? t("admin.refund.takenBack", { minutes, name, taken: formatMinutes(r.takenBackMinutes), kept: formatMinutes(r.minutes - r.takenBackMinutes) })
    : t("admin.refund.done", { minutes, name });
  return r.onHoldMinutes ? `${main} ${t("admin.refund.onHold", { minutes: formatMinutes(r.onHoldMinutes) })}` : main;
}

/** A replacement by a cheaper tutor: what paid for it, and where the difference went (the balance, or lapsed with a free trial). */
function differenceText(r: Extract<SeatRefund, { outcome: "moved" }>, name: string): string {
  const moved = formatMinutes(r.minutes);
  if (r.refundedMinutes) return ` ${t("admin.refund.movedDifference", { moved, back: formatMinutes(r.refundedMinutes), name })}`;
  if (r.lapsedMinutes) return ` ${t("admin.refund.movedLapsed", { moved, lapsed: formatMinutes(r.lapsedMinutes) })}`;
  return "";
}

/** Why nothing was refunded: already refunded (when, how much), moved to a replacement tutor (which session), or nothing spent. */
function RefundRefused(props: { refund: Exclude<SeatRefund, { outcome: "refunded" }>; name: string; zone: string }) {
  const text = () => {
    const r = props.refund;
    switch (r.outcome) {
      case "already_refunded":
        return t("admin.refund.already", { minutes: formatMinutes(r.minutes), name: props.name, date: formatDateTimeYear(r.at, props.zone) });
      case "moved": {
        const main = r.replacement?.start
          ? t("admin.refund.moved", { name: props.name, tutor: r.replacement.tutorName ?? t("admin.refund.anotherTutor"), date: formatDateTimeYear(r.replacement.start, props.zone) })
          : t("admin.refund.movedSomewhere", { name: props.name });
        return `${main}${differenceText(r, props.name)}`;
      }
      case "nothing_spent":
        return t("admin.refund.nothing");
    }
  };
  const replacement = () => (props.refund.outcome === "moved" ? props.refund.replacement : null);
  return (
    <div class="alert warning" role="status" data-testid="refund-refused" data-outcome={props.refund.outcome}>
      <strong>{t("admin.refund.stateTitle")}</strong>
      <p>{text()}</p>
      <Show when={replacement()}>{(r) => <A href={`/sessions/${r().sessionId}`}>{t("admin.refund.openReplacement")}</A>}</Show>
    </div>
  );
}

/**
 * An admin's action on one booking: cancel it (everyone refunded) or refund one student's seat, with a reason. A seat
 * of a session that took place is refunded by the platform: the tutor keeps the earning, and the dialog says so.
 */
export function BookingActionBody(props: {
  kind: "cancel" | "refund";
  booking: Booking;
  zone: string;
  names: Map<string, string>;
  onDone: (text: string, updated?: Booking, refund?: SeatRefund) => void;
  onClose: () => void;
  onPendingChange: (p: boolean) => void;
}) {
  const b = props.booking;
  // Every student who held a seat, also of a cancelled booking (the server keeps them as participants).
  const choices = (b.participants ?? []).map((p) => ({
    id: p.studentId,
    name: `${props.names.get(p.studentId) ?? t("admin.bookings.student")}${p.status === "cancelled" && b.status !== "cancelled" ? t("admin.action.cancelledSeat") : ""}`,
  }));
  const [studentId, setStudentId] = createSignal(choices.length === 1 ? choices[0]!.id : "");
  const [reason, setReason] = createSignal("");
  // What the server said when it gave nothing back: shown here instead of a success.
  const [refused, setRefused] = createSignal<Exclude<SeatRefund, { outcome: "refunded" }>>();
  const keys = keyPerRequest();
  const act = createAction(
    async () => {
      const why = reason().trim();
      if (props.kind === "cancel") {
        const updated = await cancelBooking(b.id, keys.for(why), why || undefined);
        props.onDone(t("admin.action.cancelled", { subject: subjectLabel(b.subject), date: formatDateTimeYear(b.start, props.zone) }), updated);
      } else {
        const done = await refundSeat(b.id, studentId(), why, keys.for([studentId(), why]));
        const name = props.names.get(studentId()) ?? t("admin.credits.theStudent");
        if (done.outcome === "refunded") props.onDone(refundedText(done, name), undefined, done);
        else setRefused(done);
      }
    },
    { onPendingChange: props.onPendingChange },
  );
  const submit = (e: Event) => {
    e.preventDefault();
    if (props.kind === "refund" && !studentId()) return act.setError(t("admin.action.chooseStudent"));
    if (props.kind === "refund" && reason().trim().length < 3) return act.setError(t("admin.credits.reasonError"));
    void act.run();
  };

  return (
    <form class="stack" onSubmit={submit}>
      <p>
        {tx("admin.action.summary", { subject: <strong>{subjectLabel(b.subject)}</strong>, tutor: b.tutorName ?? t("admin.action.theTutor"), date: formatDateTimeYear(b.start, props.zone) })}
      </p>
      <Show
        when={props.kind === "refund"}
        fallback={
          <div class="alert info" role="note">
            {t("admin.action.cancelNote")}
          </div>
        }
      >
        <div class="field">
          <label for="refund-student">{t("admin.bookings.student")}</label>
          <select id="refund-student" value={studentId()} onChange={(e) => setStudentId(e.currentTarget.value)} aria-describedby={choices.length ? undefined : "refund-student-hint"}>
            <option value="">{choices.length ? t("admin.action.choose") : t("admin.action.noStudents")}</option>
            <For each={choices}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
          <Show when={!choices.length}>
            <span class="hint" id="refund-student-hint">
              {t("admin.action.noSeat")}
            </span>
          </Show>
        </div>
        <Show when={b.status === "completed"}>
          <div class="alert info" role="note">
            {t("admin.action.refundTaught")}
          </div>
        </Show>
      </Show>
      <div class="field">
        <label for="admin-reason">{props.kind === "cancel" ? t("admin.action.reasonOptional") : t("admin.credits.reason")}</label>
        <textarea id="admin-reason" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} placeholder={props.kind === "refund" ? t("admin.action.refundPlaceholder") : t("admin.action.cancelPlaceholder")} />
      </div>
      <Show when={refused()}>
        {(r) => <RefundRefused refund={r()} name={props.names.get(studentId()) ?? t("admin.credits.theStudent")} zone={props.zone} />}
      </Show>
      <DialogActions
        pending={act.pending()}
        error={act.error()}
        danger={props.kind === "cancel"}
        confirm={props.kind === "cancel" ? (act.pending() ? t("admin.action.cancelling") : t("admin.action.cancelRefund")) : act.pending() ? t("admin.action.refunding") : t("admin.action.refundSeat")}
        back={t("admin.action.back")}
        onBack={props.onClose}
      />
    </form>
  );
}

import { Show, createSignal } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import { bookingErrorText, newIdempotencyKey, rescheduleBooking } from "../features/bookings/bookings";
import { createLiveSlots } from "../features/tutors/liveSlots";
import { createAction } from "../lib/action";
import { ApiFailure } from "../lib/api";
import { subjectLabel } from "../lib/format";
import { addDays, dayOf, formatDateTime, formatTime, minutesBetween, mondayOf, startOfDay, zoneLabel } from "../lib/time";
import { Button } from "./Button";
import { ErrorAlert } from "./Alert";
import { isDuration } from "./DurationPicker";
import { WeekNav } from "./WeekNav";
import { type SlotLike, WeekSlots } from "./WeekSlots";
import { focusOnMount } from "./BookingDialog";
import { t, tx } from "../i18n";
import { session } from "../lib/session";

/**
 * Who the new time is with, as the viewer sees it: the tutor for a student; for the tutor, the student (or the
 * group and its students), never themself.
 */
function withWhom(b: Booking): string {
  if (session.user()?.id !== b.tutorId) return b.tutorName ?? t("sessions.item.yourTutor");
  const names = (b.participants ?? []).filter((p) => p.status === "confirmed").map((p) => p.name ?? t("sessions.item.aStudent"));
  if (b.kind === "group") return names.length ? t("sessions.reschedule.yourGroupNames", { names: names.join(", ") }) : t("sessions.reschedule.yourGroup");
  return names.join(", ") || t("sessions.reschedule.yourStudent");
}

/**
 * Picks a new free slot of the same tutor, same length, then confirms the move: of this booking, or — given `save` —
 * whatever the caller moves from it (the rest of a weekly series).
 */
export function RescheduleDialogBody(props: {
  booking: Booking;
  zone: string;
  onDone?: (b: Booking) => void;
  save?: (start: string, key: string) => Promise<void>;
  onClose: () => void;
  onPendingChange: (p: boolean) => void;
}) {
  const thisWeek = mondayOf(dayOf(Date.now(), props.zone));
  const [week, setWeek] = createSignal(mondayOf(dayOf(props.booking.start, props.zone)) < thisWeek ? thisWeek : mondayOf(dayOf(props.booking.start, props.zone)));
  const length = minutesBetween(props.booking.start, props.booking.end);
  const duration = isDuration(length) ? length : 60;
  const live = createLiveSlots(() => ({ tutorId: props.booking.tutorId, from: startOfDay(week(), props.zone), to: startOfDay(addDays(week(), 7), props.zone), duration }));
  const [choice, setChoice] = createSignal<SlotLike>();
  let key = newIdempotencyKey();

  const choose = (s: SlotLike) => {
    if (s.start !== choice()?.start) key = newIdempotencyKey();
    move.setError(undefined);
    setChoice(s);
  };
  const move = createAction(
    async () => {
      const slot = choice();
      if (!slot) return;
      try {
        if (props.save) await props.save(slot.start, key);
        else props.onDone?.(await rescheduleBooking(props.booking.id, slot.start, key));
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "slot_unavailable") {
          live.markTaken(slot.start, slot.end);
          setChoice(undefined);
        }
        throw e;
      }
    },
    { errorText: bookingErrorText, onPendingChange: props.onPendingChange },
  );

  return (
    <div class="stack">
      <p class="small">
        {tx("sessions.reschedule.intro", {
          subject: <strong>{subjectLabel(props.booking.subject)}</strong>,
          when: formatDateTime(props.booking.start, props.zone),
          length,
          name: withWhom(props.booking),
          zone: zoneLabel(props.zone),
        })}
      </p>
      <Show
        when={choice()}
        fallback={
          <>
            <WeekNav week={week()} canGoBack={week() > thisWeek} onChange={setWeek} />
            <WeekSlots
              week={week()}
              zone={props.zone}
              today={dayOf(Date.now(), props.zone)}
              slots={live.slots()}
              loading={live.view.loading && !live.view.latest}
              onPick={choose}
              actionLabel={t("sessions.reschedule.moveTo")}
              emptyText={t("sessions.reschedule.empty")}
            />
          </>
        }
      >
        {(slot) => (
          <div class="alert info" role="status">
            {tx("sessions.reschedule.confirm", { when: <strong>{formatDateTime(slot().start, props.zone)} – {formatTime(slot().end, props.zone)}</strong> })}
          </div>
        )}
      </Show>
      <ErrorAlert message={move.error()} />
      <div class="row dialog-actions">
        <Show when={choice()}>
          <Button onClick={move.run} pending={move.pending()} ref={focusOnMount}>
            {move.pending() ? t("sessions.reschedule.moving") : t("sessions.reschedule.move")}
          </Button>
          <Button variant="secondary" onClick={() => setChoice(undefined)} disabled={move.pending()}>
            {t("sessions.reschedule.another")}
          </Button>
        </Show>
        <Show when={!choice()}>
          <Button variant="secondary" onClick={props.onClose}>
            {t("sessions.reschedule.keep")}
          </Button>
        </Show>
      </div>
    </div>
  );
}

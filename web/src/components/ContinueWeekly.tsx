import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import { t } from "../i18n";
import { firstName } from "../lib/format";

/** A completed trial lesson, seen by its student: "continue weekly with this tutor" at the trial's time. */
export const offersContinuing = (b: Booking, role: string) => role === "student" && !!b.trial && b.status === "completed";

/**
 * After a trial: a link to the tutor's page that picks the same wall-clock time (in the tutor's zone) in the first
 * week still ahead and opens the booking with "repeat every week" chosen.
 */
export function ContinueWeekly(props: { booking: Booking; tutorName?: string }) {
  const href = () => `/tutors/${props.booking.tutorId}?${new URLSearchParams({ continue: props.booking.start, subject: props.booking.subject })}`;
  const name = () => firstName(props.tutorName ?? props.booking.tutorName ?? "");
  return (
    <div class="continue-weekly stack tight">
      <A class="btn small" href={href()} data-testid="continue-weekly">
        <Show when={name()} fallback={t("sessions.trial.continue", { name: "" }).trim()}>
          {t("sessions.trial.continue", { name: name() })}
        </Show>
      </A>
      <p class="small muted">{t("sessions.trial.continueHint")}</p>
    </div>
  );
}

import { Show, createUniqueId } from "solid-js";
import { POLICY, rescheduleClosed } from "../../../domain/credits/policy";
import type { Role } from "../../../domain/schemas/common";
import { createNow } from "../lib/clock";
import { t } from "../i18n";

/**
 * Reschedule, or — once the policy says the session can no longer be moved by this person — the same button
 * disabled, with the reason beside it (the server would refuse with the same sentence).
 */
export function RescheduleButton(props: { start: string; role: Role; ariaLabel?: string; onClick: () => void }) {
  const start = () => Date.parse(props.start);
  const now = createNow(() => [start() - POLICY.rescheduleCutoffHours * 3_600_000, start()]);
  const closed = () => (props.role === "admin" ? undefined : rescheduleClosed(props.role, start(), now()));
  const reason = createUniqueId();
  return (
    <>
      <button type="button" class="btn small secondary" onClick={() => props.onClick()} disabled={!!closed()} aria-label={props.ariaLabel} aria-describedby={closed() ? reason : undefined}>
        {t("sessions.item.reschedule")}
      </button>
      <Show when={closed()}>
        <span class="small muted reschedule-closed" id={reason} data-testid="reschedule-closed">
          {start() <= now() ? t("sessions.reschedule.started") : t("sessions.reschedule.cutoff", { hours: POLICY.rescheduleCutoffHours })}
        </span>
      </Show>
    </>
  );
}

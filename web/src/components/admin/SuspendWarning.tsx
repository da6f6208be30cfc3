import { createResource } from "solid-js";
import { type Suspendable, upcomingSessions } from "../../features/admin/suspension";
import { t } from "../../i18n";

/**
 * What suspending someone does to their sessions to come, said before the admin confirms: how many will be cancelled
 * (everyone in them refunded and told), counted when the confirm step opens; while that count is loading or failed,
 * that any will be. `id` is for the confirming control's aria-describedby.
 */
export function SuspendWarning(props: { user: Suspendable; id: string }) {
  const [upcoming] = createResource(() => props.user, upcomingSessions);
  const text = () => {
    const n = upcoming.error ? undefined : upcoming.latest;
    return n === undefined ? t("admin.users.suspendWarnAny") : t("admin.users.suspendWarn", { count: n });
  };
  return (
    <p class="small warning-text" id={props.id} role="note">
      {text()}
    </p>
  );
}

/** What a suspension did, said after it: the account is suspended, and how many sessions to come it cancelled. */
export const suspendedText = (name: string, cancelledSessions: number) => t("admin.users.suspendedDone", { count: cancelledSessions, name });

/** Focus for the first control of a confirm step, which takes the place of the button that opened it. */
export const focusOnMount = (el: HTMLElement) => queueMicrotask(() => el.isConnected && el.focus());

import { useNavigate } from "@solidjs/router";
import { Show } from "solid-js";
import { startConversation } from "../features/messages/conversations";
import { createAction } from "../lib/action";
import { session } from "../lib/session";
import { Button } from "./Button";
import { t } from "../i18n";

/**
 * Opens the conversation with a tutor (for a student) or a student (for a tutor), starting it if needed; a
 * visitor who is not signed in logs in first and comes back.
 */
export function MessageButton(props: { to: { tutorId: string } | { studentId: string }; label: string; ariaLabel?: string; small?: boolean; variant?: "secondary" | "ghost" }) {
  const navigate = useNavigate();
  const open = createAction(
    async () => {
      if (session.user() === null) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      navigate(`/messages/${await startConversation(props.to)}`);
    },
    { errorText: (e) => t("core.messageButton.failed", { why: e instanceof Error ? e.message : String(e) }) },
  );
  return (
    <>
      <Button type="button" small={props.small} variant={props.variant ?? "secondary"} pending={open.pending()} onClick={() => void open.run()} aria-label={props.ariaLabel}>
        {props.label}
      </Button>
      <Show when={open.error()}>
        <span class="field-error small" role="alert">
          {open.error()}
        </span>
      </Show>
    </>
  );
}

import { Show, createSignal } from "solid-js";
import { resendVerification } from "../features/account/account";
import { createAction } from "../lib/action";
import { session } from "../lib/session";
import { Button } from "./Button";
import { t, tx } from "../i18n";

/** For an account whose address is not confirmed yet: what that means, and a way to get the link again. */
export function VerifyBanner() {
  const [sent, setSent] = createSignal<string>();
  const resend = createAction(async () => setSent((await resendVerification()).message));
  return (
    <div class="verify-banner" role="region" aria-label={t("core.verify.region")}>
      <div class="row">
        <span class="grow">
          {tx("core.verify.body", { email: <strong>{session.user()?.email}</strong> })}
        </span>
        <Show when={!sent()} fallback={<span role="status">{sent()}</span>}>
          <Button small variant="secondary" pending={resend.pending()} onClick={() => resend.run()}>
            {t("core.verify.resend")}
          </Button>
        </Show>
        <Show when={resend.error()}>
          <span class="field-error" role="alert">
            {resend.error()}
          </span>
        </Show>
      </div>
    </div>
  );
}

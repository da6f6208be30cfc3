import { A, useSearchParams } from "@solidjs/router";
import { Match, Show, Switch, createResource } from "solid-js";
import { ErrorAlert } from "../components/Alert";
import { verifyEmail } from "../features/account/account";
import { messageOf } from "../lib/api";
import { authLink, homeFor, returnTo, session } from "../lib/session";
import { t, tx } from "../i18n";

/** The page a confirmation link opens: it confirms the address at once and says so. */
export default function VerifyEmail() {
  const [params] = useSearchParams<{ token?: string }>();
  const [confirmed] = createResource(() => params.token ?? "", verifyEmail);
  return (
    <div class="card narrow">
      <Switch>
        <Match when={confirmed.loading}>
          <h1>{t("auth.verify.confirming")}</h1>
          <p class="muted" role="status">
            {t("auth.verify.moment")}
          </p>
        </Match>
        <Match when={confirmed.error}>
          <h1>{t("auth.verify.failed")}</h1>
          <ErrorAlert message={messageOf(confirmed.error)} />
          <p class="small">
            {tx("auth.verify.askNew", { settings: <A href="/account">{t("core.nav.accountSettings")}</A> })}
          </p>
        </Match>
        <Match when={confirmed()}>
          {(user) => (
            <>
              <h1>{t("auth.verify.confirmed")}</h1>
              <p role="status">
                {t("auth.verify.isConfirmed", { email: user().email })}{" "}
                {user().role === "student" ? t("auth.verify.canBook") : user().role === "tutor" ? t("auth.verify.tutorNext") : ""}
              </p>
              <Show
                when={session.user()}
                fallback={
                  <A class="btn" href={authLink("/login", returnTo.peek())}>
                    {t("auth.login.title")}
                  </A>
                }
              >
                {(me) => (
                  <A class="btn" href={returnTo.peek() ?? homeFor(me())} onClick={() => returnTo.forget()}>
                    {returnTo.peek() ? t("auth.verify.continueWhere") : t("auth.verify.continue")}
                  </A>
                )}
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}

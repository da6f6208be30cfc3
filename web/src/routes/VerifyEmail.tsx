import { A, useSearchParams } from "@solidjs/router";
import { Match, Show, Switch, createResource } from "solid-js";
import { ErrorAlert } from "../components/Alert";
import { verifyEmail } from "../features/account/account";
import { messageOf } from "../lib/api";
import { authLink, homeFor, returnTo, session } from "../lib/session";

/** The page a confirmation link opens: it confirms the address at once and says so. */
export default function VerifyEmail() {
  const [params] = useSearchParams<{ token?: string }>();
  const [confirmed] = createResource(() => params.token ?? "", verifyEmail);
  return (
    <div class="card narrow">
      <Switch>
        <Match when={confirmed.loading}>
          <h1>Confirming your email…</h1>
          <p class="muted" role="status">
            One moment.
          </p>
        </Match>
        <Match when={confirmed.error}>
          <h1>We couldn't confirm that link</h1>
          <ErrorAlert message={messageOf(confirmed.error)} />
          <p class="small">
            Signed in? Ask for a new link in <A href="/account">Account settings</A>.
          </p>
        </Match>
        <Match when={confirmed()}>
          {(user) => (
            <>
              <h1>Email confirmed</h1>
              <p role="status">
                {user().email} is confirmed. {user().role === "student" ? "You can book sessions now." : user().role === "tutor" ? "Students can find and book you once you are approved." : ""}
              </p>
              <Show
                when={session.user()}
                fallback={
                  <A class="btn" href={authLink("/login", returnTo.peek())}>
                    Log in
                  </A>
                }
              >
                {(me) => (
                  <A class="btn" href={returnTo.peek() ?? homeFor(me())} onClick={() => returnTo.forget()}>
                    {returnTo.peek() ? "Continue where you were" : "Continue"}
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

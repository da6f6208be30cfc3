import { A, useNavigate } from "@solidjs/router";
import { ErrorBoundary, For, Show, type JSX } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { type PlainKey, t } from "../i18n";
import { session } from "../lib/session";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { MessagesLink } from "./MessagesLink";
import { PageError } from "./PageError";
import { NotificationBell } from "./NotificationBell";
import { VerifyBanner } from "./VerifyBanner";

type NavItem = { href: string; label: PlainKey; end?: boolean };

/** What the navigation offers depends on who is signed in. */
export function navFor(user: User | null | undefined): NavItem[] {
  if (!user) return [{ href: "/tutors", label: "core.nav.findTutor" }];
  switch (user.role) {
    case "student":
      return [
        { href: "/dashboard", label: "core.nav.dashboard" },
        { href: "/tutors", label: "core.nav.findTutor" },
        { href: "/sessions", label: "core.nav.mySessions" },
        { href: "/my-tutors", label: "core.nav.myTutors" },
        { href: "/billing", label: "core.nav.billing" },
        { href: "/calendar-sync", label: "core.nav.calendarSync" },
      ];
    case "tutor":
      return [
        { href: "/dashboard", label: "core.nav.dashboard" },
        { href: "/sessions", label: "core.nav.sessions" },
        { href: "/availability", label: "core.nav.availability" },
        { href: "/earnings", label: "core.nav.earnings" },
        { href: "/calendar-sync", label: "core.nav.calendarSync" },
      ];
    case "admin":
      return [
        { href: "/admin", label: "core.nav.console", end: true },
        { href: "/admin/users", label: "core.nav.users" },
        { href: "/admin/bookings", label: "core.nav.bookings" },
        { href: "/admin/payouts", label: "core.nav.payouts" },
      ];
  }
}

export function Layout(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const logout = async () => {
    await session.logout();
    navigate("/login");
  };
  return (
    <>
      <a class="skip-link" href="#main">
        {t("core.app.skip")}
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <A href="/" class="brand">
            <span class="brand-mark" aria-hidden="true">
              T
            </span>
            Tutorly
          </A>
          <nav class="nav" aria-label={t("core.nav.main")}>
            <For each={navFor(session.user())}>
              {(item) => (
                <A href={item.href} activeClass="active" end={item.end}>
                  {t(item.label)}
                </A>
              )}
            </For>
          </nav>
          <div class="account">
            <Show
              when={session.user()}
              fallback={
                <Show when={session.user() === null}>
                  <A href="/login" activeClass="active">
                    {t("core.nav.logIn")}
                  </A>
                  <A href="/signup" class="btn small">
                    {t("core.nav.signUp")}
                  </A>
                </Show>
              }
            >
              {(u) => (
                <>
                  <Show when={u().role !== "admin"}>
                    <MessagesLink />
                  </Show>
                  <NotificationBell />
                  <A href="/account" class="btn small ghost" activeClass="active" aria-label={t("core.nav.accountSettings")} title={t("core.nav.signedInAs", { email: u().email })}>
                    {t("core.nav.account")}
                  </A>
                  <button class="btn small secondary" onClick={logout}>
                    {t("core.nav.logOut")}
                  </button>
                </>
              )}
            </Show>
          </div>
        </div>
      </header>
      <Show when={session.user()?.emailVerified === false}>
        <VerifyBanner />
      </Show>
      <main id="main" tabindex="-1">
        <ErrorBoundary fallback={(error, reset) => <PageError error={error} reset={reset} />}>{props.children}</ErrorBoundary>
      </main>
      <footer class="footer">
        <p>{t("core.app.footer")}</p>
        <LanguageSwitcher />
      </footer>
    </>
  );
}

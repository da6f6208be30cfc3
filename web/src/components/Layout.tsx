import { A, useNavigate } from "@solidjs/router";
import { ErrorBoundary, For, Show, type JSX } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { session } from "../lib/session";
import { MessagesLink } from "./MessagesLink";
import { PageError } from "./PageError";
import { NotificationBell } from "./NotificationBell";
import { VerifyBanner } from "./VerifyBanner";

type NavItem = { href: string; label: string; end?: boolean };

/** What the navigation offers depends on who is signed in. */
export function navFor(user: User | null | undefined): NavItem[] {
  if (!user) return [{ href: "/tutors", label: "Find a tutor" }];
  switch (user.role) {
    case "student":
      return [
        { href: "/dashboard", label: "Dashboard" },
        { href: "/tutors", label: "Find a tutor" },
        { href: "/sessions", label: "My sessions" },
        { href: "/billing", label: "Billing" },
        { href: "/calendar-sync", label: "Calendar sync" },
      ];
    case "tutor":
      return [
        { href: "/dashboard", label: "Dashboard" },
        { href: "/sessions", label: "Sessions" },
        { href: "/availability", label: "Availability" },
        { href: "/earnings", label: "Earnings" },
        { href: "/calendar-sync", label: "Calendar sync" },
      ];
    case "admin":
      return [
        { href: "/admin", label: "Console", end: true },
        { href: "/admin/users", label: "Users" },
        { href: "/admin/bookings", label: "Bookings" },
        { href: "/admin/payouts", label: "Payouts" },
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
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <A href="/" class="brand">
            <span class="brand-mark" aria-hidden="true">
              T
            </span>
            Tutorly
          </A>
          <nav class="nav" aria-label="Main">
            <For each={navFor(session.user())}>
              {(item) => (
                <A href={item.href} activeClass="active" end={item.end}>
                  {item.label}
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
                    Log in
                  </A>
                  <A href="/signup" class="btn small">
                    Sign up
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
                  <span class="badge brand hide-sm" title={`Signed in as ${u().email}`}>
                    {u().name} · {u().role}
                  </span>
                  <A href="/account" class="btn small ghost" activeClass="active" aria-label="Account settings">
                    Account
                  </A>
                  <button class="btn small secondary" onClick={logout}>
                    Log out
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
        <ErrorBoundary fallback={(error) => <PageError error={error} />}>{props.children}</ErrorBoundary>
      </main>
      <footer class="footer">Tutorly · live tutoring, times shown in your own time zone</footer>
    </>
  );
}

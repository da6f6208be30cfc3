import { A } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal, lazy } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import type { User } from "../../../domain/schemas/auth";
import { ErrorAlert } from "../components/Button";
import { CancelDialogBody } from "../components/CancelDialog";
import { CreditsSummary } from "../components/CreditsSummary";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { RescheduleDialogBody } from "../components/RescheduleDialog";
import { SessionItem } from "../components/SessionItem";
import { createLiveBookings, splitBookings } from "../features/bookings/liveBookings";
import { fetchCredits } from "../features/credits/credits";
import { session } from "../lib/session";
import { zoneLabel } from "../lib/time";

const GroupSessionOpener = lazy(() => import("../components/GroupSessionOpener"));

/** My sessions for students and tutors: upcoming and past, cancel and reschedule, updated live. */
export default function Sessions() {
  return (
    <Guard roles={["student", "tutor"]}>
      <SessionsPage user={session.user()!} />
    </Guard>
  );
}

function SessionsPage(props: { user: User }) {
  const student = props.user.role === "student";
  const [credits, { mutate: setCredits, refetch: refetchCredits }] = createResource(() => student || undefined, fetchCredits);
  const live = createLiveBookings({
    onCredits: (balanceMinutes) => {
      setCredits((c) => (c ? { ...c, balanceMinutes } : c));
      void refetchCredits();
    },
  });
  const split = createMemo(() => splitBookings(live.bookings.latest ?? []));
  const [action, setAction] = createSignal<{ kind: "cancel" | "reschedule"; booking: Booking }>();
  const [busy, setBusy] = createSignal(false);
  const [flash, setFlash] = createSignal<string>();
  const zone = () => props.user.timezone;

  const done = (b: Booking, text: string) => {
    live.upsert(b);
    setAction();
    setFlash(text);
    if (student) void refetchCredits();
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{student ? "My sessions" : "Sessions"}</h1>
          <p>Times in {zoneLabel(zone())}. This page updates live.</p>
        </div>
        <Show when={student} fallback={<A class="btn secondary" href="/availability">Edit availability</A>}>
          <A class="btn" href="/tutors">
            Book a session
          </A>
        </Show>
      </div>
      <Show when={flash()}>
        <div class="alert success" role="status">
          {flash()}
        </div>
      </Show>
      <For each={live.notices()}>
        {(n) => (
          <div class="alert info row" role="status">
            <span class="grow">
              <strong>{n.title}</strong> {n.body}
            </span>
            <button type="button" class="btn small ghost" onClick={() => live.dismiss(n.id)} aria-label={`Dismiss: ${n.title}`}>
              Dismiss
            </button>
          </div>
        )}
      </For>
      <div class="sessions-layout">
        <div class="stack">
          <section class="card" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">Upcoming</h2>
            <ErrorAlert message={live.bookings.error ? "Couldn't load your sessions. We'll retry when the connection is back." : undefined} />
            <Switch>
              <Match when={live.bookings.loading && !live.bookings.latest}>
                <p class="muted">Loading…</p>
              </Match>
              <Match when={split().upcoming.length === 0}>
                <div class="empty">
                  <p>No upcoming sessions.</p>
                  <Show when={student}>
                    <A class="btn" href="/tutors">
                      Find a tutor
                    </A>
                  </Show>
                </div>
              </Match>
              <Match when={split().upcoming.length}>
                <ul class="session-list" aria-label="Upcoming sessions">
                  <For each={split().upcoming}>
                    {(b) => (
                      <SessionItem
                        booking={b}
                        zone={zone()}
                        role={props.user.role}
                        onCancel={() => setAction({ kind: "cancel", booking: b })}
                        onReschedule={b.kind === "one_on_one" ? () => setAction({ kind: "reschedule", booking: b }) : undefined}
                      />
                    )}
                  </For>
                </ul>
              </Match>
            </Switch>
          </section>
          <Show when={split().past.length}>
            <section class="card" aria-labelledby="past-title">
              <h2 id="past-title">Past and cancelled</h2>
              <ul class="session-list" aria-label="Past and cancelled sessions">
                <For each={split().past}>{(b) => <SessionItem booking={b} zone={zone()} role={props.user.role} />}</For>
              </ul>
            </section>
          </Show>
        </div>
        <aside class="stack">
          <Show when={student}>
            <CreditsSummary credits={credits.latest} zone={zone()} error={credits.error} />
          </Show>
          <Show when={!student}>
            <GroupSessionOpener user={props.user} onOpened={(b: Booking) => done(b, "Group session opened. Students can join it from your page.")} />
          </Show>
        </aside>
      </div>

      <Show when={action()} keyed>
        {(a) => (
          <Dialog open title={a.kind === "cancel" ? "Cancel this session?" : "Reschedule"} onClose={() => setAction()} busy={busy()} wide={a.kind === "reschedule"}>
            <Show
              when={a.kind === "cancel"}
              fallback={<RescheduleDialogBody booking={a.booking} zone={zone()} onClose={() => setAction()} onPendingChange={setBusy} onDone={(b) => done(b, "Session moved.")} />}
            >
              <CancelDialogBody
                booking={a.booking}
                zone={zone()}
                role={props.user.role}
                onClose={() => setAction()}
                onPendingChange={setBusy}
                onDone={(b) => done(b, "Session cancelled.")}
              />
            </Show>
          </Dialog>
        )}
      </Show>
    </>
  );
}

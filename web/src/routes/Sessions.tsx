import { A } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal, lazy } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import type { User } from "../../../domain/schemas/auth";
import { ErrorAlert, Notice } from "../components/Alert";
import { CancelDialogBody } from "../components/CancelDialog";
import { CreditsSummary } from "../components/CreditsSummary";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { OfferCard } from "../components/OfferCard";
import { ReviewPrompt } from "../components/ReviewForm";
import { ContinueWeekly, offersContinuing } from "../components/ContinueWeekly";
import { RescheduleDialogBody } from "../components/RescheduleDialog";
import { SessionItem } from "../components/SessionItem";
import { SessionRecordView, hasRecord } from "../components/room/SessionRecordView";
import { fetchRecords } from "../features/video/record";
import { createLiveBookings, splitBookings } from "../features/bookings/liveBookings";
import { fetchCredits } from "../features/credits/credits";
import { offersReview } from "../features/reviews/reviews";
import { type Offer, createLiveOffers, isOpen } from "../features/offers/offers";
import { session } from "../lib/session";
import { zoneAbbr, zoneLabel, zoneTitle } from "../lib/time";
import { t } from "../i18n";

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
  // The past list's rows are keyed by booking id (strings compare equal across refetches), each reading its booking.
  const pastById = createMemo(() => new Map(split().past.map((b) => [b.id, b])));
  const pastIds = createMemo(() => split().past.map((b) => b.id), undefined, { equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]) });
  // Summaries, notes and whiteboard pages of past sessions (features/video/record.ts).
  const [records] = createResource(fetchRecords);
  const offers = student ? createLiveOffers() : undefined;
  // Optimistic statuses while an accept or decline is in flight; cleared (rolled back) when it fails.
  const [override, setOverride] = createSignal<Record<string, Offer["status"]>>({});
  const openOffers = createMemo(() =>
    (offers?.offers.latest ?? []).map((o) => ({ ...o, status: override()[o.id] ?? o.status })).filter((o) => isOpen(o)),
  );
  const settle = (id: string, status: Offer["status"] | null) =>
    setOverride((m) => {
      const next = { ...m };
      if (status) next[id] = status;
      else delete next[id];
      return next;
    });
  const [action, setAction] = createSignal<{ kind: "cancel" | "reschedule"; booking: Booking }>();
  const [busy, setBusy] = createSignal(false);
  const [flash, setFlash] = createSignal<string>();
  const zone = () => props.user.timezone;
  /**
   * The zone the times are in, with its abbreviation ("EST") only while every session listed shares today's: a list
   * crossing a clock change reads in the zone's name alone, each time being that date's own wall-clock time there.
   */
  const zoneHeading = createMemo(() => {
    const now = zoneAbbr(zone());
    const crosses = (live.bookings.latest ?? []).some((b) => zoneAbbr(zone(), b.start) !== now || zoneAbbr(zone(), b.end) !== now);
    return crosses ? zoneTitle(zone()) : zoneLabel(zone());
  });

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
          <h1>{student ? t("core.nav.mySessions") : t("core.nav.sessions")}</h1>
          <p>{t("sessions.page.intro", { zone: zoneHeading() })}</p>
        </div>
        <Show when={student} fallback={<A class="btn secondary" href="/availability">{t("sessions.page.editAvailability")}</A>}>
          <A class="btn" href="/tutors">
            {t("sessions.page.book")}
          </A>
        </Show>
      </div>
      <Notice message={flash()} />
      {/* The latest live notice; none while an offer card (the notice that matters) is showing. The bell keeps them all. */}
      <For each={openOffers().length ? [] : live.notices().slice(-1)}>
        {(n) => (
          <div class="alert info row" role="status">
            <span class="grow">
              <strong>{n.title}</strong> {n.body}
            </span>
            <button type="button" class="btn small ghost" onClick={() => live.dismiss(n.id)} aria-label={t("sessions.page.dismissWhat", { title: n.title })}>
              {t("sessions.page.dismiss")}
            </button>
          </div>
        )}
      </For>
      <Show when={offers?.offers.error && !offers.offers.latest}>
        <div class="alert error" role="alert">
          {t("sessions.page.offersFailed")}
        </div>
      </Show>
      <For each={openOffers()}>
        {(o) => (
          <OfferCard
            offer={o}
            zone={zone()}
            onOptimistic={(status) => settle(o.id, status)}
            onStale={() => {
              settle(o.id, null);
              offers?.refetch();
            }}
            onAccepted={(b, tutor) => {
              settle(o.id, "accepted");
              live.upsert({ ...b, tutorName: b.tutorName ?? tutor.name });
              setFlash(t("sessions.page.rebooked", { name: tutor.name }));
              offers?.refetch();
              void refetchCredits();
            }}
            onDeclined={(note) => {
              setFlash(note ?? t("sessions.page.refunded"));
              offers?.refetch();
              void refetchCredits();
            }}
          />
        )}
      </For>
      <div class="sessions-layout">
        <div class="stack">
          <section class="card" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">{t("sessions.page.upcoming")}</h2>
            <ErrorAlert message={live.bookings.error ? t("sessions.page.loadFailed") : undefined} />
            <Switch>
              <Match when={live.bookings.loading && !live.bookings.latest}>
                <p class="muted">{t("core.app.loading")}</p>
              </Match>
              <Match when={split().upcoming.length === 0}>
                <div class="empty">
                  <p>{t("sessions.page.none")}</p>
                  <Show when={student}>
                    <A class="btn" href="/tutors">
                      {t("core.nav.findTutor")}
                    </A>
                  </Show>
                </div>
              </Match>
              <Match when={split().upcoming.length}>
                <ul class="session-list" aria-label={t("sessions.page.upcomingLabel")}>
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
              <h2 id="past-title">{t("sessions.page.past")}</h2>
              <ErrorAlert message={records.error ? t("sessions.page.recordsFailed") : undefined} />
              <ul class="session-list" aria-label={t("sessions.page.pastLabel")}>
                {/* Rows by booking id: a live update brings new objects for the same bookings, and a row rebuilt for
                    one would drop what is being typed in it (a half-written review). */}
                <For each={pastIds()}>
                  {(id) => {
                    const b = () => pastById().get(id)!;
                    return (
                      <Show when={pastById().get(id)}>
                        <SessionItem booking={b()} zone={zone()} role={props.user.role}>
                          <Show when={student && offersReview(b())}>
                            <ReviewPrompt booking={b()} />
                          </Show>
                          <Show when={offersContinuing(b(), props.user.role)}>
                            <ContinueWeekly booking={b()} />
                          </Show>
                          <Show when={b().status !== "cancelled" && records.state === "ready" && records()}>
                            {(all) => (
                              <Show when={!student || hasRecord(all().get(id))}>
                                <SessionRecordView bookingId={id} brief={all().get(id)} tutor={!student} canWrite={!student} />
                              </Show>
                            )}
                          </Show>
                        </SessionItem>
                      </Show>
                    );
                  }}
                </For>
              </ul>
            </section>
          </Show>
        </div>
        <aside class="stack">
          <Show when={student}>
            <CreditsSummary credits={credits.latest} zone={zone()} error={credits.error} />
          </Show>
          <Show when={!student}>
            <GroupSessionOpener user={props.user} onOpened={(b: Booking) => done(b, t("sessions.page.groupOpened"))} />
          </Show>
        </aside>
      </div>

      <Show when={action()} keyed>
        {(a) => (
          <Dialog open title={a.kind === "cancel" ? t("sessions.page.cancelTitle") : t("sessions.item.reschedule")} onClose={() => setAction()} busy={busy()} wide={a.kind === "reschedule"}>
            <Show
              when={a.kind === "cancel"}
              fallback={<RescheduleDialogBody booking={a.booking} zone={zone()} onClose={() => setAction()} onPendingChange={setBusy} onDone={(b) => done(b, t("sessions.page.moved"))} />}
            >
              <CancelDialogBody
                booking={a.booking}
                zone={zone()}
                role={props.user.role}
                onClose={() => setAction()}
                onPendingChange={setBusy}
                onDone={(b) => done(b, t("sessions.page.cancelled"))}
              />
            </Show>
          </Dialog>
        )}
      </Show>
    </>
  );
}

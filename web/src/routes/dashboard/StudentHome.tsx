import { A } from "@solidjs/router";
import { For, Show, createMemo } from "solid-js";
import type { User } from "../../../../domain/schemas/auth";
import { CreditsSummary } from "../../components/CreditsSummary";
import { SessionItem } from "../../components/SessionItem";
import { createLiveBookings, splitBookings } from "../../features/bookings/liveBookings";
import { createLiveCredits } from "../../features/credits/credits";
import { createLiveOffers, isOpen } from "../../features/offers/offers";
import { firstName } from "../../lib/format";
import { zoneLabel } from "../../lib/time";

export default function StudentHome(props: { user: User }) {
  const { credits } = createLiveCredits();
  const live = createLiveBookings();
  const offers = createLiveOffers();
  const openOffers = () => (offers.offers.latest ?? []).filter(isOpen).length;
  const upcoming = createMemo(() => splitBookings(live.bookings.latest ?? []).upcoming.slice(0, 3));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Hi {firstName(props.user.name)} 👋</h1>
          <p>Times are shown in {props.user.timezone.replace(/_/g, " ")}.</p>
        </div>
        <A class="btn" href="/tutors">
          Find a tutor
        </A>
      </div>
      <Show when={openOffers()}>
        <div class="alert warning row" role="status" data-testid="offer-alert">
          <span class="grow">
            <strong>Your tutor cancelled.</strong> Pick a replacement tutor at no extra cost, or take your credits back.
          </span>
          <A class="btn small" href="/sessions">
            See {openOffers() === 1 ? "the offer" : `${openOffers()} offers`}
          </A>
        </div>
      </Show>
      <div class="dash-layout">
        <section class="card" aria-labelledby="next-title">
          <div class="row">
            <h2 id="next-title" class="grow">
              Your next sessions
            </h2>
            <A href="/sessions" class="small">
              All sessions
            </A>
          </div>
          <Show
            when={upcoming().length}
            fallback={
              <p class="muted">
                {live.bookings.loading && !live.bookings.latest ? "Loading…" : "Nothing booked yet. Find a tutor whose hours overlap with yours and book a slot."}
              </p>
            }
          >
            <ul class="session-list">
              <For each={upcoming()}>{(b) => <SessionItem booking={b} zone={props.user.timezone} role="student" />}</For>
            </ul>
          </Show>
          <p class="small muted">Shown in {zoneLabel(props.user.timezone)}.</p>
        </section>
        <div class="stack">
          <CreditsSummary credits={credits.latest} zone={props.user.timezone} error={credits.error} chart />
          <div class="card">
            <h2>Get started</h2>
            <ol class="muted small">
              <li>Find a tutor whose hours overlap with yours.</li>
              <li>Book a 1:1 slot or join a small group.</li>
              <li>Meet in the browser at the booked time.</li>
            </ol>
          </div>
        </div>
      </div>
    </>
  );
}

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
import { t, tx } from "../../i18n";

export default function StudentHome(props: { user: User }) {
  const { credits } = createLiveCredits();
  const live = createLiveBookings();
  const offers = createLiveOffers();
  const open = () => (offers.offers.latest ?? []).filter(isOpen);
  const openOffers = () => open().length;
  // A free trial's offer gives the trial back, not credits.
  const onlyTrials = () => open().every((o) => o.freeTrial);
  const upcoming = createMemo(() => splitBookings(live.bookings.latest ?? []).upcoming.slice(0, 3));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("sessions.home.hi", { name: firstName(props.user.name) })}</h1>
          <p>{t("sessions.home.timesIn", { zone: zoneLabel(props.user.timezone) })}</p>
        </div>
        <A class="btn" href="/tutors">
          {t("core.nav.findTutor")}
        </A>
      </div>
      <Show when={openOffers()}>
        <div class="alert warning row" role="status" data-testid="offer-alert">
          <span class="grow">
            {tx(onlyTrials() ? "sessions.home.offerTrial" : "sessions.home.offer", { cancelled: <strong>{t("sessions.home.tutorCancelled")}</strong> })}
          </span>
          <A class="btn small" href="/sessions">
            {t("sessions.home.seeOffers", { count: openOffers() })}
          </A>
        </div>
      </Show>
      <div class="dash-layout">
        <section class="card" aria-labelledby="next-title">
          <div class="row">
            <h2 id="next-title" class="grow">
              {t("sessions.home.next")}
            </h2>
            <A href="/sessions" class="small">
              {t("sessions.home.all")}
            </A>
          </div>
          <Show
            when={upcoming().length}
            fallback={
              <p class="muted">
                {live.bookings.loading && !live.bookings.latest ? t("core.app.loading") : t("sessions.home.nothingBooked")}
              </p>
            }
          >
            <ul class="session-list">
              <For each={upcoming()}>{(b) => <SessionItem booking={b} zone={props.user.timezone} role="student" />}</For>
            </ul>
          </Show>
          <p class="small muted">{t("sessions.home.shownIn", { zone: zoneLabel(props.user.timezone) })}</p>
        </section>
        <div class="stack">
          <CreditsSummary credits={credits.latest} zone={props.user.timezone} error={credits.error} chart />
          <div class="card">
            <h2>{t("sessions.home.getStarted")}</h2>
            <ol class="muted small">
              <li>{t("sessions.home.step1")}</li>
              <li>{t("sessions.home.step2")}</li>
              <li>{t("sessions.home.step3")}</li>
            </ol>
          </div>
        </div>
      </div>
    </>
  );
}

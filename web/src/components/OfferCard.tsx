import { A } from "@solidjs/router";
import { For, Show, createSignal, onCleanup } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import { type Candidate, type Offer, acceptOffer, declineOffer } from "../features/offers/offers";
import { newIdempotencyKey } from "../features/bookings/bookings";
import { ApiFailure, messageOf } from "../lib/api";
import { formatRate, subjectLabel } from "../lib/format";
import { formatDateTime, formatMinutes, formatSpan, formatTime, zoneLabel } from "../lib/time";
import { Button } from "./Button";
import { locale, t, tx } from "../i18n";

/** A ticking clock for countdowns (every 15 s; a countdown in minutes needs no more). */
function createNow(ms = 15_000) {
  const [now, setNow] = createSignal(Date.now());
  const t = setInterval(() => setNow(Date.now()), ms);
  onCleanup(() => clearInterval(t));
  return now;
}

/** What a candidate costs, as the card says it: the price, and what of the cancelled booking's credit comes back. */
const costOf = (c: Candidate, freeTrial: boolean) =>
  freeTrial ? t("sessions.offer.costTrial") : c.backMinutes > 0 ? t("sessions.offer.costBack", { cost: formatMinutes(c.creditMinutes), back: formatMinutes(c.backMinutes) }) : formatMinutes(c.creditMinutes);

/**
 * Why an accepted tutor can no longer teach the lesson at all, from the refusal's code: they no longer teach its
 * subject, or they left Tutorly (suspended or gone: the API says a tutor it no longer finds as `not_found`; the offer
 * itself is always found, offers being kept). Undefined for any other refusal.
 */
const cannotTeach = (code: string) => (code === "subject_not_taught" ? "notTaught" : code === "not_found" || code === "tutor_not_found" ? "gone" : undefined);

/** What the card says of such a tutor: with others still on offer, choose one; else what came back (credits or the trial). */
const cannotTeachSaid = (why: "notTaught" | "gone", name: string, subject: string, othersLeft: boolean, freeTrial: boolean) => {
  if (why === "notTaught") {
    const v = { name, subject: subjectLabel(subject) };
    if (freeTrial) return othersLeft ? t("sessions.offer.trial.notTaught", v) : t("sessions.offer.trial.notTaughtBack", v);
    return othersLeft ? t("sessions.offer.notTaught", v) : t("sessions.offer.notTaughtRefunded", v);
  }
  if (freeTrial) return othersLeft ? t("sessions.offer.trial.gone", { name }) : t("sessions.offer.trial.goneBack", { name });
  return othersLeft ? t("sessions.offer.gone", { name }) : t("sessions.offer.goneRefunded", { name });
};

/**
 * A tutor cancelled: the student picks one of the tutors free at that same time (one click, never more than the
 * cancelled booking held: each at their own price, a cheaper one's difference back) or takes the credits back. The
 * offer closes at its cut-off and then refunds by itself. A free trial's offer gives back the month's trial instead
 * (its credit lapses), and the card says so wherever it would speak of credits.
 */
export function OfferCard(props: {
  offer: Offer;
  zone: string;
  onAccepted: (b: Booking, tutor: Candidate) => void;
  /** The credits came back: the student declined, or (`note` says why) the last tutor on offer could not be booked. */
  onDeclined: (note?: string) => void;
  /** Something changed under us (taken tutor, closed offer): reload the offers. */
  onStale: () => void;
  onOptimistic: (status: Offer["status"] | null) => void;
}) {
  const now = createNow();
  const o = () => props.offer;
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const trial = () => o().freeTrial;
  const left = () => Date.parse(o().cutoff) - now();
  const closed = () => left() <= 0 || (o().status !== "open" && o().status !== "accepting");
  const keys = new Map<string, string>();
  const keyFor = (action: string) => keys.get(action) ?? (keys.set(action, newIdempotencyKey()), keys.get(action)!);

  const accept = async (c: Candidate) => {
    setBusy(c.tutorId);
    setError(undefined);
    props.onOptimistic("accepting");
    try {
      props.onAccepted(await acceptOffer(o().id, c.tutorId, keyFor(`accept:${c.tutorId}`)), c);
    } catch (e) {
      props.onOptimistic(null);
      if (e instanceof ApiFailure && e.code === "price_changed") {
        // That tutor is off the offer now; when nobody else was on it, the credits came back and the card goes.
        keys.delete(`accept:${c.tutorId}`);
        if (o().candidates.length > 1) {
          setError(trial() ? t("sessions.offer.trial.priceChanged", { name: c.name }) : t("sessions.offer.priceChanged", { name: c.name }));
          props.onStale();
        } else props.onDeclined(trial() ? t("sessions.offer.trial.priceChangedBack", { name: c.name }) : t("sessions.offer.priceChangedRefunded", { name: c.name }));
      } else if (e instanceof ApiFailure && e.code === "slot_unavailable" && o().candidates.length <= 1) {
        // The last tutor on offer is no longer free then: the offer closed and what it held came back, as for a price rise.
        keys.delete(`accept:${c.tutorId}`);
        props.onDeclined(trial() ? t("sessions.offer.trial.takenBack", { name: c.name }) : t("sessions.offer.takenRefunded", { name: c.name }));
      } else if (e instanceof ApiFailure && cannotTeach(e.code)) {
        // The tutor dropped the subject or left Tutorly since the offer: they are off it now, as for a price rise.
        keys.delete(`accept:${c.tutorId}`);
        const said = cannotTeachSaid(cannotTeach(e.code)!, c.name, o().subject, o().candidates.length > 1, trial());
        if (o().candidates.length > 1) {
          setError(said);
          props.onStale();
        } else props.onDeclined(said);
      } else if (e instanceof ApiFailure && (e.code === "slot_unavailable" || e.code === "offer_closed" || e.code === "not_offered")) {
        if (e.code === "offer_closed") setError(trial() ? t("sessions.offer.trial.closed") : t("sessions.offer.closed"));
        else setError(trial() ? t("sessions.offer.trial.taken", { name: c.name }) : t("sessions.offer.taken", { name: c.name }));
        keys.delete(`accept:${c.tutorId}`);
        props.onStale();
      } else setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  const decline = async () => {
    setBusy("decline");
    setError(undefined);
    props.onOptimistic("declined");
    try {
      await declineOffer(o().id, keyFor("decline"));
      props.onDeclined(trial() ? t("sessions.offer.trial.declined") : undefined);
    } catch (e) {
      props.onOptimistic(null);
      setError(e instanceof ApiFailure && e.code === "offer_closed" ? t("sessions.offer.alreadyClosed") : messageOf(e));
      if (e instanceof ApiFailure && e.code === "offer_closed") props.onStale();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="card offer-card" aria-labelledby={`offer-${o().id}`} data-offer={o().id} data-status={o().status}>
      <div class="offer-head">
        <span class="badge danger">{t("sessions.offer.badge")}</span>
        <h2 id={`offer-${o().id}`}>{t("sessions.offer.title")}</h2>
      </div>
      <p>
        <strong>{subjectLabel(o().subject)}</strong>, {formatDateTime(o().start, props.zone)} – {formatTime(o().end, props.zone)}{" "}
        <span class="muted small">· {zoneLabel(props.zone, o().start)}</span>
      </p>
      <p class="small">{o().freeTrial ? t("sessions.offer.sameTrial") : t("sessions.offer.same")}</p>
      <Show
        when={o().status !== "preparing"}
        fallback={
          <p class="muted" role="status">
            {t("sessions.offer.finding")}
          </p>
        }
      >
        <p class="countdown small" role="timer" aria-live="off" data-testid="offer-countdown">
          <Show when={!closed()} fallback={<strong>{trial() ? t("sessions.offer.trial.closedInline") : t("sessions.offer.closedInline")}</strong>}>
            {tx(trial() ? "sessions.offer.trial.within" : "sessions.offer.within", { left: <strong>{formatSpan(left())}</strong>, until: formatDateTime(o().cutoff, props.zone) })}
          </Show>
        </p>
        <ul class="candidates" aria-label={t("sessions.offer.candidates")}>
          <For each={o().candidates}>
            {(c) => (
              <li class="candidate" data-tutor={c.tutorId}>
                <div class="avatar" aria-hidden="true">
                  {c.name.charAt(0)}
                </div>
                <div class="grow">
                  <A href={`/tutors/${c.tutorId}`} class="candidate-name">
                    {c.name}
                  </A>
                  <div class="small muted">
                    {c.rating === null ? t("core.rating.new") : `★ ${new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(c.rating)}`} · {formatRate(c.hourlyRateCents)}
                  </div>
                  <div class="small" data-testid="candidate-cost">
                    {costOf(c, o().freeTrial)}
                  </div>
                </div>
                <Button small pending={busy() === c.tutorId} disabled={!!busy() || closed()} onClick={() => void accept(c)} aria-label={t("sessions.offer.acceptWho", { name: c.name })}>
                  {busy() === c.tutorId ? t("core.booking.booking") : t("sessions.offer.accept")}
                </Button>
              </li>
            )}
          </For>
        </ul>
        <Show when={error()}>
          <div class="alert error" role="alert">
            {error()}
          </div>
        </Show>
        <div class="row">
          <Button small variant="ghost" pending={busy() === "decline"} disabled={!!busy() || closed()} onClick={() => void decline()}>
            {trial() ? t("sessions.offer.trial.decline") : t("sessions.offer.decline")}
          </Button>
        </div>
      </Show>
    </section>
  );
}

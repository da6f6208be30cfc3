import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { For, Show, createEffect, createResource, createSignal, onCleanup } from "solid-js";
import type { Duration } from "../../../domain/schemas/availability";
import { BookingDialogBody, type SlotPick } from "../components/BookingDialog";
import { ErrorAlert } from "../components/Alert";
import { Dialog } from "../components/Dialog";
import { DurationPicker, isDuration } from "../components/DurationPicker";
import { TimeZoneSelect } from "../components/TimeZoneSelect";
import { TutorReviews } from "../components/TutorReviews";
import { MessageButton } from "../components/MessageButton";
import { WeekNav } from "../components/WeekNav";
import { type SlotLike, WeekSlots } from "../components/WeekSlots";
import { createLiveSlots } from "../features/tutors/liveSlots";
import { fetchTutor } from "../features/tutors/tutor";
import { firstName, formatCredits, formatRating, subjectLabel } from "../lib/format";
import { CreditPrice } from "../components/CreditPrice";
import { session } from "../lib/session";
import { addDays, dayOf, formatDateTime, formatMinutes, formatTime, isDay, mondayOf, startOfDay, zoneLabel } from "../lib/time";
import { isValidTimeZone } from "../../../domain/time/zoneNames";
import { browserTimeZone } from "../lib/zones";

/** A tutor's page: profile, a live week of free slots in the viewer's zone, open group sessions, booking. */
export default function TutorProfile() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{ week?: string; duration?: string; tz?: string; subject?: string; pick?: string }>();
  const navigate = useNavigate();

  const zone = () => (search.tz && isValidTimeZone(search.tz) ? search.tz : (session.user()?.timezone ?? browserTimeZone()));
  const duration = (): Duration => {
    const d = Number(search.duration);
    return isDuration(d) ? d : 60;
  };
  const today = () => dayOf(Date.now(), zone());
  const thisWeek = () => mondayOf(today());
  const week = () => (isDay(search.week) && mondayOf(search.week) > thisWeek() ? mondayOf(search.week) : thisWeek());

  const [tutor, { refetch: refetchTutor }] = createResource(() => params.id, fetchTutor);
  // Slots (and their live socket) only for a tutor that exists: a bad id is answered once, never retried. The
  // session is awaited too, so the first fetch is already in the signed-in user's zone.
  const known = () => tutor.state === "ready" || tutor.state === "refreshing";
  const live = createLiveSlots(() =>
    session.user.loading || !known() ? undefined : { tutorId: params.id, from: startOfDay(week(), zone()), to: startOfDay(addDays(week(), 7), zone()), duration: duration() },
  );

  const role = () => session.user()?.role;
  /** When the page shows a copy the service worker saved (the device is offline): read-only until back online. */
  const offline = () => tutor.latest?.savedAt ?? live.view.latest?.savedAt ?? null;
  const canBook = () => !offline() && (role() === "student" || session.user() === null);
  const backOnline = () => void refetchTutor();
  window.addEventListener("online", backOnline);
  onCleanup(() => window.removeEventListener("online", backOnline));
  const [pick, setPick] = createSignal<SlotPick>();
  const [busy, setBusy] = createSignal(false);

  const choose = (p: SlotPick) => {
    if (session.user() === null) {
      const start = p.kind === "group" ? p.offer.start : p.start;
      const back = `${location.pathname}?${new URLSearchParams({ ...cleanSearch(), pick: start })}`;
      navigate(`/login?next=${encodeURIComponent(back)}`);
      return;
    }
    setPick(p);
  };
  const cleanSearch = () => Object.fromEntries(Object.entries({ week: search.week, duration: search.duration, tz: search.tz, subject: search.subject }).filter(([, v]) => !!v)) as Record<string, string>;

  // Back from logging in with a slot in mind: open its confirmation once it is known to be free.
  createEffect(() => {
    const wanted = search.pick;
    if (!wanted || role() !== "student" || pick()) return;
    const slot = live.slots().find((s) => s.start === wanted);
    const group = live.groups().find((g) => g.start === wanted);
    if (group) setPick({ kind: "group", offer: group });
    else if (slot) setPick({ kind: "one_on_one", ...slot });
    if (slot || group || live.view.latest) setSearch({ pick: undefined }, { replace: true });
  });

  const pickSlot = (s: SlotLike) => choose({ kind: "one_on_one", start: s.start, end: s.end });
  const slotGone = () => {
    const p = pick();
    if (p?.kind === "one_on_one") live.markTaken(p.start, p.end);
    else live.refetch();
  };

  return (
    <Show when={!tutor.error} fallback={<TutorMissing error={tutor.error} />}>
      <Show when={offline()}>
        {(at) => (
          <p class="alert warning offline-banner" role="status" data-offline-copy={at()}>
            You're offline. Showing a copy saved {formatDateTime(at(), zone())}, times in {zoneLabel(zone())}. Free times may have changed: booking is off until you're back online.
          </p>
        )}
      </Show>
      <div class="profile-layout">
        <section class="card profile-card" aria-labelledby="tutor-name">
          <Show when={tutor.latest} fallback={<div class="skeleton" style={{ height: "160px" }} aria-label="Loading tutor" />}>
            {(t) => (
              <>
                <div class="profile-head">
                  <div class="avatar" aria-hidden="true">
                    {t().name.charAt(0)}
                  </div>
                  <div>
                    <h1 id="tutor-name">{t().name}</h1>
                    <p class="muted small">{formatRating(t().rating, t().ratingCount)}</p>
                  </div>
                </div>
                <CreditPrice minutesPerHour={t().creditMinutesPerHour} />
                <ul class="chips" aria-label="Subjects">
                  <For each={t().subjects}>{(s) => <li class="chip static">{subjectLabel(s)}</li>}</For>
                </ul>
                <p class="bio">{t().bio || `${firstName(t().name)} hasn't written a bio yet.`}</p>
                <Show when={role() !== "tutor" && role() !== "admin" && !offline()}>
                  <div class="row">
                    <MessageButton to={{ tutorId: t().id }} label={`Message ${firstName(t().name)}`} />
                  </div>
                </Show>
                <p class="small muted">
                  Lives in {zoneLabel(t().timezone)} · it's {formatTime(Date.now(), t().timezone)} there now.
                </p>
                <TutorReviews tutorId={t().id} rating={t().rating} ratingCount={t().ratingCount} zone={zone()} />
              </>
            )}
          </Show>
        </section>

        <section class="card slots-card" aria-labelledby="slots-title">
          <div class="slots-head">
            <div>
              <h2 id="slots-title">Free times</h2>
              <p class="small muted" aria-live="polite">
                Shown in <strong>{zoneLabel(zone(), startOfDay(week(), zone()))}</strong>
                <Show when={offline()}>
                  <span class="badge warning live-badge">Saved copy</span>
                </Show>
                <Show when={!offline() && live.status() !== "open"}>
                  <span class="badge warning live-badge">{live.status() === "connecting" ? "Connecting…" : "Reconnecting…"}</span>
                </Show>
                <Show when={!offline() && live.status() === "open"}>
                  <span class="badge success live-badge" title="Slots update the moment someone books">
                    Live
                  </span>
                </Show>
              </p>
            </div>
            <div class="field compact">
              <label for="viewer-zone">Show times in</label>
              <TimeZoneSelect id="viewer-zone" value={zone()} onChange={(z) => setSearch({ tz: z }, { replace: true })} />
            </div>
          </div>
          <div class="slots-controls">
            <DurationPicker value={duration()} onChange={(d) => setSearch({ duration: String(d) }, { replace: true })} />
            <WeekNav week={week()} canGoBack={week() > thisWeek()} onChange={(w) => setSearch({ week: w === thisWeek() ? undefined : w })} />
          </div>
          <Show when={!canBook() && !offline()}>
            <p class="alert info small">You're signed in as {role() === "tutor" ? "a tutor" : "an admin"}: you can look at free times, but only students can book.</p>
          </Show>
          <ErrorAlert message={live.view.error ? "Couldn't load free times. Check your connection; we'll keep trying." : undefined} />
          <WeekSlots
            week={week()}
            zone={zone()}
            today={today()}
            slots={live.slots()}
            loading={live.view.loading && !live.view.latest}
            onPick={canBook() ? pickSlot : undefined}
            actionLabel={`Book ${formatMinutes(duration())} on`}
            emptyText={`No free ${formatMinutes(duration())} times this week. Try another week or a shorter session.`}
          />

          <Show when={live.groups().length}>
            <h3 class="section-title">Group sessions you can join</h3>
            <ul class="group-list">
              <For each={live.groups()}>
                {(g) => (
                  <li class="group-item" data-group={g.id} data-start={g.start}>
                    <div>
                      <strong>{subjectLabel(g.subject)}</strong> · {formatDateTime(g.start, zone())} – {formatTime(g.end, zone())}
                      <div class="small muted">
                        {g.seats - g.seatsTaken} of {g.seats} seats left · {formatCredits(g.creditsMinutes)} per seat
                      </div>
                    </div>
                    <Show when={canBook()}>
                      <button type="button" class="btn small secondary" onClick={() => choose({ kind: "group", offer: g })} aria-label={`Join ${subjectLabel(g.subject)} group on ${formatDateTime(g.start, zone())}`}>
                        Join
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </div>

      <Show when={tutor.latest && pick()} keyed>
        {(p) => (
          <Dialog open title={p.kind === "group" ? "Join this group session" : "Confirm your booking"} onClose={() => setPick()} busy={busy()}>
            <BookingDialogBody
              tutor={tutor.latest!}
              pick={p}
              price={live.view.latest?.price.creditMinutes}
              viewerZone={zone()}
              defaultSubject={search.subject}
              onClose={() => setPick()}
              onBooked={() => live.refetch()}
              onSlotGone={slotGone}
              onPendingChange={setBusy}
            />
          </Dialog>
        )}
      </Show>
    </Show>
  );
}

function TutorMissing(props: { error: unknown }) {
  return (
    <div class="card narrow">
      <h1>Tutor not found</h1>
      <p class="muted">{(props.error as { status?: number })?.status === 404 ? "This tutor isn't listed (any more)." : "We couldn't load this tutor. Try again in a moment."}</p>
      <A class="btn" href="/tutors">
        Find a tutor
      </A>
    </div>
  );
}

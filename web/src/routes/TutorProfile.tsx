import { TutorAvatar } from "../components/TutorAvatar";
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
import { NEXT_FREE_WEEKS, createNextFree } from "../features/tutors/nextFree";
import { fetchTutor } from "../features/tutors/tutor";
import { t, tx } from "../i18n";
import { firstName, formatCredits, formatRating, subjectLabel } from "../lib/format";
import { CreditPrice } from "../components/CreditPrice";
import { authLink, session } from "../lib/session";
import { addDays, dayOf, formatDateTime, formatMinutes, formatTime, isDay, mondayOf, startOfDay, zoneLabel } from "../lib/time";
import { isValidTimeZone } from "../../../domain/time/zoneNames";
import { browserTimeZone } from "../lib/zones";
import { POLICY } from "../../../domain/credits/policy";
import { trialPrice } from "../../../domain/credits/pricing";
import { nextWeeklyStart } from "../components/WeeklyRepeat";

/** "Continue weekly" starts at the first week at least this far ahead (the tutor's notice for new bookings). */
const MIN_AHEAD_MS = 24 * 3_600_000;

/** A tutor's page: profile, a live week of free slots in the viewer's zone, open group sessions, booking. */
export default function TutorProfile() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{ week?: string; duration?: string; tz?: string; subject?: string; pick?: string; trial?: string; continue?: string; weekly?: string }>();
  const navigate = useNavigate();

  const zone = () => (search.tz && isValidTimeZone(search.tz) ? search.tz : (session.user()?.timezone ?? browserTimeZone()));
  const [tutor, { refetch: refetchTutor }] = createResource(() => params.id, fetchTutor);
  /**
   * The tutor's trial is open to this viewer: they offer trials and (for a signed-in student) the student has no lesson
   * with them booked or had: the server answers with the booking's own rule.
   */
  const trialOpen = () => !!tutor.latest?.trialAvailable;
  /** Booking a trial lesson: its fixed length, at the trial price (only while the trial is open to the viewer). */
  const trialMode = () => search.trial === "1" && trialOpen();
  const duration = (): Duration => {
    if (trialMode()) return POLICY.trialMinutes;
    const d = Number(search.duration);
    return isDuration(d) ? d : 60;
  };
  const today = () => dayOf(Date.now(), zone());
  const thisWeek = () => mondayOf(today());
  const week = () => (isDay(search.week) && mondayOf(search.week) > thisWeek() ? mondayOf(search.week) : thisWeek());

  // Slots (and their live socket) only for a tutor that exists: a bad id is answered once, never retried. The
  // session is awaited too, so the first fetch is already in the signed-in user's zone.
  const known = () => tutor.state === "ready" || tutor.state === "refreshing";
  const live = createLiveSlots(() =>
    session.user.loading || !known() ? undefined : { tutorId: params.id, from: startOfDay(week(), zone()), to: startOfDay(addDays(week(), 7), zone()), duration: duration() },
  );

  // A week with no free time left points at the first free time after it, one click away instead of a week a click.
  const weekEmpty = () => known() && !offline() && !!live.view.latest && live.slots().length === 0;
  const nextFree = createNextFree(() =>
    weekEmpty() ? { tutorId: params.id, from: startOfDay(addDays(week(), 7), zone()), to: startOfDay(addDays(week(), 7 * (1 + NEXT_FREE_WEEKS)), zone()), duration: duration() } : undefined,
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
  /** The dialog opens with "repeat every week" chosen (continuing weekly after a trial). */
  const [repeatPreset, setRepeatPreset] = createSignal(false);

  const choose = (p: SlotPick) => {
    if (session.user() === null) {
      const start = p.kind === "group" ? p.offer.start : p.start;
      const back = `${location.pathname}?${new URLSearchParams({ ...cleanSearch(), pick: start })}`;
      navigate(authLink("/signup", back));
      return;
    }
    setPick(p);
  };
  const cleanSearch = () => Object.fromEntries(Object.entries({ week: search.week, duration: search.duration, tz: search.tz, subject: search.subject, trial: search.trial }).filter(([, v]) => !!v)) as Record<string, string>;

  // "Continue weekly" after a trial: the same wall-clock time in the tutor's zone, the first week still ahead, picked
  // with weekly lessons chosen (the pick below opens it once its week's slots say it is free).
  createEffect(() => {
    const from = search.continue;
    // Not for a tutor that failed to load (reading `latest` of a failed resource throws).
    const tu = tutor.state === "ready" || tutor.state === "refreshing" ? tutor.latest : undefined;
    if (!from || !tu || Number.isNaN(Date.parse(from))) return;
    const next = nextWeeklyStart(from, tu.timezone, Date.now() + MIN_AHEAD_MS);
    setSearch({ continue: undefined, trial: undefined, duration: undefined, pick: next, weekly: "1", week: mondayOf(dayOf(next, zone())) }, { replace: true });
  });

  // Back from logging in with a slot in mind: open its confirmation once it is known to be free.
  createEffect(() => {
    const wanted = search.pick;
    if (!wanted || role() !== "student" || pick()) return;
    const slot = live.slots().find((s) => s.start === wanted);
    const group = live.groups().find((g) => g.start === wanted);
    const weekly = search.weekly === "1";
    if (slot || group || live.view.latest) setSearch({ pick: undefined, weekly: undefined }, { replace: true });
    setRepeatPreset(weekly);
    if (group) setPick({ kind: "group", offer: group });
    else if (slot) setPick({ kind: "one_on_one", ...slot });
  });

  const pickSlot = (s: SlotLike) => {
    setRepeatPreset(false);
    choose({ kind: "one_on_one", start: s.start, end: s.end });
  };
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
            {t("core.tutor.offline", { saved: formatDateTime(at(), zone()), zone: zoneLabel(zone()) })}
          </p>
        )}
      </Show>
      <div class="profile-layout">
        <section class="card profile-card" aria-labelledby="tutor-name">
          <Show when={tutor.latest} fallback={<div class="skeleton" style={{ height: "160px" }} aria-label={t("core.tutor.loading")} />}>
            {(tu) => (
              <>
                <div class="profile-head">
                  <TutorAvatar name={tu().name} photoUrl={tu().photoUrl} large />
                  <div>
                    <h1 id="tutor-name">{tu().name}</h1>
                    <p class="muted small">{formatRating(tu().rating, tu().ratingCount)}</p>
                  </div>
                </div>
                <CreditPrice minutesPerHour={tu().creditMinutesPerHour} />
                <Show when={trialOpen()}>
                  <p class="small trial-offer" data-testid="trial-offer">
                    <span class="badge success">{t("core.trial.badge")}</span> {t("core.trial.offers", { duration: formatMinutes(POLICY.trialMinutes), credits: formatCredits(trialPrice(tu().hourlyRateCents)) })}
                  </p>
                </Show>
                <ul class="chips" aria-label={t("core.search.subjects")}>
                  <For each={tu().subjects}>{(s) => <li class="chip static">{subjectLabel(s)}</li>}</For>
                </ul>
                <p class="bio" dir="auto">{tu().bio || t("core.tutor.noBio", { name: firstName(tu().name) })}</p>
                <Show when={tu().introVideoUrl}>
                  {(url) => (
                    <a class="intro-video" href={url()} target="_blank" rel="noopener noreferrer nofollow" data-testid="intro-video">
                      ▶ {t("core.tutor.introVideo", { name: firstName(tu().name) })}
                      <span class="sr-only"> ({t("core.tutor.introVideoOpens", { site: videoSite(url()) })})</span>
                    </a>
                  )}
                </Show>
                <Show when={role() !== "tutor" && role() !== "admin" && !offline()}>
                  <div class="row">
                    <MessageButton to={{ tutorId: tu().id }} label={t("core.tutor.message", { name: firstName(tu().name) })} />
                  </div>
                </Show>
                <p class="small muted">
                  {t("core.tutor.livesIn", { zone: zoneLabel(tu().timezone), time: formatTime(Date.now(), tu().timezone) })}
                </p>
                <TutorReviews tutorId={tu().id} rating={tu().rating} ratingCount={tu().ratingCount} zone={zone()} />
              </>
            )}
          </Show>
        </section>

        <section class="card slots-card" aria-labelledby="slots-title">
          <div class="slots-head">
            <div>
              <h2 id="slots-title">{t("core.tutor.freeTimes")}</h2>
              <p class="small muted" aria-live="polite">
                {tx("core.tutor.shownIn", { zone: <strong>{zoneLabel(zone(), startOfDay(week(), zone()))}</strong> })}
                <Show when={offline()}>
                  <span class="badge warning live-badge">{t("core.tutor.savedCopy")}</span>
                </Show>
                <Show when={!offline() && live.status() !== "open"}>
                  <span class="badge warning live-badge">{live.status() === "connecting" ? t("core.tutor.connecting") : t("core.tutor.reconnecting")}</span>
                </Show>
                <Show when={!offline() && live.status() === "open"}>
                  <span class="badge success live-badge" title={t("core.tutor.liveTitle")}>
                    {t("core.tutor.live")}
                  </span>
                </Show>
              </p>
            </div>
            <div class="field compact">
              <label for="viewer-zone">{t("core.tutor.showTimesIn")}</label>
              <TimeZoneSelect id="viewer-zone" value={zone()} onChange={(z) => setSearch({ tz: z }, { replace: true })} />
            </div>
          </div>
          <Show when={trialOpen() && canBook()}>
            <label class="checkbox trial-toggle">
              <input type="checkbox" checked={trialMode()} onChange={(e) => setSearch({ trial: e.currentTarget.checked ? "1" : undefined }, { replace: true })} data-testid="trial-mode" />{" "}
              {t("core.trial.toggle", { duration: formatMinutes(POLICY.trialMinutes), credits: formatCredits(trialPrice(tutor.latest!.hourlyRateCents)) })}
            </label>
          </Show>
          <div class="slots-controls">
            <Show when={!trialMode()}>
              <DurationPicker value={duration()} onChange={(d) => setSearch({ duration: String(d) }, { replace: true })} />
            </Show>
            <WeekNav week={week()} canGoBack={week() > thisWeek()} onChange={(w) => setSearch({ week: w === thisWeek() ? undefined : w })} />
          </div>
          <Show when={!canBook() && !offline()}>
            <p class="alert info small">{role() === "tutor" ? t("core.tutor.onlyStudentsTutor") : t("core.tutor.onlyStudentsAdmin")}</p>
          </Show>
          <ErrorAlert message={live.view.error ? t("core.tutor.slotsFailed") : undefined} />
          <WeekSlots
            week={week()}
            zone={zone()}
            today={today()}
            slots={live.slots()}
            loading={live.view.loading && !live.view.latest}
            onPick={canBook() ? pickSlot : undefined}
            actionLabel={t("core.tutor.bookOn", { duration: formatMinutes(duration()) })}
            emptyText={t("core.tutor.noSlots", { duration: formatMinutes(duration()) })}
            emptyAction={
              <Show when={nextFree() !== undefined}>
                <Show when={nextFree()} fallback={<p class="small muted" data-testid="next-free-none">{t("core.tutor.nothingSoon", { weeks: NEXT_FREE_WEEKS })}</p>}>
                  {(s) => (
                    <p class="small" data-testid="next-free" data-start={s().start}>
                      {t("core.tutor.nextFree", { when: formatDateTime(s().start, zone()) })}{" "}
                      <button type="button" class="btn small" onClick={() => setSearch({ week: mondayOf(dayOf(s().start, zone())) })}>
                        {t("core.tutor.showThatWeek")}
                      </button>
                    </p>
                  )}
                </Show>
              </Show>
            }
          />

          <Show when={live.groups().length}>
            <h3 class="section-title">{t("core.tutor.groups")}</h3>
            <ul class="group-list">
              <For each={live.groups()}>
                {(g) => (
                  <li class="group-item" data-group={g.id} data-start={g.start}>
                    <div>
                      <strong>{subjectLabel(g.subject)}</strong> · {formatDateTime(g.start, zone())} – {formatTime(g.end, zone())}
                      <div class="small muted">
                        {g.seatsTaken < g.seats ? t("core.tutor.seatsLeft", { left: g.seats - g.seatsTaken, count: g.seats }) : t("core.tutor.full")} · {t("core.tutor.perSeat", { credits: formatCredits(g.creditsMinutes) })}
                      </div>
                    </div>
                    <Show when={canBook()}>
                      <Show
                        when={g.seatsTaken < g.seats}
                        fallback={
                          <A class="btn small secondary" href={role() === "student" ? `/groups/${encodeURIComponent(g.id)}` : authLink("/signup", `/groups/${encodeURIComponent(g.id)}`)} aria-label={t("core.tutor.joinWaitlistOn", { subject: subjectLabel(g.subject), when: formatDateTime(g.start, zone()) })}>
                            {t("core.tutor.joinWaitlist")}
                          </A>
                        }
                      >
                        <button type="button" class="btn small secondary" onClick={() => choose({ kind: "group", offer: g })} aria-label={t("core.tutor.joinGroupOn", { subject: subjectLabel(g.subject), when: formatDateTime(g.start, zone()) })}>
                          {t("core.tutor.join")}
                        </button>
                      </Show>
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
          <Dialog open title={p.kind === "group" ? t("core.booking.joinTitle") : t("core.booking.confirmTitle")} onClose={() => setPick()} busy={busy()}>
            <BookingDialogBody
              tutor={tutor.latest!}
              pick={p}
              price={live.view.latest?.price.creditMinutes}
              viewerZone={zone()}
              defaultSubject={search.subject}
              onClose={() => setPick()}
              onBooked={() => {
                live.refetch();
                // A booking closes the trial with this tutor: the page stops offering it.
                void refetchTutor();
              }}
              onSlotGone={slotGone}
              onPendingChange={setBusy}
              trial={p.kind === "one_on_one" && trialMode()}
              repeatWeekly={repeatPreset()}
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
      <h1>{t("core.tutor.notFound")}</h1>
      <p class="muted">{(props.error as { status?: number })?.status === 404 ? t("core.tutor.notListed") : t("core.tutor.loadFailed")}</p>
      <A class="btn" href="/tutors">
        {t("core.nav.findTutor")}
      </A>
    </div>
  );
}

/** The site an intro video link opens (the schema allows only these two). */
const videoSite = (url: string) => (/vimeo\.com$/i.test(new URL(url).hostname) ? "Vimeo" : "YouTube");

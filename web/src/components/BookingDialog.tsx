import { A } from "@solidjs/router";
import { Match, Show, Switch, createResource, createSignal } from "solid-js";
import { POLICY } from "../../../domain/credits/policy";
import { seatPrice, trialPrice } from "../../../domain/credits/pricing";
import type { Booking } from "../../../domain/schemas/booking";
import type { Tutor } from "../../../domain/schemas/tutor";
import { bookSlot, bookingErrorText, newIdempotencyKey } from "../features/bookings/bookings";
import { fetchCredits } from "../features/credits/credits";
import type { GroupOffer } from "../features/tutors/tutor";
import { ApiFailure } from "../lib/api";
import { firstName, formatPercent, subjectLabel } from "../lib/format";
import { authLink, returnTo, session } from "../lib/session";
import { formatDateTime, formatMinutes, formatTime, minutesBetween, zoneLabel } from "../lib/time";
import { Button } from "./Button";
import { isDuration } from "./DurationPicker";
import { t, tx } from "../i18n";
import { WeeklyRepeat } from "./WeeklyRepeat";
import { bookWeekly } from "../features/series/series";
import type { Series } from "../../../domain/schemas/series";
import { SERIES_POLICY, chargeAt } from "../../../domain/series/policy";

/** Moves focus to an element as soon as it is shown (content that replaces the focused control). */
export const focusOnMount = (el: HTMLElement) => queueMicrotask(() => el.isConnected && el.focus());

export type SlotPick = { kind: "one_on_one"; start: string; end: string } | { kind: "group"; offer: GroupOffer };

/** The confirmation step of booking a slot (or a seat in a group): what, when in both zones, cost, policy. */
export function BookingDialogBody(props: {
  tutor: Tutor;
  pick: SlotPick;
  /** The 1:1 price of this length as the tutor's calendar charges it (from the slots answer). */
  price?: number;
  viewerZone: string;
  defaultSubject?: string;
  onClose: () => void;
  onBooked: (b: Booking) => void;
  onSlotGone: () => void;
  onPendingChange: (pending: boolean) => void;
  /** A trial lesson (POLICY.trialMinutes at the trial price, the student's first with this tutor). */
  trial?: boolean;
  /** Opens with "repeat every week" chosen (continuing weekly after a trial). */
  repeatWeekly?: boolean;
}) {
  const start = () => (props.pick.kind === "group" ? props.pick.offer.start : props.pick.start);
  const end = () => (props.pick.kind === "group" ? props.pick.offer.end : props.pick.end);
  const duration = () => minutesBetween(start(), end());
  // Exactly what booking charges: a group's seat price, or the calendar's price for this length (the same rule on the
  // tutor's rate before the slots answer arrives).
  const cost = () =>
    props.pick.kind === "group"
      ? props.pick.offer.creditsMinutes
      : props.trial
        ? trialPrice(props.tutor.hourlyRateCents)
        : (props.price ?? seatPrice({ kind: "one_on_one", hourlyRateCents: props.tutor.hourlyRateCents, durationMinutes: duration() }));
  const initialSubject =
    props.pick.kind === "group"
      ? props.pick.offer.subject
      : props.defaultSubject && props.tutor.subjects.includes(props.defaultSubject)
        ? props.defaultSubject
        : (props.tutor.subjects[0] ?? "");
  const [subject, setSubject] = createSignal(initialSubject);
  const [credits, { refetch: refetchCredits }] = createResource(fetchCredits);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<{ code: string; text: string }>();
  const [booked, setBooked] = createSignal<Booking>();
  const [repeat, setRepeat] = createSignal(!props.trial && !!props.repeatWeekly);
  const [weeks, setWeeks] = createSignal(8);
  const [series, setSeries] = createSignal<Series>();
  /** A weekly series pays its first lesson now only when it is within the charge window. */
  const payNow = () => !repeat() || chargeAt(Date.parse(start())) <= Date.now();

  // One key per booking attempt; a retry of the same request reuses it, a changed request gets a new one.
  let key = newIdempotencyKey();
  let lastBody = "";

  const groupInfo = () =>
    props.pick.kind === "group" ? t("core.booking.groupInfo", { left: props.pick.offer.seats - props.pick.offer.seatsTaken, count: props.pick.offer.seats }) : undefined;
  /** The free plan's trial of this month: nothing is charged (a promotional grant pays it). */
  const freeTrial = () => !!props.trial && !!credits.latest?.freeTrial.available;
  /** What booking takes from the balance now. */
  const charged = () => (freeTrial() ? 0 : cost());
  const lateStart = () => Date.parse(start()) - Date.now() < POLICY.studentRefundHours * 3_600_000;
  const short = () => (credits.latest && payNow() ? credits.latest.balanceMinutes < charged() : false);
  const unverified = () => session.user()?.emailVerified === false;
  /** This page with this slot picked: where buying credit or confirming the address comes back to. */
  const here = () => {
    const q = new URLSearchParams(location.search);
    q.set("pick", start());
    return `${location.pathname}?${q}`;
  };
  const [checking, setChecking] = createSignal(false);
  const recheck = async () => {
    setChecking(true);
    try {
      await session.refresh();
    } finally {
      setChecking(false);
    }
  };
  const moreCredits = () => (
    <A href="/billing" onClick={() => returnTo.remember(here(), charged())}>
      {t("core.booking.getCredits")}
    </A>
  );

  const confirm = async () => {
    const minutes = duration();
    const single = { tutorId: props.tutor.id, start: start(), durationMinutes: isDuration(minutes) ? minutes : 60, subject: subject(), group: props.pick.kind === "group", ...(props.trial ? { trial: true } : {}) };
    const body = repeat() && !props.trial ? { ...single, repeat: { weeks: weeks() } } : single;
    const text = JSON.stringify(body);
    if (lastBody && text !== lastBody) key = newIdempotencyKey();
    lastBody = text;
    setError(undefined);
    setPending(true);
    props.onPendingChange(true);
    try {
      if ("repeat" in body) {
        const made = await bookWeekly(body, key);
        setSeries(made);
        setBooked(made.occurrences[0]);
        returnTo.forget();
        if (made.occurrences[0]) props.onBooked(made.occurrences[0]);
      } else {
        const booking = await bookSlot(body, key);
        setBooked(booking);
        returnTo.forget();
        props.onBooked(booking);
      }
    } catch (e) {
      const code = e instanceof ApiFailure ? e.code : "error";
      setError({ code, text: bookingErrorText(e) });
      if (code === "slot_unavailable") props.onSlotGone();
      if (code === "insufficient_credits") void refetchCredits();
      if (code === "slot_unavailable" || code === "insufficient_credits" || code === "student_busy") key = newIdempotencyKey();
    } finally {
      setPending(false);
      props.onPendingChange(false);
    }
  };

  return (
    <Show
      when={!booked()}
      fallback={
        <div class="stack booked" role="status">
          <div class="alert success">
            <strong>{t("core.booking.booked")}</strong>{" "}
            {(() => {
              const what = { subject: subjectLabel(booked()!.subject), tutor: props.tutor.name, when: formatDateTime(booked()!.start, props.viewerZone) };
              const s = series();
              // A series is one sentence: its first lesson, then every week after.
              return s ? t("core.booking.bookedWeekly", { ...what, weeks: t("core.series.everyWeek", { count: s.occurrences.length }) }) : t("core.booking.bookedWhat", what);
            })()}
          </div>
          <Show when={series()?.skipped.length}>
            <div class="alert warning" role="status">
              {t(props.pick.kind === "group" ? "core.series.skippedGroup" : "core.series.skipped", { count: series()!.skipped.length, name: firstName(props.tutor.name) })}
            </div>
          </Show>
          <p class="small muted">{t("core.booking.told", { name: firstName(props.tutor.name) })}</p>
          <div class="row dialog-actions">
            <Show
              when={series()}
              fallback={
                <A class="btn" href="/sessions">
                  {t("core.booking.seeSessions")}
                </A>
              }
            >
              {(s) => (
                <A class="btn" href={`/series/${s().id}`}>
                  {t("core.series.see")}
                </A>
              )}
            </Show>
            <Button variant="secondary" onClick={props.onClose} ref={focusOnMount}>
              {t("core.booking.done")}
            </Button>
          </div>
        </div>
      }
    >
      <div class="stack">
        <dl class="facts">
          <div>
            <dt>{t("core.booking.when")}</dt>
            <dd>
              <strong>{formatDateTime(start(), props.viewerZone)}</strong> – {formatTime(end(), props.viewerZone)}
              <span class="small muted"> · {zoneLabel(props.viewerZone, start())}</span>
            </dd>
          </div>
          <Show when={props.tutor.timezone !== props.viewerZone}>
            <div>
              <dt>{t("core.booking.forTutor", { name: firstName(props.tutor.name) })}</dt>
              <dd>
                <Show when={formatDateTime(start(), props.tutor.timezone) !== formatDateTime(start(), props.viewerZone)} fallback={t("core.booking.sameTime")}>
                  {formatDateTime(start(), props.tutor.timezone)} – {formatTime(end(), props.tutor.timezone)}
                </Show>
                <span class="small muted"> · {zoneLabel(props.tutor.timezone, start())}</span>
              </dd>
            </div>
          </Show>
          <div>
            <dt>{t("core.booking.session")}</dt>
            <dd>
              {formatMinutes(duration())} · {groupInfo() ?? (props.trial ? t("core.trial.session") : t("core.booking.oneOnOne"))}
            </dd>
          </div>
        </dl>

        <Show when={props.trial}>
          <p class="small" data-testid="trial-terms">
            <span class="badge success">{t("core.trial.badge")}</span> {t("core.trial.hint", { name: firstName(props.tutor.name), percent: formatPercent(POLICY.trialPercent) })}
          </p>
        </Show>
        <Show when={!props.trial}>
          <WeeklyRepeat
            start={start()}
            tutorZone={props.tutor.timezone}
            viewerZone={props.viewerZone}
            repeat={repeat()}
            weeks={weeks()}
            onRepeat={setRepeat}
            onWeeks={setWeeks}
            groupOf={props.pick.kind === "group" ? firstName(props.tutor.name) : undefined}
          />
        </Show>

        <Show
          when={props.pick.kind === "one_on_one" && props.tutor.subjects.length > 1}
          fallback={
            <p class="small">
              <span class="label">{t("core.booking.subjectColon")}</span> {subjectLabel(subject())}
            </p>
          }
        >
          <div class="field">
            <label for="book-subject">{t("core.booking.subject")}</label>
            <select id="book-subject" value={subject()} onChange={(e) => setSubject(e.currentTarget.value)}>
              {props.tutor.subjects.map((s) => (
                <option value={s}>{subjectLabel(s)}</option>
              ))}
            </select>
          </div>
        </Show>

        <div class="cost">
          <div>
            <span class="label">{t("core.booking.cost")}</span>
            <div class="stat" data-testid="cost">{freeTrial() ? t("core.trial.free") : formatMinutes(cost())}</div>
            <span class="small muted">
              {freeTrial()
                ? t("core.trial.freeWhy")
                : props.pick.kind === "group" && !repeat()
                ? t("core.booking.ofCreditPerSeat")
                : repeat()
                  ? payNow()
                    ? t("core.series.perLessonNow")
                    : t("core.series.perLesson", { days: SERIES_POLICY.chargeDaysBefore })
                  : t("core.booking.ofCredit")}
            </span>
          </div>
          <div>
            <span class="label">{t("core.booking.balance")}</span>
            <div class="stat" data-testid="balance">
              <Show when={credits.latest} fallback={credits.error ? "—" : "…"}>
                {(c) => formatMinutes(c().balanceMinutes)}
              </Show>
            </div>
            <Show when={credits.latest && !short()}>
              <span class="small muted">{t("core.booking.leftAfter", { duration: formatMinutes(credits.latest!.balanceMinutes - charged()) })}</span>
            </Show>
          </div>
        </div>

        <Show when={unverified()}>
          <div class="alert warning" role="status" data-testid="confirm-email-first">
            {tx("core.booking.confirmFirst", { email: <strong>{session.user()?.email}</strong> })}{" "}
            <Button small variant="secondary" pending={checking()} onClick={() => void recheck()}>
              {t("core.booking.confirmed")}
            </Button>
          </div>
        </Show>

        <Show when={short() && error()?.code !== "insufficient_credits"}>
          <div class="alert warning" role="status">
            {t("core.booking.short", { need: formatMinutes(cost()), have: formatMinutes(credits.latest!.balanceMinutes) })} {moreCredits()}
          </div>
        </Show>

        <p class="small muted policy">
          {t("core.booking.policy", { count: POLICY.studentRefundHours, name: firstName(props.tutor.name) })}
          <Show when={lateStart()}>
            {" "}
            <strong>{t("core.booking.late", { count: POLICY.studentRefundHours })}</strong>
          </Show>
        </p>

        <Show when={error()}>
          {(err) => (
            <div class="alert error" role="alert">
              {err().text}{" "}
              <Switch>
                <Match when={err().code === "insufficient_credits"}>{moreCredits()}</Match>
                <Match when={err().code === "unauthenticated"}>
                  <A href={authLink("/login", here())}>{t("core.nav.logIn")}</A>
                </Match>
              </Switch>
            </div>
          )}
        </Show>

        <div class="row dialog-actions">
          <Show
            when={error()?.code !== "slot_unavailable"}
            fallback={
              <Button onClick={props.onClose} ref={focusOnMount}>
                {t("core.booking.chooseAnother")}
              </Button>
            }
          >
            <Button onClick={confirm} pending={pending()} disabled={short() || unverified() || !subject()} autofocus>
              {pending()
                ? t("core.booking.booking")
                : props.trial
                  ? freeTrial()
                    ? t("core.trial.bookFree")
                    : t("core.trial.bookFor", { duration: formatMinutes(cost()) })
                  : repeat()
                  ? t("core.series.book", { count: weeks() })
                  : t(props.pick.kind === "group" ? "core.booking.joinFor" : "core.booking.bookFor", { duration: formatMinutes(cost()) })}
            </Button>
            <Button variant="secondary" onClick={props.onClose} disabled={pending()}>
              {t("core.booking.cancel")}
            </Button>
          </Show>
        </div>
      </div>
    </Show>
  );
}

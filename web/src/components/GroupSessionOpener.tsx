import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { GROUP_PRICING, POLICY } from "../../../domain/credits/policy";
import { seatPrice } from "../../../domain/credits/pricing";
import type { User } from "../../../domain/schemas/auth";
import type { Duration } from "../../../domain/schemas/availability";
import type { Booking } from "../../../domain/schemas/booking";
import { openGroupSession } from "../features/availability/availability";
import { newIdempotencyKey } from "../features/bookings/bookings";
import { fetchMyProfile } from "../features/tutors/profile";
import { createLiveSlots } from "../features/tutors/liveSlots";
import { createAction } from "../lib/action";
import { ApiFailure, messageOf } from "../lib/api";
import { formatCredits, subjectLabel } from "../lib/format";
import { addDays, dayOf, formatDateTime, formatMinutes, formatTime, mondayOf, startOfDay } from "../lib/time";
import { Button } from "./Button";
import { ErrorAlert } from "./Alert";
import { DurationPicker } from "./DurationPicker";
import { WeekNav } from "./WeekNav";
import { type SlotLike, WeekSlots } from "./WeekSlots";
import { locale, t, tx } from "../i18n";
import { formatPercent } from "../lib/format";

/** A tutor opens a group session on one of their own free slots: subject, length, seats 2–8. */
export default function GroupSessionOpener(props: { user: User; onOpened: (b: Booking) => void }) {
  const [profile] = createResource(fetchMyProfile);
  const zone = () => props.user.timezone;
  const thisWeek = mondayOf(dayOf(Date.now(), zone()));
  const [week, setWeek] = createSignal(thisWeek);
  const [duration, setDuration] = createSignal<Duration>(60);
  // What is typed in the seats box, as typed: checked when it is left and when the group is opened.
  const [seatsText, setSeatsText] = createSignal("4");
  const [seatsError, setSeatsError] = createSignal<string>();
  const seatsValue = () => {
    const n = Number(seatsText().trim());
    return seatsText().trim() !== "" && Number.isInteger(n) && n >= POLICY.groupMinSeats && n <= POLICY.groupMaxSeats ? n : undefined;
  };
  const seats = () => seatsValue() ?? 4;
  const checkSeats = () => {
    const ok = seatsValue() !== undefined;
    setSeatsError(ok ? undefined : t("sessions.group.seatsError", { min: POLICY.groupMinSeats, max: POLICY.groupMaxSeats }));
    return ok;
  };
  const [subject, setSubject] = createSignal<string>();
  const [slot, setSlot] = createSignal<SlotLike>();
  const [open, setOpen] = createSignal(false);
  const live = createLiveSlots(() => (open() ? { tutorId: props.user.id, from: startOfDay(week(), zone()), to: startOfDay(addDays(week(), 7), zone()), duration: duration() } : undefined));
  let key = newIdempotencyKey();

  const chosenSubject = () => subject() ?? profile.latest?.subjects[0] ?? "";
  /** What each student pays for the seats and length chosen: the server's own rule (domain/credits/pricing.ts). */
  const seatCost = createMemo(() => {
    const p = profile.latest;
    return p ? seatPrice({ kind: "group", hourlyRateCents: p.hourlyRateCents, durationMinutes: duration(), seats: seats() }) : undefined;
  });
  /** The price tiers as a list in the viewer's language ("70% with 2–3 seats and 50% …", Arabic's «و» and «،»). */
  const tiers = () =>
    new Intl.ListFormat(locale(), { type: "conjunction" }).format(
      GROUP_PRICING.map((g) => t("sessions.group.tier", { percent: formatPercent(g.percent), min: g.minSeats, max: g.maxSeats })),
    );
  const submit = createAction(
    async () => {
      const s = slot();
      if (!s || !checkSeats()) return;
      try {
        const booking = await openGroupSession({ start: s.start, durationMinutes: duration(), subject: chosenSubject(), seats: seats() }, key);
        setSlot(undefined);
        live.refetch();
        props.onOpened(booking);
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "slot_unavailable") {
          live.markTaken(s.start, s.end);
          setSlot(undefined);
        }
        throw e;
      } finally {
        key = newIdempotencyKey();
      }
    },
    { errorText: (e) => (e instanceof ApiFailure && e.code === "slot_unavailable" ? t("sessions.group.taken") : messageOf(e)) },
  );

  return (
    <section class="card" aria-labelledby="group-title">
      <h2 id="group-title">{t("sessions.group.title")}</h2>
      <p class="small muted">
        {t("sessions.group.intro", {
          min: POLICY.groupMinSeats,
          max: POLICY.groupMaxSeats,
          tiers: tiers(),
        })}
      </p>
      <Show
        when={open()}
        fallback={
          <Button variant="secondary" onClick={() => setOpen(true)}>
            {t("sessions.group.choose")}
          </Button>
        }
      >
        <div class="stack">
          <div class="field">
            <label for="group-subject">{t("sessions.group.subject")}</label>
            <select id="group-subject" value={chosenSubject()} onChange={(e) => setSubject(e.currentTarget.value)}>
              <For each={profile.latest?.subjects ?? []}>{(s) => <option value={s}>{subjectLabel(s)}</option>}</For>
            </select>
          </div>
          <DurationPicker name="group-duration" value={duration()} onChange={(d) => (setDuration(d), setSlot(undefined))} />
          <div class="field">
            <label for="group-seats">{t("sessions.group.seats")}</label>
            <input
              id="group-seats"
              type="number"
              inputmode="numeric"
              min={POLICY.groupMinSeats}
              max={POLICY.groupMaxSeats}
              value={seatsText()}
              aria-describedby={seatsError() ? "group-seats-error" : "group-seats-hint"}
              aria-invalid={!!seatsError()}
              onInput={(e) => (setSeatsText(e.currentTarget.value), setSeatsError(undefined))}
              onBlur={checkSeats}
            />
            <Show
              when={seatsError()}
              fallback={
                <span class="hint" id="group-seats-hint">
                  {/* JSX, not a string returned from Show's child: that runs once, and the price must follow seats and length. */}
                  <Show when={seatCost()}>{(cost) => <>{t("sessions.group.pays", { amount: formatCredits(cost()) })}</>}</Show>
                </span>
              }
            >
              <span class="field-error" id="group-seats-error" role="alert">
                {seatsError()}
              </span>
            </Show>
          </div>
          <Show
            when={slot()}
            fallback={
              <>
                <WeekNav week={week()} canGoBack={week() > thisWeek} onChange={setWeek} compact />
                <WeekSlots week={week()} zone={zone()} today={dayOf(Date.now(), zone())} slots={live.slots()} loading={live.view.loading && !live.view.latest} onPick={setSlot} actionLabel={t("sessions.group.openOn")} compact />
              </>
            }
          >
            {(s) => (
              <div class="alert info" role="status">
                {tx("sessions.group.summary", { subject: subjectLabel(chosenSubject()), when: <strong>{formatDateTime(s().start, zone())} – {formatTime(s().end, zone())}</strong>, count: seats() })}
              </div>
            )}
          </Show>
          <ErrorAlert message={submit.error()} />
          <Show when={slot()}>
            <div class="row">
              <Button onClick={submit.run} pending={submit.pending()}>
                {submit.pending() ? t("sessions.group.opening") : t("sessions.group.open")}
              </Button>
              <Button variant="secondary" onClick={() => setSlot(undefined)} disabled={submit.pending()}>
                {t("sessions.reschedule.another")}
              </Button>
            </div>
          </Show>
        </div>
      </Show>
    </section>
  );
}

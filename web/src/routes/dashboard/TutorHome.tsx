import { A } from "@solidjs/router";
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import type { User } from "../../../../domain/schemas/auth";
import { TutorProfileInputSchema } from "../../../../domain/schemas/tutor";
import { Button } from "../../components/Button";
import { ErrorAlert } from "../../components/Alert";
import { Field } from "../../components/Field";
import { TimeZoneSelect } from "../../components/TimeZoneSelect";
import { createForm } from "../../lib/form";
import { fetchMyProfileForm, saveMyProfile } from "../../features/tutors/profile";
import type { RateBounds, Tutor } from "../../../../domain/schemas/tutor";
import { CREDIT_MINUTE_CENTS, oneOnOneCost, trialPrice } from "../../../../domain/credits/pricing";
import { POLICY } from "../../../../domain/credits/policy";
import { formatCreditRate, formatCredits, formatMoney, formatPercent } from "../../lib/format";
import { formatMinutes } from "../../lib/time";
import { SessionItem } from "../../components/SessionItem";
import { createLiveBookings, splitBookings } from "../../features/bookings/liveBookings";
import { messageOf } from "../../lib/api";
import { firstName } from "../../lib/format";
import { zoneLabel } from "../../lib/time";
import { t } from "../../i18n";

function ProfileForm(props: { tutor: Tutor; bounds: RateBounds; commissionPercent: number; onSaved: (t: Tutor) => void }) {
  const form = createForm(TutorProfileInputSchema, {
    bio: props.tutor.bio,
    subjects: props.tutor.subjects,
    hourlyRateCents: props.tutor.hourlyRateCents,
    timezone: props.tutor.timezone,
    offersTrials: props.tutor.offersTrials,
  });
  const [saved, setSaved] = createSignal(false);
  const onSubmit = form.submit(async (value) => {
    setSaved(false);
    props.onSaved(await saveMyProfile(value));
    setSaved(true);
  });
  return (
    <form onSubmit={onSubmit} novalidate>
      <ErrorAlert message={form.formError()} />
      <Field label={t("teaching.home.about")} name="bio" error={form.errors.bio}>
        <textarea id="f-bio" value={form.values.bio} onInput={(e) => form.set("bio", e.currentTarget.value)} maxLength={2000} />
      </Field>
      <Field
        label={t("teaching.home.subjects")}
        name="subjects"
        hint={t("teaching.home.subjectsHint")}
        value={(form.values.subjects as string[]).join(", ")}
        error={form.errors.subjects}
        onInput={(e) =>
          form.set(
            "subjects",
            e.currentTarget.value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          )
        }
      />
      <Field
        label={t("teaching.home.rate")}
        name="hourlyRateCents"
        type="number"
        min="5"
        step="1"
        inputmode="decimal"
        value={(form.values.hourlyRateCents as number) / 100}
        hint={rateHint(form.values.hourlyRateCents as number, props.bounds, props.commissionPercent)}
        error={form.errors.hourlyRateCents}
        onInput={(e) => form.set("hourlyRateCents", e.currentTarget.value.trim() === "" ? Number.NaN : Math.round(Number(e.currentTarget.value) * 100))}
      />
      <Field label={t("teaching.home.zone")} name="timezone" error={form.errors.timezone}>
        <TimeZoneSelect id="f-timezone" value={form.values.timezone} onChange={(z) => form.set("timezone", z)} />
      </Field>
      <div class="field">
        <label class="checkbox">
          <input type="checkbox" name="offersTrials" checked={!!form.values.offersTrials} onChange={(e) => form.set("offersTrials", e.currentTarget.checked)} aria-describedby="f-trials-hint" />{" "}
          {t("teaching.profile.offersTrials")}
        </label>
        <span class="hint" id="f-trials-hint">
          {t("teaching.profile.offersTrialsHint", {
            duration: formatMinutes(POLICY.trialMinutes),
            percent: POLICY.trialPercent,
            credits: Number.isInteger(form.values.hourlyRateCents) && (form.values.hourlyRateCents as number) >= 500 ? formatCredits(trialPrice(form.values.hourlyRateCents as number)) : "—",
          })}
        </span>
      </div>
      <Button type="submit" pending={form.pending()}>
        {form.pending() ? t("teaching.home.saving") : t("teaching.home.save")}
      </Button>
      <Show when={saved()}>
        <span class="small muted" role="status">
          {" "}
          {t("teaching.home.saved")}
        </span>
      </Show>
    </form>
  );
}

/**
 * What students pay at this rate, what the tutor keeps of it after the platform's commission (shown to the tutor
 * only), the allowed range, and that bookings keep the price they were made at.
 */
function rateHint(cents: number, b: RateBounds, commission: number): string {
  const dollars = (c: number) => formatMoney(c);
  const valid = Number.isInteger(cents) && cents > 0;
  // Earnings come from the paid value of the credit spent (domain/billing/earnings.ts): at the standard credit value.
  const earns = (minutes: number) => Math.floor((minutes * CREDIT_MINUTE_CENTS * (100 - commission)) / 100);
  const pays = valid
    ? `${t("teaching.home.pays", { rate: formatCreditRate(oneOnOneCost(cents, 60)), earns: dollars(earns(oneOnOneCost(cents, 60))), commission: formatPercent(commission) })} `
    : "";
  return `${pays}${t("teaching.home.allowed", { min: dollars(b.minHourlyRateCents), max: dollars(b.maxHourlyRateCents) })}`;
}

function UpcomingForTutor(props: { user: User }) {
  const live = createLiveBookings();
  const upcoming = createMemo(() => splitBookings(live.bookings.latest ?? []).upcoming.slice(0, 4));
  return (
    <section class="card" aria-labelledby="tutor-next-title">
      <div class="row">
        <h2 id="tutor-next-title" class="grow">
          {t("sessions.page.upcomingLabel")}
        </h2>
        <A href="/sessions" class="small">
          {t("sessions.home.all")}
        </A>
      </div>
      <Show when={upcoming().length} fallback={<p class="muted">{live.bookings.loading && !live.bookings.latest ? t("core.app.loading") : t("teaching.home.noneBooked")}</p>}>
        <ul class="session-list">
          <For each={upcoming()}>{(b) => <SessionItem booking={b} zone={props.user.timezone} role="tutor" />}</For>
        </ul>
      </Show>
      <div class="row">
        <A class="btn small secondary" href="/availability">
          {t("sessions.page.editAvailability")}
        </A>
        <A class="btn small secondary" href={`/tutors/${props.user.id}`}>
          {t("teaching.home.publicPage")}
        </A>
      </div>
    </section>
  );
}

export default function TutorHome(props: { user: User }) {
  const [page, { mutate }] = createResource(fetchMyProfileForm);
  const tutor = () => page()?.tutor;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("teaching.home.welcome", { name: firstName(props.user.name) })}</h1>
          <p>{t("teaching.home.scheduleIn", { zone: zoneLabel(props.user.timezone) })}</p>
        </div>
      </div>
      <Show when={page.error}>
        <ErrorAlert message={messageOf(page.error)} />
      </Show>
      <Show when={tutor()}>
        {(tutor) => (
          <div class="stack">
            <Show
              when={tutor().approved}
              fallback={
                <div class="alert warning" role="status">
                  {t("teaching.home.waiting")}
                </div>
              }
            >
              <div class="alert success" role="status">
                {t("teaching.home.approved")}
              </div>
            </Show>
            <UpcomingForTutor user={props.user} />
            <div class="card">
              <h2>{t("teaching.home.profile")}</h2>
              <ProfileForm tutor={tutor()} bounds={page()!.rateBounds} commissionPercent={page()!.commissionPercent} onSaved={(saved) => mutate((p) => p && { ...p, tutor: saved })} />
            </div>
          </div>
        )}
      </Show>
    </>
  );
}

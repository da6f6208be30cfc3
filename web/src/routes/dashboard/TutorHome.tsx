import { A } from "@solidjs/router";
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import type { User } from "../../../../domain/schemas/auth";
import { PHOTO, TutorProfileInputSchema, splitSubjects } from "../../../../domain/schemas/tutor";
import { Button } from "../../components/Button";
import { ErrorAlert } from "../../components/Alert";
import { Field } from "../../components/Field";
import { TimeZoneSelect } from "../../components/TimeZoneSelect";
import { createForm } from "../../lib/form";
import { fetchMyProfileForm, removeMyPhoto, resizePhoto, saveMyProfile, uploadMyPhoto } from "../../features/tutors/profile";
import { TutorAvatar } from "../../components/TutorAvatar";
import { messageOf } from "../../lib/api";
import type { RateBounds, Tutor } from "../../../../domain/schemas/tutor";
import { CREDIT_MINUTE_CENTS, oneOnOneCost, trialPrice } from "../../../../domain/credits/pricing";
import { POLICY } from "../../../../domain/credits/policy";
import { formatCreditRate, formatCredits, formatMoney, formatPercent } from "../../lib/format";
import { formatMinutes } from "../../lib/time";
import { SessionItem } from "../../components/SessionItem";
import { createLiveBookings, splitBookings } from "../../features/bookings/liveBookings";
import { firstName, subjectLabel } from "../../lib/format";
import { zoneLabel } from "../../lib/time";
import { t } from "../../i18n";
import { session } from "../../lib/session";

function ProfileForm(props: { tutor: Tutor; bounds: RateBounds; commissionPercent: number; onSaved: (t: Tutor) => void }) {
  const form = createForm(TutorProfileInputSchema, {
    bio: props.tutor.bio,
    // Each subject by the name the tutor reads it under ("Matemáticas"): saved, it is the same subject again.
    subjects: props.tutor.subjects.map((s) => subjectLabel(s)),
    hourlyRateCents: props.tutor.hourlyRateCents,
    timezone: props.tutor.timezone,
    introVideoUrl: props.tutor.introVideoUrl ?? "",
    offersTrials: props.tutor.offersTrials,
  });
  const [saved, setSaved] = createSignal(false);
  const onSubmit = form.submit(async (value) => {
    setSaved(false);
    const tutor = await saveMyProfile(value);
    props.onSaved(tutor);
    // The profile's zone is the tutor's one zone (account and hours follow it on the server): the page shows it now.
    const me = session.user();
    if (me && me.timezone !== tutor.timezone) session.setUser({ ...me, timezone: tutor.timezone });
    setSaved(true);
  });
  return (
    <form onSubmit={onSubmit} novalidate>
      <PhotoField tutor={props.tutor} onChange={(photoUrl) => props.onSaved({ ...props.tutor, photoUrl })} />
      <ErrorAlert message={form.formError()} />
      <Field label={t("teaching.home.about")} name="bio" error={form.errors.bio}>
        <textarea id="f-bio" value={form.values.bio} onInput={(e) => form.set("bio", e.currentTarget.value)} maxLength={2000} />
      </Field>
      <Field
        label={t("teaching.home.subjects")}
        name="subjects"
        hint={t("teaching.home.subjectsHint")}
        // Written with the language's own comma (the hint's); split on any list separator, "،" and "、" too.
        value={(form.values.subjects as string[]).join(t("teaching.home.subjectsSeparator"))}
        error={form.errors.subjects}
        onInput={(e) => form.set("subjects", splitSubjects(e.currentTarget.value))}
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
      <Field
        label={t("teaching.profile.introVideo")}
        name="introVideoUrl"
        type="url"
        inputmode="url"
        placeholder="https://www.youtube.com/watch?v=…"
        hint={t("teaching.profile.introVideoHint")}
        value={(form.values.introVideoUrl as string | null) ?? ""}
        error={form.errors.introVideoUrl}
        onInput={(e) => form.set("introVideoUrl", e.currentTarget.value)}
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
            percent: formatPercent(POLICY.trialPercent),
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

/** The tutor's photo: chosen, shrunk in the browser, uploaded at once; or removed. Pending and errors shown. */
function PhotoField(props: { tutor: Tutor; onChange: (photoUrl: string | null) => void }) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  let input!: HTMLInputElement;
  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    setDone(undefined);
    setPending(true);
    try {
      await action();
    } catch (x) {
      setError(messageOf(x));
    } finally {
      setPending(false);
      input.value = "";
    }
  };
  const choose = (file: File | undefined) =>
    file &&
    run(async () => {
      const small = await resizePhoto(file);
      if (!small) return void setError(t("teaching.profile.notAnImage"));
      props.onChange(await uploadMyPhoto(small));
      setDone(t("teaching.profile.photoSaved"));
    });
  const remove = () =>
    run(async () => {
      await removeMyPhoto();
      props.onChange(null);
      setDone(t("teaching.profile.photoRemoved"));
    });
  return (
    <fieldset class="photo-field" aria-describedby="f-photo-hint">
      <legend class="sr-only">{t("teaching.profile.photo")}</legend>
      <TutorAvatar name={props.tutor.name} photoUrl={props.tutor.photoUrl} large />
      <div class="grow stack">
        <strong>{t("teaching.profile.photo")}</strong>
        <span class="small muted" id="f-photo-hint">
          {t("teaching.profile.photoHint")}
        </span>
        <div class="row">
          <label class={`btn small secondary${pending() ? " disabled" : ""}`} aria-busy={pending() ? "true" : undefined}>
            {pending() ? t("teaching.profile.uploading") : props.tutor.photoUrl ? t("teaching.profile.replacePhoto") : t("teaching.profile.choosePhoto")}
            <input ref={input} class="sr-only" type="file" accept={PHOTO.types.join(",")} disabled={pending()} onChange={(e) => void choose(e.currentTarget.files?.[0])} />
          </label>
          <Show when={props.tutor.photoUrl}>
            <Button type="button" variant="ghost" small pending={pending()} onClick={() => void remove()}>
              {t("teaching.profile.removePhoto")}
            </Button>
          </Show>
        </div>
        <Show when={error()}>
          <p class="field-error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={done()}>
          <p class="small success-text" role="status">
            {done()}
          </p>
        </Show>
      </div>
    </fieldset>
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

import { useNavigate } from "@solidjs/router";
import { FORMAT_LOCALES } from "../../../domain/i18n/locales";
import { For, Show, createResource, createSignal } from "solid-js";
import { ChangeEmailSchema, ChangePasswordSchema, DeleteAccountSchema, ProfileUpdateSchema } from "../../../domain/schemas/auth";
import { ErrorAlert, Notice } from "../components/Alert";
import { Button } from "../components/Button";
import { Field, FormField } from "../components/Field";
import { Guard } from "../components/Guard";
import { Section } from "../components/Section";
import { TimeZoneSelect } from "../components/TimeZoneSelect";
import {
  type AccountView,
  type Device,
  changeEmail,
  changePassword,
  deleteAccount,
  fetchAccount,
  fetchDevices,
  signOutDevice,
  signOutEverywhere,
  updateProfile,
} from "../features/account/account";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import { createForm } from "../lib/form";
import { session } from "../lib/session";
import { formatDateTime, zoneLabel } from "../lib/time";

/**
 * The language and formats offered: each language the app speaks, with the regions whose formats differ (the
 * tag picks the words and the date and number formats; the switcher in the footer changes the same setting).
 */
const LOCALES: readonly string[] = FORMAT_LOCALES;
/** A tag named in its own language: "español (México)", "العربية". */
const localeName = (tag: string) => {
  const region = tag.split("-")[1];
  const name = new Intl.DisplayNames([tag], { type: "language" }).of(tag.split("-")[0]!) ?? tag;
  return region ? `${name} (${new Intl.DisplayNames([tag], { type: "region" }).of(region) ?? region})` : name;
};

/** Account settings: profile, sign-in address, password, signed-in devices, your data and deleting the account. */
export default function Account() {
  return (
    <Guard>
      <AccountPage />
    </Guard>
  );
}

function AccountPage() {
  const [account, { refetch }] = createResource(fetchAccount);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Account settings</h1>
          <p>Your profile, how you sign in, where you are signed in, and your data.</p>
        </div>
      </div>
      <ErrorAlert message={account.error ? `Couldn't load your account: ${messageOf(account.error)}` : undefined} />
      <Show when={account()} fallback={<p class="muted" role="status">{account.loading ? "Loading…" : ""}</p>}>
        {(a) => (
          <div class="stack">
            <ProfileSection account={a()} />
            <EmailSection account={a()} onRequested={refetch} />
            <PasswordSection />
            <DevicesSection />
            <DataSection account={a()} />
          </div>
        )}
      </Show>
    </>
  );
}

function ProfileSection(props: { account: AccountView }) {
  const student = () => props.account.user.role === "student";
  const form = createForm(ProfileUpdateSchema, {
    name: props.account.user.name,
    timezone: props.account.user.timezone,
    locale: props.account.user.locale,
    ...(student() ? { learningGoals: props.account.learningGoals ?? "" } : {}),
  });
  const [saved, setSaved] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    setSaved(undefined);
    await updateProfile(value);
    setSaved("Saved.");
  });
  return (
    <Section title="Profile" intro="How others see you, and the zone and format times are shown in (emails too).">
      <ErrorAlert message={form.formError()} />
      <Notice message={saved()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label="Name" name="name" autocomplete="name" />
        <Field label="Time zone" name="timezone" error={form.errors.timezone} hint={`Now: ${zoneLabel(String(form.values.timezone))}`}>
          <TimeZoneSelect id="f-timezone" value={String(form.values.timezone)} onChange={(z) => form.set("timezone", z)} invalid={!!form.errors.timezone} describedBy="f-timezone-hint" />
        </Field>
        <Field label="Language and formats" name="locale" error={form.errors.locale}>
          <select id="f-locale" value={String(form.values.locale)} onChange={(e) => form.set("locale", e.currentTarget.value)}>
            <For each={LOCALES.includes(String(form.values.locale)) ? [...LOCALES] : [String(form.values.locale), ...LOCALES]}>
              {(tag) => (
                <option value={tag} lang={tag}>
                  {localeName(tag)}
                </option>
              )}
            </For>
          </select>
        </Field>
        <Show when={student()}>
          <Field label="Learning goals" name="learningGoals" error={form.errors.learningGoals} hint="Your tutors see this before a session. Up to 1,000 characters.">
            <textarea id="f-learningGoals" rows={3} maxLength={1000} value={String(form.values.learningGoals ?? "")} onInput={(e) => form.set("learningGoals", e.currentTarget.value)} aria-describedby="f-learningGoals-hint" />
          </Field>
        </Show>
        <Button type="submit" pending={form.pending()}>
          {form.pending() ? "Saving…" : "Save profile"}
        </Button>
      </form>
    </Section>
  );
}

function EmailSection(props: { account: AccountView; onRequested: () => void }) {
  const form = createForm(ChangeEmailSchema, { email: "", password: "" });
  const [sent, setSent] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    setSent(undefined);
    const res = await changeEmail(value);
    setSent(res.message);
    form.set("password", "");
    props.onRequested();
  });
  return (
    <Section title="Sign-in email" intro={<>You sign in with <strong>{props.account.user.email}</strong>{props.account.user.emailVerified ? " (confirmed)." : " (not confirmed yet)."}</>}>
      <Show when={props.account.pendingEmail}>
        {(pending) => <Notice tone="info" message={`Waiting for you to open the link we sent to ${pending()}. Until then, ${props.account.user.email} stays in use.`} />}
      </Show>
      <ErrorAlert message={form.formError()} />
      <Notice message={sent()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label="New email" name="email" type="email" autocomplete="email" />
        <FormField form={form} label="Your password" name="password" type="password" autocomplete="current-password" hint="To make sure it is you." />
        <Button type="submit" variant="secondary" pending={form.pending()}>
          {form.pending() ? "Sending link…" : "Change email"}
        </Button>
      </form>
    </Section>
  );
}

function PasswordSection() {
  const form = createForm(ChangePasswordSchema, { current: "", password: "" });
  const [done, setDone] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    setDone(undefined);
    await changePassword(value);
    form.set("current", "");
    form.set("password", "");
    setDone("Password changed. Your other devices were signed out.");
  });
  return (
    <Section title="Password" intro="Changing it signs you out everywhere else.">
      <ErrorAlert message={form.formError()} />
      <Notice message={done()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label="Current password" name="current" type="password" autocomplete="current-password" />
        <FormField form={form} label="New password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." />
        <Button type="submit" variant="secondary" pending={form.pending()}>
          {form.pending() ? "Changing…" : "Change password"}
        </Button>
      </form>
    </Section>
  );
}

function DevicesSection() {
  const navigate = useNavigate();
  const [devices, { refetch }] = createResource(fetchDevices);
  const one = createAction(async (d: Device) => {
    await signOutDevice(d.id);
    if (d.current) {
      session.setUser(null);
      navigate("/login");
    } else await refetch();
  });
  const all = createAction(async () => {
    await signOutEverywhere();
    navigate("/login");
  });
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <Section
      title="Signed-in devices"
      intro={`Where your account is signed in. Times in ${zoneLabel(zone())}.`}
      actions={
        <Button variant="secondary" small pending={all.pending()} onClick={() => all.run()}>
          Sign out everywhere
        </Button>
      }
    >
      <ErrorAlert message={devices.error ? `Couldn't load your devices: ${messageOf(devices.error)}` : (one.error() ?? all.error())} />
      <Show when={devices.latest} fallback={<p class="muted" role="status">Loading…</p>}>
        <ul class="plain-list" aria-label="Signed-in devices">
          <For each={devices.latest}>
            {(d) => (
              <li class="row" data-device={d.id}>
                <div class="grow">
                  <strong>{d.device}</strong> <Show when={d.current}><span class="badge brand">This device</span></Show>
                  <div class="small muted">
                    Signed in on {formatDateTime(d.createdAt, zone())} · last active {formatDateTime(d.lastSeenAt ?? d.createdAt, zone())}
                  </div>
                </div>
                <Button variant="ghost" small pending={one.pending()} onClick={() => one.run(d)} aria-label={`Sign out ${d.device}${d.current ? " (this device)" : ""}`}>
                  Sign out
                </Button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}

function DataSection(props: { account: AccountView }) {
  const navigate = useNavigate();
  const form = createForm(DeleteAccountSchema, { password: "" });
  const [sure, setSure] = createSignal(false);
  const [sureError, setSureError] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    if (!sure()) {
      setSureError("Tick the box to confirm.");
      return;
    }
    await deleteAccount(value.password);
    navigate("/?deleted=1", { replace: true });
  });
  return (
    <Section title="Your data" intro={`Account created ${new Date(props.account.createdAt).toLocaleDateString()}.`}>
      <p>
        <a class="btn secondary small" href="/api/me/export" download="tutorly-data.json">
          Download my data (JSON)
        </a>
      </p>
      <h3>Delete account</h3>
      <p class="small muted">
        Upcoming sessions are cancelled first (the usual refund rules apply), a running plan stops renewing, and your personal data is erased. Records the law
        requires — payments, credits, earnings — are kept without your name. This cannot be undone.
      </p>
      <ErrorAlert message={form.formError()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label="Your password" name="password" type="password" autocomplete="current-password" />
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" checked={sure()} onChange={(e) => (setSure(e.currentTarget.checked), setSureError(undefined))} aria-describedby={sureError() ? "f-sure-err" : undefined} />
            I understand my account and upcoming sessions will be deleted.
          </label>
          <Show when={sureError()}>
            <span class="field-error" id="f-sure-err" role="alert">
              {sureError()}
            </span>
          </Show>
        </div>
        <Button type="submit" variant="danger" pending={form.pending()}>
          {form.pending() ? "Deleting…" : "Delete my account"}
        </Button>
      </form>
    </Section>
  );
}

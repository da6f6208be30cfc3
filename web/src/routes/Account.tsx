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
import { formatDate, formatDateTime, formatTime, zoneLabel, zonePlaceLabel } from "../lib/time";
import { t, tx } from "../i18n";

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
          <h1>{t("core.nav.accountSettings")}</h1>
          <p>{t("account.page.intro")}</p>
        </div>
      </div>
      <ErrorAlert message={account.error ? t("account.page.loadFailed", { reason: messageOf(account.error) }) : undefined} />
      <Show when={account()} fallback={<p class="muted" role="status">{account.loading ? t("core.app.loading") : ""}</p>}>
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
    setSaved(t("teaching.home.saved"));
  });
  return (
    <Section title={t("account.profile.title")} intro={t("account.profile.intro")}>
      <ErrorAlert message={form.formError()} />
      <Notice message={saved()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label={t("auth.fields.name")} name="name" autocomplete="name" />
        <Field label={t("auth.fields.timezone")} name="timezone" error={form.errors.timezone} hint={t("core.search.thereNow", { place: zonePlaceLabel(String(form.values.timezone)), time: formatTime(Date.now(), String(form.values.timezone)) })}>
          <TimeZoneSelect id="f-timezone" value={String(form.values.timezone)} onChange={(z) => form.set("timezone", z)} invalid={!!form.errors.timezone} describedBy="f-timezone-hint" />
        </Field>
        <Field label={t("account.profile.locale")} name="locale" error={form.errors.locale}>
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
          <Field label={t("account.profile.goals")} name="learningGoals" error={form.errors.learningGoals} hint={t("account.profile.goalsHint", { max: 1000 })}>
            <textarea id="f-learningGoals" rows={3} maxLength={1000} value={String(form.values.learningGoals ?? "")} onInput={(e) => form.set("learningGoals", e.currentTarget.value)} aria-describedby="f-learningGoals-hint" />
          </Field>
        </Show>
        <Button type="submit" pending={form.pending()}>
          {form.pending() ? t("teaching.home.saving") : t("teaching.home.save")}
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
    setSent(t("account.email.sent", { email: res.pendingEmail }));
    form.set("password", "");
    props.onRequested();
  });
  return (
    <Section
      title={t("account.email.title")}
      intro={tx(props.account.user.emailVerified ? "account.email.introConfirmed" : "account.email.introUnconfirmed", { email: <strong>{props.account.user.email}</strong> })}
    >
      <Show when={props.account.pendingEmail}>
        {(pending) => <Notice tone="info" message={t("account.email.pending", { pending: pending(), current: props.account.user.email })} />}
      </Show>
      <ErrorAlert message={form.formError()} />
      <Notice message={sent()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label={t("account.email.new")} name="email" type="email" autocomplete="email" />
        <FormField form={form} label={t("account.email.password")} name="password" type="password" autocomplete="current-password" hint={t("account.email.passwordHint")} />
        <Button type="submit" variant="secondary" pending={form.pending()}>
          {form.pending() ? t("account.email.sending") : t("account.email.change")}
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
    setDone(t("account.password.done"));
  });
  return (
    <Section title={t("auth.fields.password")} intro={t("account.password.intro")}>
      <ErrorAlert message={form.formError()} />
      <Notice message={done()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label={t("account.password.current")} name="current" type="password" autocomplete="current-password" />
        <FormField form={form} label={t("auth.reset.newPassword")} name="password" type="password" autocomplete="new-password" hint={t("auth.signup.passwordHint")} />
        <Button type="submit" variant="secondary" pending={form.pending()}>
          {form.pending() ? t("account.password.changing") : t("account.password.change")}
        </Button>
      </form>
    </Section>
  );
}

/** A device as the viewer reads it: "Chrome en Linux" (browser and system names stay as they are), or "unknown device". */
const deviceName = (d: Device) => (d.browser && d.os ? t("account.devices.on", { browser: d.browser, os: d.os }) : (d.browser ?? d.os ?? t("account.devices.unknown")));

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
      title={t("account.devices.title")}
      intro={t("account.devices.intro", { zone: zoneLabel(zone()) })}
      actions={
        <Button variant="secondary" small pending={all.pending()} onClick={() => all.run()}>
          {t("account.devices.everywhere")}
        </Button>
      }
    >
      <ErrorAlert message={devices.error ? t("account.devices.loadFailed", { reason: messageOf(devices.error) }) : (one.error() ?? all.error())} />
      <Show when={devices.latest} fallback={<p class="muted" role="status">{t("core.app.loading")}</p>}>
        <ul class="plain-list" aria-label={t("account.devices.title")}>
          <For each={devices.latest}>
            {(d) => (
              <li class="row" data-device={d.id}>
                <div class="grow">
                  <strong>{deviceName(d)}</strong> <Show when={d.current}><span class="badge brand">{t("account.devices.this")}</span></Show>
                  <div class="small muted">
                    {t("account.devices.times", { signedIn: formatDateTime(d.createdAt, zone()), active: formatDateTime(d.lastSeenAt ?? d.createdAt, zone()) })}
                  </div>
                </div>
                <Button variant="ghost" small pending={one.pending()} onClick={() => one.run(d)} aria-label={t(d.current ? "account.devices.signOutThis" : "account.devices.signOutWhat", { device: deviceName(d) })}>
                  {t("account.devices.signOut")}
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
      setSureError(t("account.data.tick"));
      return;
    }
    await deleteAccount(value.password);
    navigate("/?deleted=1", { replace: true });
  });
  return (
    <Section title={t("account.data.title")} intro={t("account.data.created", { date: formatDate(props.account.createdAt, session.user()?.timezone ?? "UTC") })}>
      <p>
        <a class="btn secondary small" href="/api/me/export" download="tutorly-data.json">
          {t("account.data.download")}
        </a>
      </p>
      <h3>{t("account.data.delete")}</h3>
      <p class="small muted">
        {t("account.data.deleteBody")}
      </p>
      <ErrorAlert message={form.formError()} />
      <form onSubmit={onSubmit} novalidate>
        <FormField form={form} label={t("account.email.password")} name="password" type="password" autocomplete="current-password" />
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" checked={sure()} onChange={(e) => (setSure(e.currentTarget.checked), setSureError(undefined))} aria-describedby={sureError() ? "f-sure-err" : undefined} />
            {t("account.data.understand")}
          </label>
          <Show when={sureError()}>
            <span class="field-error" id="f-sure-err" role="alert">
              {sureError()}
            </span>
          </Show>
        </div>
        <Button type="submit" variant="danger" pending={form.pending()}>
          {form.pending() ? t("account.data.deleting") : t("account.data.deleteMine")}
        </Button>
      </form>
    </Section>
  );
}

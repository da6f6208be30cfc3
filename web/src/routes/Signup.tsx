import { useNavigate, useSearchParams } from "@solidjs/router";
import { SignupSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { Field, FormField } from "../components/Field";
import { TimeZoneSelect, browserTimeZone } from "../components/TimeZoneSelect";
import { api, call } from "../lib/api";
import { createForm } from "../lib/form";
import { locale, t } from "../i18n";
import { authLink, homeFor, returnTo, safeNext, session } from "../lib/session";

export default function Signup() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = () => safeNext(params.next);
  const form = createForm(SignupSchema, { name: "", email: "", password: "", role: "student", timezone: browserTimeZone() });
  const onSubmit = form.submit(async (value) => {
    // The account keeps the language the visitor is using (what they switched to, or their browser's).
    const { user } = await call(api.auth.signup.$post({ json: { ...value, locale: locale() } }));
    session.setUser(user);
    // The confirmation link may open in another tab: it offers the way back to where this signup started.
    returnTo.remember(next());
    navigate(next() ?? homeFor(user), { replace: true });
  });
  return (
    <AuthCard
      title={t("auth.signup.title")}
      intro={t("auth.signup.intro")}
      form={form}
      onSubmit={onSubmit}
      submit={t("auth.signup.submit")}
      submitting={t("auth.signup.submitting")}
      other={{ question: t("auth.signup.haveAccount"), href: authLink("/login", next()), label: t("auth.signup.logIn") }}
    >
      <fieldset class="choice-group">
        <legend>{t("auth.signup.iWantTo")}</legend>
        <label class="choice">
          <input type="radio" name="role" value="student" checked={form.values.role === "student"} onChange={() => form.set("role", "student")} />
          <span>
            <strong>{t("auth.signup.learn")}</strong>
            <br />
            <span class="small muted">{t("auth.signup.learnHint")}</span>
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="role" value="tutor" checked={form.values.role === "tutor"} onChange={() => form.set("role", "tutor")} />
          <span>
            <strong>{t("auth.signup.teach")}</strong>
            <br />
            <span class="small muted">{t("auth.signup.teachHint")}</span>
          </span>
        </label>
      </fieldset>
      <FormField form={form} label={t("auth.fields.name")} name="name" autocomplete="name" />
      <FormField form={form} label={t("auth.fields.email")} name="email" type="email" autocomplete="email" />
      <FormField form={form} label={t("auth.fields.password")} name="password" type="password" autocomplete="new-password" hint={t("auth.signup.passwordHint")} />
      <Field label={t("auth.fields.timezone")} name="timezone" hint={t("auth.signup.timezoneHint")} error={form.errors.timezone}>
        <TimeZoneSelect
          id="f-timezone"
          value={form.values.timezone}
          invalid={!!form.errors.timezone}
          describedBy="f-timezone-hint"
          onChange={(z) => form.set("timezone", z)}
        />
      </Field>
    </AuthCard>
  );
}

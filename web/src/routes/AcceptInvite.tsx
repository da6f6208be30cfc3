import { useNavigate, useSearchParams } from "@solidjs/router";
import { AcceptInviteSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { Field, FormField } from "../components/Field";
import { TimeZoneSelect, browserTimeZone } from "../components/TimeZoneSelect";
import { acceptInvite } from "../features/account/account";
import { createForm } from "../lib/form";
import { t } from "../i18n";

/** The page an admin invitation opens: name, zone and password make the admin account. */
export default function AcceptInvite() {
  const [params] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const form = createForm(AcceptInviteSchema, { token: params.token ?? "", name: "", password: "", timezone: browserTimeZone() });
  const onSubmit = form.submit(async (value) => {
    await acceptInvite(value);
    navigate("/admin", { replace: true });
  });
  return (
    <AuthCard
      title={t("auth.invite.title")}
      intro={t("auth.invite.intro")}
      form={{ formError: () => form.formError() ?? form.errors.token, pending: form.pending }}
      onSubmit={onSubmit}
      submit={t("auth.invite.submit")}
      submitting={t("auth.invite.submitting")}
      other={{ question: t("auth.invite.haveIt"), href: "/login", label: t("auth.login.title") }}
    >
      <FormField form={form} label={t("auth.invite.name")} name="name" autocomplete="name" />
      <Field label={t("auth.fields.timezone")} name="timezone" error={form.errors.timezone}>
        <TimeZoneSelect id="f-timezone" value={String(form.values.timezone)} onChange={(z) => form.set("timezone", z)} invalid={!!form.errors.timezone} />
      </Field>
      <FormField form={form} label={t("auth.fields.password")} name="password" type="password" autocomplete="new-password" hint={t("auth.signup.passwordHint")} />
    </AuthCard>
  );
}

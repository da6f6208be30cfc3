import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { LoginSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { resumePush } from "../features/push/push";
import { FormField } from "../components/Field";
import { api, call } from "../lib/api";
import { createForm } from "../lib/form";
import { authLink, homeFor, safeNext, session } from "../lib/session";
import { t } from "../i18n";

export default function Login() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = createForm(LoginSchema, { email: "", password: "" });
  const onSubmit = form.submit(async (value) => {
    const { user } = await call(api.auth.login.$post({ json: value }));
    session.setUser(user);
    // Push turned on here by this same person goes on again (it stopped with their last session here).
    void resumePush(user.id).catch(() => undefined);
    navigate(safeNext(params.next) ?? homeFor(user), { replace: true });
  });
  return (
    <AuthCard
      title={t("auth.login.title")}
      intro={t("auth.login.intro")}
      form={form}
      onSubmit={onSubmit}
      submit={t("auth.login.submit")}
      submitting={t("auth.login.submitting")}
      other={{ question: t("auth.login.newHere"), href: authLink("/signup", safeNext(params.next)), label: t("auth.login.createAccount") }}
    >
      <FormField form={form} label={t("auth.fields.email")} name="email" type="email" autocomplete="email" />
      <FormField form={form} label={t("auth.fields.password")} name="password" type="password" autocomplete="current-password" />
      <p class="small" style={{ "margin-top": "calc(-1 * var(--space-2))" }}>
        <A href="/forgot-password">{t("auth.login.forgot")}</A>
      </p>
    </AuthCard>
  );
}

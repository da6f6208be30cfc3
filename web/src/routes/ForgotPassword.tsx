import { createSignal, Show } from "solid-js";
import { PasswordResetRequestSchema } from "../../../domain/schemas/auth";
import { Notice } from "../components/Alert";
import { AuthCard } from "../components/AuthCard";
import { FormField } from "../components/Field";
import { requestPasswordReset } from "../features/account/account";
import { createForm } from "../lib/form";
import { t, tx } from "../i18n";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export default function ForgotPassword() {
  const form = createForm(PasswordResetRequestSchema, { email: "" });
  const [sent, setSent] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    await requestPasswordReset(value.email);
    setSent(t("auth.forgot.sent", { minutes: 30 }));
  });
  return (
    <Show
      when={!sent()}
      fallback={
        <div class="card narrow">
          <h1>{t("auth.forgot.check")}</h1>
          <Notice message={sent()} />
          <p class="small muted">
            {tx("auth.forgot.nothing", { other: <a href="/forgot-password">{t("auth.forgot.another")}</a> })}
          </p>
        </div>
      }
    >
      <AuthCard
        title={t("auth.login.forgot")}
        intro={t("auth.forgot.intro")}
        form={form}
        onSubmit={onSubmit}
        submit={t("auth.forgot.submit")}
        submitting={t("auth.forgot.submitting")}
        other={{ question: t("auth.forgot.remembered"), href: "/login", label: t("auth.login.title") }}
      >
        <FormField form={form} label={t("auth.fields.email")} name="email" type="email" autocomplete="email" />
      </AuthCard>
    </Show>
  );
}

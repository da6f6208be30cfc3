import { useNavigate, useSearchParams } from "@solidjs/router";
import { PasswordResetConfirmSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { FormField } from "../components/Field";
import { confirmPasswordReset } from "../features/account/account";
import { resumePush } from "../features/push/push";
import { createForm } from "../lib/form";
import { homeFor } from "../lib/session";
import { t } from "../i18n";

/** The page a reset link opens: a new password, then signed in (every other session has ended). */
export default function ResetPassword() {
  const [params] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const form = createForm(PasswordResetConfirmSchema, { token: params.token ?? "", password: "" });
  const onSubmit = form.submit(async (value) => {
    const user = await confirmPasswordReset(value.token, value.password);
    // The reset stopped push on every device; this browser, if its owner turned it on here, goes on again.
    void resumePush(user.id).catch(() => undefined);
    navigate(homeFor(user), { replace: true });
  });
  return (
    <AuthCard
      title={t("auth.reset.title")}
      intro={t("auth.reset.intro")}
      form={{ formError: () => form.formError() ?? form.errors.token, pending: form.pending }}
      onSubmit={onSubmit}
      submit={t("auth.reset.submit")}
      submitting={t("auth.reset.submitting")}
      other={{ question: t("auth.reset.expired"), href: "/forgot-password", label: t("auth.reset.getNew") }}
    >
      <FormField form={form} label={t("auth.reset.newPassword")} name="password" type="password" autocomplete="new-password" hint={t("auth.signup.passwordHint")} />
    </AuthCard>
  );
}

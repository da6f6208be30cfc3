import { useNavigate, useSearchParams } from "@solidjs/router";
import { PasswordResetConfirmSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { FormField } from "../components/Field";
import { confirmPasswordReset } from "../features/account/account";
import { createForm } from "../lib/form";
import { homeFor } from "../lib/session";

/** The page a reset link opens: a new password, then signed in (every other session has ended). */
export default function ResetPassword() {
  const [params] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const form = createForm(PasswordResetConfirmSchema, { token: params.token ?? "", password: "" });
  const onSubmit = form.submit(async (value) => {
    const user = await confirmPasswordReset(value.token, value.password);
    navigate(homeFor(user), { replace: true });
  });
  return (
    <AuthCard
      title="Choose a new password"
      intro="You'll be signed in here, and signed out everywhere else."
      form={{ formError: () => form.formError() ?? form.errors.token, pending: form.pending }}
      onSubmit={onSubmit}
      submit="Set password"
      submitting="Saving…"
      other={{ question: "Link expired?", href: "/forgot-password", label: "Get a new one" }}
    >
      <FormField form={form} label="New password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." />
    </AuthCard>
  );
}

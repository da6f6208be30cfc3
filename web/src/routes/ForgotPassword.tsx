import { createSignal, Show } from "solid-js";
import { PasswordResetRequestSchema } from "../../../domain/schemas/auth";
import { Notice } from "../components/Alert";
import { AuthCard } from "../components/AuthCard";
import { FormField } from "../components/Field";
import { requestPasswordReset } from "../features/account/account";
import { createForm } from "../lib/form";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export default function ForgotPassword() {
  const form = createForm(PasswordResetRequestSchema, { email: "" });
  const [sent, setSent] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    setSent((await requestPasswordReset(value.email)).message);
  });
  return (
    <Show
      when={!sent()}
      fallback={
        <div class="card narrow">
          <h1>Check your email</h1>
          <Notice message={sent()} />
          <p class="small muted">
            Nothing there? Look in the spam folder, or <a href="/forgot-password">try another address</a>.
          </p>
        </div>
      }
    >
      <AuthCard
        title="Forgot your password?"
        intro="We'll email you a link to choose a new one."
        form={form}
        onSubmit={onSubmit}
        submit="Send the link"
        submitting="Sending…"
        other={{ question: "Remembered it?", href: "/login", label: "Log in" }}
      >
        <FormField form={form} label="Email" name="email" type="email" autocomplete="email" />
      </AuthCard>
    </Show>
  );
}

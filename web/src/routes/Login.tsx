import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { LoginSchema } from "../../../domain/schemas/auth";
import { Button, ErrorAlert } from "../components/Button";
import { Field } from "../components/Field";
import { api, call } from "../lib/api";
import { createForm } from "../lib/form";
import { homeFor, session } from "../lib/session";

/** Only same-site paths are followed after login. */
const safeNext = (next: unknown) => (typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : undefined);

export default function Login() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = createForm(LoginSchema, { email: "", password: "" });
  const onSubmit = form.submit(async (value) => {
    const { user } = await call(api.auth.login.$post({ json: value }));
    session.setUser(user);
    navigate(safeNext(params.next) ?? homeFor(user), { replace: true });
  });
  return (
    <div class="card narrow">
      <h1>Log in</h1>
      <p class="muted">Welcome back to Tutorly.</p>
      <ErrorAlert message={form.formError()} />
      <form onSubmit={onSubmit} novalidate>
        <Field
          label="Email"
          name="email"
          type="email"
          autocomplete="email"
          value={form.values.email}
          error={form.errors.email}
          onInput={(e) => form.set("email", e.currentTarget.value)}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={form.values.password}
          error={form.errors.password}
          onInput={(e) => form.set("password", e.currentTarget.value)}
        />
        <Button type="submit" block pending={form.pending()}>
          {form.pending() ? "Logging in…" : "Log in"}
        </Button>
      </form>
      <p class="small muted" style={{ "margin-top": "var(--space-4)" }}>
        New here? <A href="/signup">Create an account</A>
      </p>
    </div>
  );
}

import { A, useNavigate } from "@solidjs/router";
import { SignupSchema } from "../../../domain/schemas/auth";
import { Button, ErrorAlert } from "../components/Button";
import { Field } from "../components/Field";
import { TimeZoneSelect, browserTimeZone } from "../components/TimeZoneSelect";
import { api, call } from "../lib/api";
import { createForm } from "../lib/form";
import { homeFor, session } from "../lib/session";

export default function Signup() {
  const navigate = useNavigate();
  const form = createForm(SignupSchema, { name: "", email: "", password: "", role: "student", timezone: browserTimeZone() });
  const onSubmit = form.submit(async (value) => {
    const { user } = await call(api.auth.signup.$post({ json: value }));
    session.setUser(user);
    navigate(homeFor(user), { replace: true });
  });
  return (
    <div class="card narrow">
      <h1>Create your account</h1>
      <p class="muted">Learn with a tutor, or teach on Tutorly.</p>
      <ErrorAlert message={form.formError()} />
      <form onSubmit={onSubmit} novalidate>
        <fieldset class="choice-group">
          <legend>I want to</legend>
          <label class="choice">
            <input type="radio" name="role" value="student" checked={form.values.role === "student"} onChange={() => form.set("role", "student")} />
            <span>
              <strong>Learn</strong>
              <br />
              <span class="small muted">Book sessions with tutors</span>
            </span>
          </label>
          <label class="choice">
            <input type="radio" name="role" value="tutor" checked={form.values.role === "tutor"} onChange={() => form.set("role", "tutor")} />
            <span>
              <strong>Teach</strong>
              <br />
              <span class="small muted">Publish hours and get paid</span>
            </span>
          </label>
        </fieldset>
        <Field label="Name" name="name" autocomplete="name" value={form.values.name} error={form.errors.name} onInput={(e) => form.set("name", e.currentTarget.value)} />
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
          autocomplete="new-password"
          hint="At least 8 characters."
          value={form.values.password}
          error={form.errors.password}
          onInput={(e) => form.set("password", e.currentTarget.value)}
        />
        <Field label="Time zone" name="timezone" hint="Detected from your browser; times are shown in this zone." error={form.errors.timezone}>
          <TimeZoneSelect
            id="f-timezone"
            value={form.values.timezone}
            invalid={!!form.errors.timezone}
            describedBy="f-timezone-hint"
            onChange={(z) => form.set("timezone", z)}
          />
        </Field>
        <Button type="submit" block pending={form.pending()}>
          {form.pending() ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p class="small muted" style={{ "margin-top": "var(--space-4)" }}>
        Already have an account? <A href="/login">Log in</A>
      </p>
    </div>
  );
}

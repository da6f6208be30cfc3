import { useNavigate } from "@solidjs/router";
import { SignupSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { Field, FormField } from "../components/Field";
import { TimeZoneSelect, browserTimeZone } from "../components/TimeZoneSelect";
import { api, call } from "../lib/api";
import { createForm } from "../lib/form";
import { locale } from "../i18n";
import { homeFor, session } from "../lib/session";

export default function Signup() {
  const navigate = useNavigate();
  const form = createForm(SignupSchema, { name: "", email: "", password: "", role: "student", timezone: browserTimeZone() });
  const onSubmit = form.submit(async (value) => {
    // The account keeps the language the visitor is using (what they switched to, or their browser's).
    const { user } = await call(api.auth.signup.$post({ json: { ...value, locale: locale() } }));
    session.setUser(user);
    navigate(homeFor(user), { replace: true });
  });
  return (
    <AuthCard
      title="Create your account"
      intro="Learn with a tutor, or teach on Tutorly."
      form={form}
      onSubmit={onSubmit}
      submit="Create account"
      submitting="Creating account…"
      other={{ question: "Already have an account?", href: "/login", label: "Log in" }}
    >
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
      <FormField form={form} label="Name" name="name" autocomplete="name" />
      <FormField form={form} label="Email" name="email" type="email" autocomplete="email" />
      <FormField form={form} label="Password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." />
      <Field label="Time zone" name="timezone" hint="Detected from your browser; times are shown in this zone." error={form.errors.timezone}>
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

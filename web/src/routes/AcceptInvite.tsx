import { useNavigate, useSearchParams } from "@solidjs/router";
import { AcceptInviteSchema } from "../../../domain/schemas/auth";
import { AuthCard } from "../components/AuthCard";
import { Field, FormField } from "../components/Field";
import { TimeZoneSelect, browserTimeZone } from "../components/TimeZoneSelect";
import { acceptInvite } from "../features/account/account";
import { createForm } from "../lib/form";

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
      title="Join Tutorly as an admin"
      intro="You were invited to run Tutorly. Create your admin account."
      form={{ formError: () => form.formError() ?? form.errors.token, pending: form.pending }}
      onSubmit={onSubmit}
      submit="Create admin account"
      submitting="Creating…"
      other={{ question: "Already have it?", href: "/login", label: "Log in" }}
    >
      <FormField form={form} label="Your name" name="name" autocomplete="name" />
      <Field label="Time zone" name="timezone" error={form.errors.timezone}>
        <TimeZoneSelect id="f-timezone" value={String(form.values.timezone)} onChange={(z) => form.set("timezone", z)} invalid={!!form.errors.timezone} />
      </Field>
      <FormField form={form} label="Password" name="password" type="password" autocomplete="new-password" hint="At least 8 characters." />
    </AuthCard>
  );
}

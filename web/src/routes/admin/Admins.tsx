import { For, Show, createResource, createSignal } from "solid-js";
import { AdminInviteSchema } from "../../../../domain/schemas/auth";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { FormField } from "../../components/Field";
import { Section } from "../../components/Section";
import { fetchInvitations, inviteAdmin } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { createForm } from "../../lib/form";
import { session } from "../../lib/session";
import { zoneLabel } from "../../lib/time";
import { formatDateTimeYear } from "../../components/admin/dates";
import { t } from "../../i18n";

/** Inviting another admin by email (a single-use link, valid 7 days), and the invitations still open. */
export default function Admins() {
  const [invitations, { refetch }] = createResource(fetchInvitations);
  const form = createForm(AdminInviteSchema, { email: "" });
  const [sent, setSent] = createSignal<string>();
  const onSubmit = form.submit(async (value) => {
    setSent(undefined);
    const invitation = await inviteAdmin(value.email);
    setSent(t("admin.admins.sent", { email: invitation.email }));
    form.set("email", "");
    await refetch();
  });
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <div class="stack">
      <Section title={t("admin.admins.invite")} intro={t("admin.admins.inviteIntro")}>
        <ErrorAlert message={form.formError()} />
        <Notice message={sent()} />
        <form onSubmit={onSubmit} novalidate class="row">
          <div class="grow">
            <FormField form={form} label={t("admin.admins.email")} name="email" type="email" autocomplete="off" />
          </div>
          <Button type="submit" pending={form.pending()}>
            {form.pending() ? t("admin.admins.sending") : t("admin.admins.send")}
          </Button>
        </form>
      </Section>
      <Section title={t("admin.admins.open")} intro={t("admin.admins.times", { zone: zoneLabel(zone()) })}>
        <ErrorAlert message={invitations.error ? t("admin.admins.loadFailed", { reason: messageOf(invitations.error) }) : undefined} />
        <Show when={invitations.latest?.length} fallback={<p class="muted">{invitations.loading ? t("core.app.loading") : t("admin.admins.none")}</p>}>
          <ul class="plain-list">
            <For each={invitations.latest}>
              {(i) => (
                <li>
                  <strong>{i.email}</strong>
                  <div class="small muted">
                    {t("admin.admins.sentAt", { sent: formatDateTimeYear(i.createdAt, zone()), expires: formatDateTimeYear(i.expiresAt, zone()) })}
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Section>
    </div>
  );
}

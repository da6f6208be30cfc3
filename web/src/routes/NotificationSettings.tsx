import { For, Match, Show, Switch, createResource, createSignal, onMount } from "solid-js";
import { NOTICE_KINDS, type NoticeKind, PUSH_ONLY } from "../../../domain/notifications/settings";
import { ErrorAlert, Notice } from "../components/Alert";
import { Button } from "../components/Button";
import { Guard } from "../components/Guard";
import { type NotificationSettingsView, disablePush, enablePush, fetchNotificationSettings, pushAbility, resumePush, saveNotificationSettings } from "../features/push/push";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import { session } from "../lib/session";
import "../features/push/settings.css";
import { t } from "../i18n";

type Channel = "push" | "email";
/** A kind's words: its name and what it covers. */
const kindName = (kind: NoticeKind) => t(`account.notify.kinds.${kind}.name`);
const kindAbout = (kind: NoticeKind) => t(`account.notify.kinds.${kind}.about`);

/** /settings/notifications: push on this device, and which kinds of notice come by push and by email. */
export default function NotificationSettings() {
  return (
    <Guard>
      <SettingsPage />
    </Guard>
  );
}

function SettingsPage() {
  const [view, { mutate, refetch }] = createResource(fetchNotificationSettings);
  const [saved, setSaved] = createSignal<string>();
  const [saveError, setSaveError] = createSignal<string>();

  /** Flips one switch at once; puts it back if the server says no. */
  const toggle = async (channel: Channel, kind: NoticeKind, on: boolean) => {
    const before = view.latest;
    if (!before) return;
    setSaved(undefined);
    setSaveError(undefined);
    mutate({ ...before, settings: { ...before.settings, [channel]: { ...before.settings[channel], [kind]: on } } });
    try {
      const settings = await saveNotificationSettings({ [channel]: { [kind]: on } });
      mutate((v) => (v ? { ...v, settings } : v));
      setSaved(t("account.notify.saved"));
    } catch (e) {
      mutate(before);
      setSaveError(t("account.notify.saveFailed", { reason: messageOf(e) }));
    }
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("account.notify.title")}</h1>
          <p>{t("account.notify.intro")}</p>
        </div>
      </div>
      <ErrorAlert message={view.error ? t("account.notify.loadFailed", { reason: messageOf(view.error) }) : undefined} />
      <div class="stack">
        <Show when={view.latest}>{(v) => <DeviceCard view={v()} onChange={() => void refetch()} />}</Show>
        <section class="card" aria-labelledby="kinds-title">
          <h2 id="kinds-title">{t("account.notify.kindsTitle")}</h2>
          <Notice message={saved()} />
          <ErrorAlert message={saveError()} />
          <Show when={view.latest} fallback={<p class="muted">{view.loading ? t("core.app.loading") : ""}</p>}>
            {(v) => (
              <table class="table settings-table">
                <thead>
                  <tr>
                    <th scope="col">{t("account.notify.kind")}</th>
                    <th scope="col">{t("account.notify.push")}</th>
                    <th scope="col">{t("account.notify.email")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={NOTICE_KINDS}>
                    {(kind) => (
                      <tr data-kind={kind}>
                        <th scope="row">
                          <span class="settings-kind">{kindName(kind)}</span>
                          <span class="small muted">{kindAbout(kind)}</span>
                        </th>
                        <For each={["push", "email"] as const}>
                          {(channel) => (
                            <td>
                              <Show when={channel === "push" || !PUSH_ONLY.includes(kind)} fallback={<span class="small muted">{t("account.notify.notByEmail")}</span>}>
                                <input
                                  type="checkbox"
                                  class="switch"
                                  role="switch"
                                  checked={v().settings[channel][kind]}
                                  aria-label={t("account.notify.toggle", { channel: channel === "push" ? t("account.notify.push") : t("account.notify.email"), kind: kindName(kind) })}
                                  onChange={(e) => void toggle(channel, kind, e.currentTarget.checked)}
                                />
                              </Show>
                            </td>
                          )}
                        </For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Show>
          <p class="small muted">{t("account.notify.always")}</p>
        </section>
      </div>
    </>
  );
}

function DeviceCard(props: { view: NotificationSettingsView; onChange: () => void }) {
  const [subscribed, setSubscribed] = createSignal<boolean>();
  const [ability, setAbility] = createSignal(pushAbility());
  const userId = () => session.user()?.id ?? "";
  // On for this browser only when the server keeps its subscription for this session (it goes with a signed-out one).
  onMount(async () => setSubscribed(await resumePush(userId()).catch(() => false)));
  const change = createAction(async (on: boolean) => {
    try {
      if (on) await enablePush(props.view.push.publicKey!, userId());
      else await disablePush();
      setSubscribed(on);
    } finally {
      setAbility(pushAbility());
      props.onChange();
    }
  });
  return (
    <section class="card" aria-labelledby="device-title">
      <h2 id="device-title">{t("account.notify.deviceTitle")}</h2>
      <Switch>
        <Match when={!props.view.push.publicKey}>
          <p>{t("account.notify.serverOff")}</p>
        </Match>
        <Match when={ability() === "unsupported"}>
          <p>{t("account.notify.deviceUnsupported")}</p>
        </Match>
        <Match when={ability() === "denied"}>
          <p class="alert warning">{t("account.notify.deviceDenied")}</p>
        </Match>
        <Match when={subscribed() !== undefined}>
          <p data-push={subscribed() ? "on" : "off"}>{subscribed() ? t("account.notify.deviceOn") : t("account.notify.deviceOff")}</p>
          <ErrorAlert message={change.error()} />
          <Button variant={subscribed() ? "secondary" : undefined} pending={change.pending()} onClick={() => void change.run(!subscribed())}>
            {subscribed() ? t("account.notify.turnOff") : t("account.notify.turnOn")}
          </Button>
        </Match>
      </Switch>
      <Show when={props.view.push.devices > 0}>
        <p class="small muted">{t("account.notify.otherDevices", { count: props.view.push.devices })}</p>
      </Show>
    </section>
  );
}

import { For, Match, Show, Switch, createResource, createSignal, onMount } from "solid-js";
import { NOTICE_KINDS, type NoticeKind } from "../../../domain/notifications/settings";
import { ErrorAlert, Notice } from "../components/Alert";
import { Button } from "../components/Button";
import { Guard } from "../components/Guard";
import { type NotificationSettingsView, currentSubscription, disablePush, enablePush, fetchNotificationSettings, pushAbility, saveNotificationSettings } from "../features/push/push";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import "../features/push/settings.css";

type Channel = "push" | "email";
const T = {
  title: "Notification settings",
  intro: "Choose what reaches your devices and your inbox. Everything also appears under the bell while you use Tutorly.",
  deviceTitle: "This device",
  deviceOn: "Push notifications are on for this browser.",
  deviceOff: "Push notifications are off for this browser.",
  deviceDenied: "Notifications are blocked for Tutorly in this browser. Allow them in the site settings, then come back.",
  deviceUnsupported: "This browser can't receive push notifications. On an iPhone or iPad, add Tutorly to your Home Screen first.",
  serverOff: "Push notifications are not set up on this server.",
  turnOn: "Turn on push for this device",
  turnOff: "Turn off push for this device",
  otherDevices: (n: number) => (n === 1 ? "1 device gets push notifications." : `${n} devices get push notifications.`),
  kindsTitle: "What we send you",
  kind: "Kind",
  push: "Push",
  email: "Email",
  kinds: {
    reminders: { name: "Session reminders", about: "A day and an hour before each session." },
    cancellations: { name: "Cancellations and changes", about: "A session cancelled, moved, or refunded." },
    offers: { name: "Replacement tutors", about: "Offers when a tutor cancels, and rebookings." },
    messages: { name: "Messages", about: "Push: each new message. Email: when a message stays unread for 15 minutes, at most once an hour." },
  } satisfies Record<NoticeKind, { name: string; about: string }>,
  toggle: (channel: string, kind: string) => `${channel} for ${kind}`,
  always: "Bookings, receipts and account emails are always sent.",
  saved: "Saved.",
  loadFailed: (why: string) => `Couldn't load your settings: ${why}`,
  saveFailed: (why: string) => `Couldn't save: ${why}`,
};

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
      setSaved(T.saved);
    } catch (e) {
      mutate(before);
      setSaveError(T.saveFailed(messageOf(e)));
    }
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{T.title}</h1>
          <p>{T.intro}</p>
        </div>
      </div>
      <ErrorAlert message={view.error ? T.loadFailed(messageOf(view.error)) : undefined} />
      <div class="stack">
        <Show when={view.latest}>{(v) => <DeviceCard view={v()} onChange={() => void refetch()} />}</Show>
        <section class="card" aria-labelledby="kinds-title">
          <h2 id="kinds-title">{T.kindsTitle}</h2>
          <Notice message={saved()} />
          <ErrorAlert message={saveError()} />
          <Show when={view.latest} fallback={<p class="muted">{view.loading ? "Loading…" : ""}</p>}>
            {(v) => (
              <table class="table settings-table">
                <thead>
                  <tr>
                    <th scope="col">{T.kind}</th>
                    <th scope="col">{T.push}</th>
                    <th scope="col">{T.email}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={NOTICE_KINDS}>
                    {(kind) => (
                      <tr data-kind={kind}>
                        <th scope="row">
                          <span class="settings-kind">{T.kinds[kind].name}</span>
                          <span class="small muted">{T.kinds[kind].about}</span>
                        </th>
                        <For each={["push", "email"] as const}>
                          {(channel) => (
                            <td>
                              <input
                                type="checkbox"
                                class="switch"
                                role="switch"
                                checked={v().settings[channel][kind]}
                                aria-label={T.toggle(channel === "push" ? T.push : T.email, T.kinds[kind].name)}
                                onChange={(e) => void toggle(channel, kind, e.currentTarget.checked)}
                              />
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
          <p class="small muted">{T.always}</p>
        </section>
      </div>
    </>
  );
}

function DeviceCard(props: { view: NotificationSettingsView; onChange: () => void }) {
  const [subscribed, setSubscribed] = createSignal<boolean>();
  const [ability, setAbility] = createSignal(pushAbility());
  onMount(async () => setSubscribed(!!(await currentSubscription().catch(() => null))));
  const change = createAction(async (on: boolean) => {
    try {
      if (on) await enablePush(props.view.push.publicKey!);
      else await disablePush();
      setSubscribed(on);
    } finally {
      setAbility(pushAbility());
      props.onChange();
    }
  });
  return (
    <section class="card" aria-labelledby="device-title">
      <h2 id="device-title">{T.deviceTitle}</h2>
      <Switch>
        <Match when={!props.view.push.publicKey}>
          <p>{T.serverOff}</p>
        </Match>
        <Match when={ability() === "unsupported"}>
          <p>{T.deviceUnsupported}</p>
        </Match>
        <Match when={ability() === "denied"}>
          <p class="alert warning">{T.deviceDenied}</p>
        </Match>
        <Match when={subscribed() !== undefined}>
          <p data-push={subscribed() ? "on" : "off"}>{subscribed() ? T.deviceOn : T.deviceOff}</p>
          <ErrorAlert message={change.error()} />
          <Button variant={subscribed() ? "secondary" : undefined} pending={change.pending()} onClick={() => void change.run(!subscribed())}>
            {subscribed() ? T.turnOff : T.turnOn}
          </Button>
        </Match>
      </Switch>
      <Show when={props.view.push.devices > 0}>
        <p class="small muted">{T.otherDevices(props.view.push.devices)}</p>
      </Show>
    </section>
  );
}

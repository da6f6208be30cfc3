import { onCleanup, onMount } from "solid-js";
import { ApiFailure, api } from "../lib/api";
import { session } from "../lib/session";
import { t } from "../i18n";

/** How often a page that could not open offline asks whether the network answers again. */
const PROBE_MS = 3_000;

/**
 * Whether a page failed for want of the network: its code (a module, or the CSS Vite preloads with it) or its data
 * could not be fetched. `navigator.onLine` alone is not enough: it stays true on a network that answers nothing.
 */
const networkFailure = (e: unknown) =>
  (e instanceof ApiFailure && e.code === "network_error") || (e instanceof Error && /failed to fetch|dynamically imported module|unable to preload|networkerror/i.test(e.message));

/**
 * What a page that failed to open shows (its code could not be fetched offline, or it threw); reloads when back
 * online. Offline, it reloads once a request really reaches the server (the plans, which no cache answers): the
 * browser may say "online" a moment before requests go through, and on a network that answers nothing it never says
 * "offline" at all, so the event alone could reload into the same dead end and then wait for ever.
 */
export function PageError(props: { error: unknown; reset: () => void }) {
  // Signed out elsewhere (another device, a reset, a suspension) while this page read its data: show sign-in, not a
  // failure (the guard of the page, opened again, sends the person to it).
  if (props.error instanceof ApiFailure && props.error.code === "unauthenticated") {
    onMount(() => {
      session.setUser(null);
      props.reset();
    });
    return null;
  }
  const offline = !navigator.onLine || networkFailure(props.error);
  const again = () => location.reload();
  const probe = () =>
    api.plans
      .$get({}, { init: { cache: "no-store" } })
      .then((res) => (res.ok ? again() : undefined))
      .catch(() => undefined);
  const onOnline = offline ? () => void probe() : again;
  window.addEventListener("online", onOnline);
  const timer = offline ? setInterval(() => void probe(), PROBE_MS) : undefined;
  onCleanup(() => {
    window.removeEventListener("online", onOnline);
    clearInterval(timer);
  });
  return (
    <div class="card narrow" role="alert">
      <h1>{offline ? t("core.pageError.offlineTitle") : t("core.pageError.failedTitle")}</h1>
      <p>{offline ? t("core.pageError.offline") : t("core.pageError.failed")}</p>
      <button type="button" class="btn" onClick={again}>
        {t("core.pageError.retry")}
      </button>
    </div>
  );
}

import { onCleanup } from "solid-js";
import { ApiFailure } from "../lib/api";
import { t } from "../i18n";

/**
 * Whether a page failed for want of the network: its code (a module, or the CSS Vite preloads with it) or its data
 * could not be fetched. `navigator.onLine` alone is not enough: it stays true on a network that answers nothing.
 */
const networkFailure = (e: unknown) =>
  (e instanceof ApiFailure && e.code === "network_error") || (e instanceof Error && /failed to fetch|dynamically imported module|unable to preload|networkerror/i.test(e.message));

/** What a page that failed to open shows (its code could not be fetched offline, or it threw); reloads when back online. */
export function PageError(props: { error: unknown }) {
  const offline = !navigator.onLine || networkFailure(props.error);
  const again = () => location.reload();
  window.addEventListener("online", again);
  onCleanup(() => window.removeEventListener("online", again));
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

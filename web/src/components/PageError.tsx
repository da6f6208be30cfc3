import { onCleanup } from "solid-js";
import { t } from "../i18n";

/** What a page that failed to open shows (its code could not be fetched offline, or it threw); reloads when back online. */
export function PageError(props: { error: unknown }) {
  const offline = !navigator.onLine || (props.error instanceof TypeError && /fetch|import/i.test(props.error.message));
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

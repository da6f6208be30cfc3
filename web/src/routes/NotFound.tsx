import { A } from "@solidjs/router";
import { t } from "../i18n";

export default function NotFound() {
  return (
    <div class="card narrow">
      <h1>{t("core.notFound.title")}</h1>
      <p class="muted">{t("core.notFound.body")}</p>
      <A class="btn" href="/">
        {t("core.notFound.home")}
      </A>
    </div>
  );
}

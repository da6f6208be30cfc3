import { A } from "@solidjs/router";
import { For } from "solid-js";
import { locale, t } from "../i18n";
import type { Key } from "../i18n/types";
import { formatMinutes } from "../lib/time";

const SUBJECTS = ["mathematics", "english", "spanish", "physics", "computer science", "japanese", "chemistry", "french"] as const;
/** The sample panel's slots: a weekday and a time of a made-up week (shown in the viewer's language and clock). */
const SAMPLE = [Date.UTC(2027, 2, 2, 14, 0), Date.UTC(2027, 2, 3, 15, 30), Date.UTC(2027, 2, 4, 14, 0)];

export default function Landing() {
  const weekdayTime = (at: number) => new Intl.DateTimeFormat(locale(), { timeZone: "UTC", weekday: "short", hour: "numeric", minute: "2-digit" }).format(at);
  const subjectKey = (s: (typeof SUBJECTS)[number]) => `core.landing.subjects.${s}` satisfies Key;
  return (
    <>
      <section class="hero">
        <div>
          <h1>{t("core.landing.title")}</h1>
          <p class="lead">{t("core.landing.lead")}</p>
          <div class="row">
            <A class="btn" href="/tutors">
              {t("core.landing.findTutor")}
            </A>
            <A class="btn secondary" href="/signup">
              {t("core.landing.createAccount")}
            </A>
          </div>
        </div>
        <div class="hero-panel" aria-hidden="true">
          <strong>{t("core.landing.panelTitle")}</strong>
          <div class="small">{t("core.landing.panelSub")}</div>
          <For each={SAMPLE}>
            {(s, i) => (
              <div class="slot">
                <span>{weekdayTime(s)}</span>
                <span>{i() === 2 ? t("core.landing.panelGroup") : formatMinutes(60)}</span>
              </div>
            )}
          </For>
        </div>
      </section>
      <section class="stack">
        <h2>{t("core.landing.popular")}</h2>
        <div class="chips">
          <For each={SUBJECTS}>
            {(s) => (
              <A class="chip" href={`/tutors?subject=${encodeURIComponent(s)}`}>
                {t(subjectKey(s))}
              </A>
            )}
          </For>
        </div>
        <div class="features">
          <div class="card">
            <h3>{t("core.landing.feature1Title")}</h3>
            <p class="muted">{t("core.landing.feature1")}</p>
          </div>
          <div class="card">
            <h3>{t("core.landing.feature2Title")}</h3>
            <p class="muted">{t("core.landing.feature2")}</p>
          </div>
          <div class="card">
            <h3>{t("core.landing.feature3Title")}</h3>
            <p class="muted">{t("core.landing.feature3")}</p>
          </div>
        </div>
      </section>
    </>
  );
}

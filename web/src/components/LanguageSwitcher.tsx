import { For, Show, createSignal, createUniqueId } from "solid-js";
import { LANGUAGES, LANGUAGE_NAMES, type Language, isLanguage, localeForLanguage } from "../../../domain/i18n/locales";
import { language, locale, setLocale, t } from "../i18n";
import { updateProfile } from "../features/account/account";
import { session } from "../lib/session";

/**
 * Switches the app's language on any page, for visitors too. The page changes at once; when signed in the
 * choice is also saved on the account (emails follow it), with the save's pending and error states shown.
 */
export function LanguageSwitcher() {
  const id = createUniqueId();
  const [saving, setSaving] = createSignal(false);
  const [failed, setFailed] = createSignal(false);

  const choose = async (lang: Language) => {
    const tag = localeForLanguage(lang, locale(), navigator.languages ?? []);
    setFailed(false);
    await setLocale(tag);
    if (!session.user()) return;
    setSaving(true);
    try {
      await updateProfile({ locale: tag });
    } catch {
      setFailed(true);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="language-switcher">
      <label for={id}>{t("core.language.label")}</label>
      <select id={id} value={language()} aria-busy={saving() ? "true" : undefined} onChange={(e) => isLanguage(e.currentTarget.value) && void choose(e.currentTarget.value)}>
        <For each={LANGUAGES}>
          {(lang) => (
            <option value={lang} lang={lang}>
              {LANGUAGE_NAMES[lang]}
            </option>
          )}
        </For>
      </select>
      <span role="status" class="small">
        <Show when={saving()}>{t("core.language.saving")}</Show>
      </span>
      <Show when={failed()}>
        <span role="alert" class="field-error">
          {t("core.language.notSaved")}
        </span>
      </Show>
    </div>
  );
}

/** Display helpers for money, ratings, credit and subjects, in the viewer's locale (the shared ones live in domain/format). */
import { formatCredits as fCredits, formatMoney as fMoney } from "../../../domain/format/amounts";
import { subjectLabel as fSubject } from "../../../domain/format/subject";
import { wordsFor } from "../../../domain/format/words";
import { locale, t } from "../i18n";

/** "1 h 30 min of credit" / "1 h 30 min de crédito". */
export const formatCredits = (minutes: number) => fCredits(minutes, locale());

/** 12000 → "$120" / "120 US$" (integer cents in, the currency written as the viewer's locale writes it). */
export const formatMoney = (cents: number, currency = "usd") => fMoney(cents, currency, locale());

/** "computer science" → "Computer science" / "Informática". */
export const subjectLabel = (s: string) => fSubject(s, locale());

/** 4500 → "$45/h". */
export const formatRate = (cents: number) => wordsFor(locale()).perHour.replace("{price}", formatMoney(Math.round(cents / 100) * 100));

/** What an hour with a tutor costs a student, in credit: "1 h 30 min of credit per hour" (screen readers, titles). */
export const formatCreditRate = (minutesPerHour: number) => t("core.price.perHour", { credits: formatCredits(minutesPerHour) });

/** "★ 4.8 (12 reviews)" or "New tutor". */
export const formatRating = (rating: number | null, count: number) =>
  rating === null || count === 0
    ? t("core.rating.new")
    : `★ ${new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rating)} (${t("core.rating.reviews", { count })})`;

/** 20 → "20%" / "20 %" / "٢٠٪". */
export const formatPercent = (percent: number) => new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(percent / 100);

export const firstName = (name: string) => name.split(" ")[0] ?? name;

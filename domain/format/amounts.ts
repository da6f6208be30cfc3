/**
 * Amounts as people read them, in the reader's locale (no locale: English). Credit is kept in minutes and always
 * shown the same way: hours and minutes "of credit" (a 60-minute lesson at the standard rate costs 1 h of credit),
 * in the SPA, notices and emails alike.
 */
import { wordsFor } from "./words";

const numbers = new Map<string, Intl.NumberFormat>();
const num = (n: number, locale: string | undefined) => {
  const key = locale ?? "";
  let f = numbers.get(key);
  if (!f) numbers.set(key, (f = new Intl.NumberFormat(locale ?? "en-US", { useGrouping: false })));
  return f.format(n);
};

/** Minutes as "1 h 30 min", "45 min", "4 h" (durations and credit amounts); "١ س ٣٠ د" in Arabic. */
export function formatDuration(minutes: number, locale?: string): string {
  const w = wordsFor(locale);
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  const sign = minutes < 0 ? "−" : "";
  if (!h) return `${sign}${num(m, locale)} ${w.minutes}`;
  return `${sign}${num(h, locale)} ${w.hours}${m ? ` ${num(m, locale)} ${w.minutes}` : ""}`;
}

/** A credit amount: "1 h 30 min of credit", "1 h 30 min de crédito". */
export const formatCredits = (minutes: number, locale?: string) => wordsFor(locale).credit.replace("{d}", formatDuration(minutes, locale));

const money = new Map<string, Intl.NumberFormat>();
/** 12000 → "$120", 12050 → "$120.50" (integer cents in, the currency's symbol out). */
export function formatMoney(cents: number, currency = "usd", locale = "en-US"): string {
  const whole = cents % 100 === 0;
  const key = `${locale}|${currency}|${whole}`;
  let f = money.get(key);
  if (!f) money.set(key, (f = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })));
  return f.format(cents / 100);
}

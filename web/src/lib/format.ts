import { formatMinutes } from "./time";
/** Display helpers for money, ratings and subjects. */

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** 4500 → "$45/h". */
export const formatRate = (cents: number) => `${usd.format(cents / 100)}/h`;

/** What an hour with a tutor costs a student, in credit: "1 h 30 min of credit per hour" (screen readers, titles). */
export const formatCreditRate = (minutesPerHour: number) => `${formatMinutes(minutesPerHour)} of credit per hour`;

/** "★ 4.8 (12 reviews)" or "New tutor". */
export const formatRating = (rating: number | null, count: number) =>
  rating === null || count === 0 ? "New tutor" : `★ ${rating.toFixed(1)} (${count} review${count === 1 ? "" : "s"})`;

const UPPER = new Set(["sat", "act", "ielts", "toefl", "gcse", "ap", "hsc", "jlpt", "delf"]);

/** "sat prep" → "SAT prep", "computer science" → "Computer science". */
export const subjectLabel = (s: string) =>
  s
    .split(" ")
    .map((w, i) => (UPPER.has(w) ? w.toUpperCase() : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(" ");

export const firstName = (name: string) => name.split(" ")[0] ?? name;

const money = new Map<string, Intl.NumberFormat>();
/** 12000 → "$120", 12050 → "$120.50" (integer cents in, the currency's symbol out). */
export function formatMoney(cents: number, currency = "usd") {
  const whole = cents % 100 === 0;
  const key = `${currency}|${whole}`;
  let f = money.get(key);
  if (!f) money.set(key, (f = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })));
  return f.format(cents / 100);
}

/**
 * Amounts as people read them. Credit is kept in minutes and always shown the same way: hours and minutes "of
 * credit" (a 60-minute lesson at the standard rate costs 1 h of credit), in the SPA, notices and emails alike.
 */

/** Minutes as "1 h 30 min", "45 min", "4 h" (durations and credit amounts). */
export function formatDuration(minutes: number): string {
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  const sign = minutes < 0 ? "−" : "";
  if (!h) return `${sign}${m} min`;
  return `${sign}${h} h${m ? ` ${m} min` : ""}`;
}

/** A credit amount: "1 h 30 min of credit". */
export const formatCredits = (minutes: number) => `${formatDuration(minutes)} of credit`;

const money = new Map<string, Intl.NumberFormat>();
/** 12000 → "$120", 12050 → "$120.50" (integer cents in, the currency's symbol out). */
export function formatMoney(cents: number, currency = "usd", locale = "en-US"): string {
  const whole = cents % 100 === 0;
  const key = `${locale}|${currency}|${whole}`;
  let f = money.get(key);
  if (!f) money.set(key, (f = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })));
  return f.format(cents / 100);
}

/** Display helpers for money, ratings, credit and subjects (the shared ones live in domain/format). */
import { formatCredits, formatMoney } from "../../../domain/format/amounts";
import { subjectLabel } from "../../../domain/format/subject";

export { formatCredits, formatMoney, subjectLabel };

/** 4500 → "$45/h". */
export const formatRate = (cents: number) => `${formatMoney(Math.round(cents / 100) * 100)}/h`;

/** What an hour with a tutor costs a student, in credit: "1 h 30 min of credit per hour" (screen readers, titles). */
export const formatCreditRate = (minutesPerHour: number) => `${formatCredits(minutesPerHour)} per hour`;

/** "★ 4.8 (12 reviews)" or "New tutor". */
export const formatRating = (rating: number | null, count: number) =>
  rating === null || count === 0 ? "New tutor" : `★ ${rating.toFixed(1)} (${count} review${count === 1 ? "" : "s"})`;

export const firstName = (name: string) => name.split(" ")[0] ?? name;

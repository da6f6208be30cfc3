import { beforeTime, formatDate, formatTime } from "../../lib/time";

/**
 * "Dec 5, 2027, 9:10 PM" of an instant in `zone`: with its year, for what an admin reads that can fall in another
 * year (expiries, logs, bookings past and to come); formatDateTime's "Sun, Dec 5" would pass for this year.
 */
export const formatDateTimeYear = (t: number | string, zone: string) => `${formatDate(t, zone)}${beforeTime()}${formatTime(t, zone)}`;

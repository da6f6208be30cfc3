import { z } from "zod";

/** True when the runtime's Intl knows `zone` as an IANA time zone (e.g. "Asia/Kathmandu"). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone.includes("/") && zone !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Browsers report some zones by their old ICU names (Chromium says "Asia/Katmandu" for Kathmandu);
 * we store and show the current IANA name.
 */
const LEGACY_ZONES: Record<string, string> = {
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Macao": "Asia/Macau",
  "Asia/Ujung_Pandang": "Asia/Makassar",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
  "Europe/Kiev": "Europe/Kyiv",
  "Europe/Uzhgorod": "Europe/Kyiv",
  "Europe/Zaporozhye": "Europe/Kyiv",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Africa/Asmera": "Africa/Asmara",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
};

export const canonicalTimeZone = (zone: string) => LEGACY_ZONES[zone] ?? zone;

export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: "Unknown time zone; use an IANA name like Europe/Berlin" })
  .transform(canonicalTimeZone);

/** An instant on the wire: ISO 8601 in UTC with a `Z`, normalised to `toISOString()` form. */
export const InstantSchema = z.iso
  .datetime({ message: "Use an ISO 8601 UTC instant like 2027-03-01T09:00:00Z" })
  .transform((s) => new Date(s).toISOString());

export const RoleSchema = z.enum(["student", "tutor", "admin"]);
export type Role = z.infer<typeof RoleSchema>;

/** The error envelope every 4xx/5xx carries. */
export type ErrorBody = {
  error: { code: string; message: string; requestId?: string; issues?: { path: string; message: string }[] };
};

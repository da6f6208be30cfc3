/** Time-zone names, free of zod so the SPA's first load can use them. */
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
 * Browsers report some zones by their old ICU names (Chromium says "Asia/Katmandu" for Kathmandu), and ICU lists a few
 * zones by names IANA has since replaced (America/Cordoba for America/Argentina/Cordoba); we store and show the
 * current IANA name.
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
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Mendoza": "America/Argentina/Mendoza",
  "America/Coral_Harbour": "America/Atikokan",
};

// The runtime's own list holds canonical names already: they need no formatter built (~0.15 ms each, ~400 of them).
let listed: Set<string> | undefined;
const listedZones = () => (listed ??= new Set(Intl.supportedValuesOf?.("timeZone") ?? []));
// Names outside the list (aliases, other spellings) are few: each is resolved once per isolate.
const resolved = new Map<string, string>();
const RESOLVED_LIMIT = 1000;

/** The runtime's canonical id of a zone it knows by another name ("US/Eastern" → "America/New_York"); `zone` itself otherwise. */
function resolvedName(zone: string): string {
  let name = resolved.get(zone);
  if (name !== undefined) return name;
  try {
    name = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
  if (resolved.size >= RESOLVED_LIMIT) resolved.clear();
  resolved.set(zone, name);
  return name;
}

/**
 * The one name we store for a zone: its current IANA name, whatever name or spelling it was given by ("US/Eastern"
 * and "us/eastern" are "America/New_York", "Asia/Calcutta" is "Asia/Kolkata"). Search finds a zone's clock changes by
 * this name, so a tutor's zone saved under another one would be compared at today's offset on every day.
 */
export function canonicalTimeZone(zone: string): string {
  const legacy = LEGACY_ZONES[zone];
  if (legacy) return legacy;
  const name = listedZones().has(zone) ? zone : resolvedName(zone);
  return LEGACY_ZONES[name] ?? name;
}

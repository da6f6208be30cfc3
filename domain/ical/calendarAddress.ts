/**
 * Which outside calendar addresses the server may fetch. The server fetches them on its own, every 15 minutes,
 * so an address is a request the server makes on a user's behalf: it must name a public host over https and
 * nothing else (no loopback, no private or link-local network, no cloud metadata name, no port scan).
 *
 * Checks run on the WHATWG-parsed URL, so every spelling of a host is judged in its canonical form: decimal,
 * hex, octal and short IPv4 forms (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) all become `127.0.0.1`,
 * percent-encoded and full-width letters become ASCII, IPv6 is bracketed. Any IP literal is refused, public or
 * not: calendar services are reached by name. The same check is run again on every redirect hop.
 */
export type AddressCheck = { ok: true; url: URL } | { ok: false; reason: AddressProblem };
export type AddressProblem = "not_a_url" | "not_https" | "credentials" | "port" | "ip_literal" | "private_name";

/** Top-level names that never lead to the public internet (RFC 6761, 6762 appendix G, 7686, 8375, 9476). */
const RESERVED_TLDS = new Set(["localhost", "local", "internal", "arpa", "test", "invalid", "onion", "alt", "lan", "home", "corp", "intranet", "private", "localdomain"]);

/** Public names that resolve to this machine (wildcard loopback services). */
const LOOPBACK_NAMES = /(^|\.)(localtest\.me|lvh\.me|nip\.io|sslip\.io|xip\.io|traefik\.me|localhost\.run)$/;

const MESSAGES: Record<AddressProblem, string> = {
  not_a_url: "Use the calendar's https:// (or webcal://) address",
  not_https: "Use the calendar's https:// (or webcal://) address",
  credentials: "Use an address without a user name or password in it",
  port: "Use an address without a port number",
  ip_literal: "Use the calendar's web address, not an IP address",
  private_name: "That address is not on the public internet",
};

/** A sentence for the user about what is wrong with an address. */
export const addressProblemMessage = (p: AddressProblem) => MESSAGES[p];

/** Judges an address as typed: `webcal://` and `webcals://` are the same address over https. */
export function checkCalendarAddress(input: string): AddressCheck {
  return checkUrl(input.trim().replace(/^webcals?:\/\//i, "https://"));
}

/** Judges an absolute URL (a redirect target, say) without rewriting it. */
export function checkUrl(href: string): AddressCheck {
  if (!URL.canParse(href)) return { ok: false, reason: "not_a_url" };
  const url = new URL(href);
  if (url.protocol !== "https:") return { ok: false, reason: "not_https" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  if (url.port !== "") return { ok: false, reason: "port" };
  const host = url.hostname.toLowerCase();
  if (isIpLiteral(host)) return { ok: false, reason: "ip_literal" };
  if (!isPublicName(host)) return { ok: false, reason: "private_name" };
  return { ok: true, url };
}

/** An IPv6 literal (bracketed by the parser) or an IPv4 one in its canonical dotted form. */
function isIpLiteral(host: string): boolean {
  if (host.startsWith("[") || host.includes(":")) return true;
  // The parser turns any host whose last label is numeric into dotted IPv4 or refuses it.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function isPublicName(host: string): boolean {
  // A trailing dot names the root explicitly and dodges suffix checks ("localhost.", "corp.internal.").
  if (!host || host.endsWith(".") || host.length > 253) return false;
  const labels = host.split(".");
  // Single-label names resolve through search domains, i.e. inside whatever network the fetcher is in.
  if (labels.length < 2) return false;
  if (labels.some((l) => !/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l))) return false;
  if (RESERVED_TLDS.has(labels.at(-1)!)) return false;
  // A numeric top-level label is never a registered name (and would read as an address somewhere).
  if (/^\d+$/.test(labels.at(-1)!)) return false;
  return !LOOPBACK_NAMES.test(host);
}

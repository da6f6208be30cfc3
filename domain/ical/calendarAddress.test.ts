import { describe, expect, it } from "vitest";
import { checkCalendarAddress, checkUrl } from "./calendarAddress";

describe("checkCalendarAddress", () => {
  it.each([
    ["https://calendar.google.com/calendar/ical/abc%40group.calendar.google.com/private-0f3c/basic.ics", "https://calendar.google.com/calendar/ical/abc%40group.calendar.google.com/private-0f3c/basic.ics"],
    ["webcal://p52-caldav.icloud.com/published/2/MTIz", "https://p52-caldav.icloud.com/published/2/MTIz"],
    ["WEBCALS://outlook.office365.com/owa/calendar/x/reachcalendar.ics", "https://outlook.office365.com/owa/calendar/x/reachcalendar.ics"],
    ["  https://xn--bcher-kva.example/feed.ics  ", "https://xn--bcher-kva.example/feed.ics"],
    ["https://bücher.example/feed.ics", "https://xn--bcher-kva.example/feed.ics"],
    ["https://calendars.example:443/x.ics", "https://calendars.example/x.ics"],
  ])("accepts %s", (input, href) => {
    const r = checkCalendarAddress(input);
    expect(r.ok && r.url.href).toBe(href);
  });

  it.each([
    // Not an https address at all.
    ["plain http", "http://calendars.example/x.ics", "not_https"],
    ["ftp", "ftp://calendars.example/x.ics", "not_https"],
    ["a file", "file:///etc/passwd", "not_https"],
    ["javascript", "javascript:alert(1)", "not_https"],
    ["data", "data:text/calendar,BEGIN:VCALENDAR", "not_https"],
    ["not a URL", "my calendar", "not_a_url"],
    ["an empty string", "", "not_a_url"],
    // Ways to smuggle another host or port in.
    ["credentials", "https://user:pass@calendars.example/x.ics", "credentials"],
    ["a user name hiding the host", "https://calendars.example@127.0.0.1/x.ics", "credentials"],
    ["a port", "https://calendars.example:8443/x.ics", "port"],
    ["port 80 over https", "https://calendars.example:80/x.ics", "port"],
    // IPv4 in every spelling the URL parser accepts.
    ["dotted IPv4", "https://10.0.0.7/x.ics", "ip_literal"],
    ["a public IPv4", "https://93.184.215.14/x.ics", "ip_literal"],
    ["loopback", "https://127.0.0.1/x.ics", "ip_literal"],
    ["decimal IPv4", "https://2130706433/x.ics", "ip_literal"],
    ["hex IPv4", "https://0x7f000001/x.ics", "ip_literal"],
    ["hex dotted IPv4", "https://0x7f.0.0.1/x.ics", "ip_literal"],
    ["octal IPv4", "https://0177.0.0.1/x.ics", "ip_literal"],
    ["short IPv4", "https://127.1/x.ics", "ip_literal"],
    ["metadata address", "https://169.254.169.254/latest/meta-data/", "ip_literal"],
    ["zero address", "https://0/x.ics", "ip_literal"],
    ["percent-encoded IPv4", "https://%31%32%37.0.0.1/x.ics", "ip_literal"],
    ["full-width digits", "https://１２７.０.０.１/x.ics", "ip_literal"],
    // IPv6.
    ["IPv6 loopback", "https://[::1]/x.ics", "ip_literal"],
    ["IPv4-mapped IPv6", "https://[::ffff:127.0.0.1]/x.ics", "ip_literal"],
    ["IPv6 unique local", "https://[fd00::1]/x.ics", "ip_literal"],
    ["IPv6 link-local", "https://[fe80::1]/x.ics", "ip_literal"],
    // Names that stay inside a network.
    ["localhost", "https://localhost/x.ics", "private_name"],
    ["LOCALHOST", "https://LOCALHOST/x.ics", "private_name"],
    ["a localhost subdomain", "https://api.localhost/x.ics", "private_name"],
    ["percent-encoded localhost", "https://%6c%6fcalhost/x.ics", "private_name"],
    ["localhost with a trailing dot", "https://localhost./x.ics", "private_name"],
    ["a public name with a trailing dot", "https://calendar.google.com./x.ics", "private_name"],
    ["a single label", "https://intranet/x.ics", "private_name"],
    ["mDNS", "https://printer.local/x.ics", "private_name"],
    ["a cloud metadata name", "https://metadata.google.internal/computeMetadata/v1/", "private_name"],
    ["reverse DNS", "https://1.0.0.127.in-addr.arpa/x.ics", "private_name"],
    ["home.arpa", "https://nas.home.arpa/x.ics", "private_name"],
    ["a corporate suffix", "https://calendar.corp/x.ics", "private_name"],
    ["a test name", "https://calendar.test/x.ics", "private_name"],
    ["onion", "https://abc.onion/x.ics", "private_name"],
    ["a wildcard loopback service", "https://127.0.0.1.nip.io/x.ics", "private_name"],
    ["another one", "https://app.localtest.me/x.ics", "private_name"],
    ["a numeric top label", "https://calendars.123/x.ics", "not_a_url"],
  ])("refuses %s", (_, input, reason) => {
    const r = checkCalendarAddress(input);
    expect(r.ok ? "accepted" : r.reason).toBe(reason);
  });

  it("does not rewrite webcal in a redirect target", () => {
    expect(checkUrl("webcal://calendars.example/x.ics")).toEqual({ ok: false, reason: "not_https" });
  });
});

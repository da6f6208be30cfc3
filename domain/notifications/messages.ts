/**
 * The words of Tutorly's notices, rendered for one recipient: times in THEIR zone, with the zone named.
 * Pure: the zone and instants are inputs.
 */
export type NoticeTemplate =
  | { kind: "booked"; subject: string; start: string; withName: string }
  | { kind: "cancelled"; subject: string; start: string; byName: string; refunded: boolean }
  | { kind: "rescheduled"; subject: string; start: string; previousStart: string; byName: string }
  | { kind: "reminder"; subject: string; start: string; withName: string; lead: "24h" | "1h" }
  | { kind: "tutor_cancelled_offers"; subject: string; start: string; tutorName: string; offers: number }
  | { kind: "refunded"; subject: string; start: string; minutes: number }
  | { kind: "rebooked"; subject: string; start: string; tutorName: string };

/** "Tue 9 Mar, 14:30 (Asia/Kathmandu)" in the recipient's zone. */
export function formatInZone(iso: string, zone: string, locale = "en-GB"): string {
  const when = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  return `${when} (${zone.replace(/_/g, " ")})`;
}

export function renderNotice(t: NoticeTemplate, zone: string): { title: string; body: string } {
  const at = formatInZone(t.start, zone);
  switch (t.kind) {
    case "booked":
      return { title: `New ${t.subject} session with ${t.withName}`, body: `${t.withName} booked ${t.subject} for ${at}.` };
    case "cancelled":
      return {
        title: `Session cancelled: ${t.subject}, ${at}`,
        body: `${t.byName} cancelled the ${t.subject} session of ${at}.${t.refunded ? " The credits are back in your balance." : ""}`,
      };
    case "rescheduled":
      return { title: `Session moved to ${at}`, body: `${t.byName} moved your ${t.subject} session from ${formatInZone(t.previousStart, zone)} to ${at}.` };
    case "reminder":
      return {
        title: t.lead === "24h" ? `Coming up: ${t.subject} with ${t.withName}, ${at}` : `In one hour: ${t.subject} with ${t.withName}`,
        body: `Your ${t.subject} session with ${t.withName} starts ${at}. Join from My sessions a few minutes before.`,
      };
    case "tutor_cancelled_offers":
      return {
        title: `${t.tutorName} cancelled your ${t.subject} session`,
        body: `${t.tutorName} cannot make ${at}. We found ${t.offers} other ${t.subject} tutor${t.offers === 1 ? "" : "s"} free at that exact time — pick one at no extra cost, or take your credits back.`,
      };
    case "refunded":
      return { title: `Credits returned: ${t.subject}, ${at}`, body: `${t.minutes} credit-minutes for the cancelled ${t.subject} session of ${at} are back in your balance.` };
    case "rebooked":
      return { title: `Rebooked with ${t.tutorName}`, body: `Your ${t.subject} session of ${at} is now with ${t.tutorName}, at no extra cost.` };
  }
}

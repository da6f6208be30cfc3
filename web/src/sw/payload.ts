import type { PushPayload } from "../../../domain/notifications/push";

const KINDS = ["reminders", "cancellations", "offers", "messages"];
const text = (v: unknown, max: number) => typeof v === "string" && v.length <= max;

/**
 * The zod-free twin of `PushPayloadSchema` (domain/notifications/push.ts) for the service worker, which stays
 * small; test/e2e/spa-mirrors.test.ts pins the two together. Null when the push is not one of ours.
 */
export function parsePushPayload(data: unknown): PushPayload | null {
  if (!data || typeof data !== "object") return null;
  const p = data as Record<string, unknown>;
  const ok =
    KINDS.includes(p.kind as string) &&
    text(p.title, 120) &&
    text(p.body, 500) &&
    (p.link === undefined || (text(p.link, 300) && (p.link as string).startsWith("/"))) &&
    (p.tag === undefined || text(p.tag, 100));
  return ok ? (p as PushPayload) : null;
}

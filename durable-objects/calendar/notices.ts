import { inArray } from "drizzle-orm";
import { type NoticeTemplate, renderNotice, withOtherName } from "../../domain/notifications/messages";
import { getDb } from "../../platform/db/client";
import { users } from "../../platform/db/schema";
import { notify } from "../../platform/notifications/service";

type NoticeEffect = { userId: string; nameOf: string | null; template: NoticeTemplate; dedupeKey: string; link?: string };

/** Renders a notice in the recipient's zone (with the other person's name) and delivers it once. */
export async function sendNotice(env: Env, e: NoticeEffect): Promise<void> {
  const ids = [e.userId, ...(e.nameOf ? [e.nameOf] : [])];
  const people = await getDb(env).select({ id: users.id, name: users.name, timezone: users.timezone }).from(users).where(inArray(users.id, ids)).all();
  const me = people.find((p) => p.id === e.userId);
  if (!me) return;
  const other = e.nameOf ? people.find((p) => p.id === e.nameOf)?.name : undefined;
  const { title, body } = renderNotice(withOtherName(e.template, other), me.timezone);
  await notify(env, { userId: e.userId, kind: e.template.kind, title, body, link: e.link, dedupeKey: e.dedupeKey });
}

import { eq, or } from "drizzle-orm";
import type { User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import { conversations, notificationSettings, pushSubscriptions } from "../../../platform/db/schema";
import { loadSettings } from "../../../platform/notifications/settings";
import { conversationOf } from "../../lib/stubs";
import { factsOf, listMine } from "./repo";

/** A person's conversations with every message in them, and their push devices and notification switches (the data export). */
export async function talkForExport(env: Env, user: User) {
  const db = getDb(env);
  const [mine, devices, settings] = await Promise.all([
    db.select().from(conversations).where(or(eq(conversations.studentId, user.id), eq(conversations.tutorId, user.id))).all(),
    db.select({ endpoint: pushSubscriptions.endpoint, createdAt: pushSubscriptions.createdAt, lastSuccessAt: pushSubscriptions.lastSuccessAt }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, user.id)).all(),
    loadSettings(db, user.id),
  ]);
  const withWhom = new Map((await listMine(db, user)).map((c) => [c.id, c.other]));
  const talk = await Promise.all(
    mine.map(async (c) => ({
      id: c.id,
      with: withWhom.get(c.id) ?? { id: c.studentId === user.id ? c.tutorId : c.studentId },
      startedAt: c.createdAt,
      messages: await conversationOf(env, c.id).everything({ conversation: factsOf(c) }),
    })),
  );
  // A push endpoint is a capability: only where it points is exported.
  return { conversations: talk, pushDevices: devices.map((d) => ({ ...d, endpoint: new URL(d.endpoint).origin })), notificationSettings: settings };
}

/** Account deletion: the person's messages are erased and their conversations closed; their devices and switches go. */
export async function forgetTalk(env: Env, userId: string, now: number): Promise<void> {
  const db = getDb(env);
  const mine = await db.select().from(conversations).where(or(eq(conversations.studentId, userId), eq(conversations.tutorId, userId))).all();
  for (const c of mine) await conversationOf(env, c.id).forget({ conversation: factsOf(c), userId, now });
  await db.batch([db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)), db.delete(notificationSettings).where(eq(notificationSettings.userId, userId))]);
}

import { eq, inArray } from "drizzle-orm";
import { DEFAULT_SETTINGS, type NotificationSettings } from "../../domain/notifications/settings";
import { type Db, readInChunks } from "../db/client";
import { notificationSettings } from "../db/schema";

type Row = typeof notificationSettings.$inferSelect;

const fromRow = (r: Row): NotificationSettings => ({
  push: { reminders: r.pushReminders, cancellations: r.pushCancellations, offers: r.pushOffers, messages: r.pushMessages },
  email: { reminders: r.emailReminders, cancellations: r.emailCancellations, offers: r.emailOffers, messages: r.emailMessages },
});

const toColumns = (s: NotificationSettings) => ({
  pushReminders: s.push.reminders,
  pushCancellations: s.push.cancellations,
  pushOffers: s.push.offers,
  pushMessages: s.push.messages,
  emailReminders: s.email.reminders,
  emailCancellations: s.email.cancellations,
  emailOffers: s.email.offers,
  emailMessages: s.email.messages,
});

/** A user's switches (all on until they change one). */
export async function loadSettings(db: Db, userId: string): Promise<NotificationSettings> {
  const row = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, userId)).get();
  return row ? fromRow(row) : DEFAULT_SETTINGS;
}

/** Several users' switches in one read (all on for those who never changed one). */
export async function loadSettingsOf(db: Db, userIds: readonly string[]): Promise<Map<string, NotificationSettings>> {
  const rows = await readInChunks([...new Set(userIds)], (part) => db.select().from(notificationSettings).where(inArray(notificationSettings.userId, part)).all());
  const found = new Map(rows.map((r) => [r.userId, fromRow(r)]));
  return new Map(userIds.map((id) => [id, found.get(id) ?? DEFAULT_SETTINGS]));
}

export async function saveSettings(db: Db, userId: string, settings: NotificationSettings, now = new Date()): Promise<void> {
  const columns = { ...toColumns(settings), updatedAt: now.toISOString() };
  await db
    .insert(notificationSettings)
    .values({ userId, ...columns })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: columns });
}

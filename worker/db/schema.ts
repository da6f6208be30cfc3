/**
 * The D1 data model, the one place tables are declared. `npm run db:generate` turns changes here into
 * a new SQL file under migrations/. Instants are ISO 8601 UTC strings (`toISOString()`), which sort
 * correctly as text; money is integer cents, credit amounts integer minutes.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["student", "tutor", "admin"] }).notNull(),
    timezone: text("timezone").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

/** Only the SHA-256 of a session token is stored; the token itself lives in the cookie. */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("auth_sessions_user").on(t.userId)],
);

export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("login_failures_email_at").on(t.email, t.at)],
);

export const tutorProfiles = sqliteTable(
  "tutor_profiles",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    bio: text("bio").notNull().default(""),
    hourlyRateCents: integer("hourly_rate_cents").notNull().default(3000),
    timezone: text("timezone").notNull(),
    approvedAt: text("approved_at"),
    approvedBy: text("approved_by"),
    ratingSum: integer("rating_sum").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** 0..1, 1 = fully reliable; recomputed from cancellations and no-shows. */
    reliability: real("reliability").notNull().default(1),
    flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("tutor_profiles_approved_rate").on(t.approvedAt, t.hourlyRateCents)],
);

export const tutorSubjects = sqliteTable(
  "tutor_subjects",
  {
    tutorId: text("tutor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tutorId, t.subject] }), index("tutor_subjects_subject").on(t.subject, t.tutorId)],
);

export const students = sqliteTable("students", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  stripeCustomerId: text("stripe_customer_id"),
  createdAt: text("created_at").notNull().default(now),
});

/** Small key/value facts about this database (e.g. which demo seed version ran). */
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

import { eq, inArray } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { appMeta, students, tutorProfiles, tutorSubjects, users } from "../../platform/db/schema";
import { hashPassword } from "../lib/password";
import { creditStatement } from "../../platform/credits/ledgerRepo";
import { DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TUTORS } from "./demoData";
import { pushTutorFacts } from "../features/tutors/facts";

export const SEED_VERSION = "3";
const SEED_KEY = "demo_seed";

type SeedEnv = Pick<Env, "DB" | "ENVIRONMENT" | "DEMO_ADMIN_EMAIL" | "DEMO_ADMIN_PASSWORD"> & Partial<Pick<Env, "TUTOR_CALENDAR">>;

/**
 * Creates the demo admin, tutors and students when they are missing. Safe to run any number of times;
 * refuses to run anywhere but local development.
 */
export async function ensureDemoData(env: SeedEnv): Promise<"seeded" | "present"> {
  if (env.ENVIRONMENT !== "development") throw new Error("Demo data is only seeded in local development.");
  const db = getDb(env);
  const marker = await db.select().from(appMeta).where(eq(appMeta.key, SEED_KEY)).get();
  if (marker?.value === SEED_VERSION) return "present";

  const demoHash = await hashPassword(DEMO_PASSWORD);
  const adminEmail = (env.DEMO_ADMIN_EMAIL || "admin@tutorly.dev").toLowerCase();
  const adminHash = await hashPassword(env.DEMO_ADMIN_PASSWORD || "tutorly-admin");
  const now = new Date().toISOString();

  const people = [
    { email: adminEmail, name: "Tutorly Admin", role: "admin" as const, timezone: "UTC", passwordHash: adminHash },
    ...DEMO_TUTORS.map((t) => ({ email: t.email, name: t.name, role: "tutor" as const, timezone: t.timezone, passwordHash: demoHash })),
    ...DEMO_STUDENTS.map((s) => ({ ...s, role: "student" as const, passwordHash: demoHash })),
  ];
  await db.batch([
    db
      .insert(users)
      .values(people.map((p) => ({ id: crypto.randomUUID(), ...p })))
      .onConflictDoNothing({ target: users.email }),
  ]);
  const ids = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, people.map((p) => p.email))).all()).map(
      (r) => [r.email, r.id],
    ),
  );
  const admin = ids.get(adminEmail)!;
  await db.batch([
    db.insert(appMeta).values({ key: SEED_KEY, value: SEED_VERSION }).onConflictDoUpdate({ target: appMeta.key, set: { value: SEED_VERSION } }),
    ...DEMO_TUTORS.map((t) =>
      db
        .insert(tutorProfiles)
        .values({ userId: ids.get(t.email)!, bio: t.bio, hourlyRateCents: t.hourlyRateCents, timezone: t.timezone, approvedAt: now, approvedBy: admin })
        .onConflictDoNothing(),
    ),
    db
      .insert(tutorSubjects)
      .values(DEMO_TUTORS.flatMap((t) => t.subjects.map((subject) => ({ tutorId: ids.get(t.email)!, subject }))))
      .onConflictDoNothing(),
    db
      .insert(students)
      .values(DEMO_STUDENTS.map((s) => ({ userId: ids.get(s.email)! })))
      .onConflictDoNothing(),
  ]);
  // Booking facts and weekly hours in each tutor's calendar object (which also projects the hours for search).
  if (env.TUTOR_CALENDAR) {
    const withCalendars = { DB: env.DB, TUTOR_CALENDAR: env.TUTOR_CALENDAR };
    for (const t of DEMO_TUTORS) {
      await pushTutorFacts(withCalendars, ids.get(t.email)!);
      const calendar = env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(ids.get(t.email)!));
      if (!(await calendar.availability())) {
        await calendar.setAvailability(ids.get(t.email)!, { timezone: t.timezone, weekly: t.weekly, overrides: [], bufferMinutes: 10, minNoticeMinutes: 120, horizonDays: 60 });
      }
    }
  }
  // A welcome balance so demo students can book before buying a plan (local payment mode adds more).
  const welcome = new Date(Date.now() + 60 * 86_400_000).toISOString();
  const [first, ...rest] = DEMO_STUDENTS.map((s) =>
    creditStatement(db, { userId: ids.get(s.email)!, kind: "adjust", minutes: 240, expiresAt: welcome, reason: "demo welcome credit", sourceRef: `demo:${s.email}` }, new Date()),
  );
  await db.batch([first!, ...rest]);
  return "seeded";
}

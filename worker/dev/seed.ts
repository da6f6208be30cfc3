import { eq, inArray } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { appMeta, students, tutorProfiles, tutorSubjects, users } from "../../platform/db/schema";
import { hashPassword } from "../lib/password";
import { accountOf } from "../lib/stubs";
import { buyPackLocally } from "../features/billing/service";
import { DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TUTORS } from "./demoData";
import { pushTutorFacts } from "../features/tutors/facts";

export const SEED_VERSION = "4";
const SEED_KEY = "demo_seed";
const DEMO_WELCOME_MINUTES = 60;

/**
 * Creates the demo admin, tutors and students when they are missing. Safe to run any number of times;
 * refuses to run anywhere but local development.
 */
export async function ensureDemoData(env: Env): Promise<"seeded" | "present"> {
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
  const existing = new Set((await db.select({ email: users.email }).from(users).where(inArray(users.email, people.map((p) => p.email))).all()).map((r) => r.email));
  // One statement per person (D1 caps a statement at 100 bound values); demo addresses count as confirmed.
  const inserts = people.filter((p) => !existing.has(p.email)).map((p) => db.insert(users).values({ id: crypto.randomUUID(), ...p, emailVerifiedAt: now }));
  if (inserts.length) await db.batch([inserts[0]!, ...inserts.slice(1)]);
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
        .values({ userId: ids.get(t.email)!, bio: t.bio, hourlyRateCents: t.hourlyRateCents, timezone: t.timezone, offersTrials: t.offersTrials ?? false, approvedAt: now, approvedBy: admin })
        // Seed 4 added trial lessons: an older demo database learns which tutors offer them.
        .onConflictDoUpdate({ target: tutorProfiles.userId, set: { offersTrials: t.offersTrials ?? false } }),
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
  for (const t of DEMO_TUTORS) {
    await pushTutorFacts(env, ids.get(t.email)!);
    const calendar = env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(ids.get(t.email)!));
    if (!(await calendar.availability())) {
      await calendar.setAvailability(ids.get(t.email)!, { timezone: t.timezone, weekly: t.weekly, overrides: [], bufferMinutes: 10, minNoticeMinutes: 120, horizonDays: 60 });
    }
  }
  // Demo students start with a promotional welcome hour and a 3-hour pack bought through the local payment mode
  // (so the books have a real purchase to show): 240 credit-minutes. Both are keyed, so a re-run adds nothing.
  for (const s of DEMO_STUDENTS) {
    const id = ids.get(s.email)!;
    await accountOf(env, id).grant({
      studentId: id,
      grantId: `welcome:${id}`,
      kind: "adjust",
      minutes: DEMO_WELCOME_MINUTES,
      funding: "promo",
      paidCents: 0,
      purchaseRef: null,
      expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      reason: "welcome credit",
      now: Date.now(),
    });
    await buyPackLocally(env, { id, email: s.email, name: s.name, role: "student", timezone: s.timezone, locale: "en", emailVerified: true }, "pack-180", `cs_local_demo_${id.replace(/-/g, "")}`);
  }
  return "seeded";
}

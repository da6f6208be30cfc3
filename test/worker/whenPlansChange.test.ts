import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { completePastSessions } from "../../worker/jobs/completeSessions";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, Client, adminClient, approvedTutor, balance, drained, fundedStudent, settleWallet, signup, slotAhead, wasInRoom } from "./helpers";
import { deliver, invoiceObject, packBuyer, sec, stripeEvent, uid } from "./stripeHelpers";
import { oneOnOneCost } from "../../domain/credits/pricing";

const book = (client: Client, tutorId: string, start: string, subject = "mathematics") =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject });

/** A subject only the tutors made in this test teach, so replacement candidates are predictable. */
const freshSubject = () => `subject-${crypto.randomUUID().slice(0, 8)}`;

async function cancelledByTutor(opts: { replacements: number; hoursAhead?: number }) {
  const subject = freshSubject();
  const tutor = await approvedTutor({ subjects: [subject] });
  const others = await Promise.all(Array.from({ length: opts.replacements }, () => approvedTutor({ subjects: [subject] })));
  const student = await fundedStudent(60);
  const start = slotAhead((opts.hoursAhead ?? 48) * 60);
  const { json } = await book(student.client, tutor.user.id, start, subject);
  expect(json.booking).toBeTruthy();
  const cancel = await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, { reason: "family emergency" });
  expect(cancel.status).toBe(200);
  await drained(tutor.user.id); // the offer is opened after the answer
  return { subject, tutor, others, student, start, bookingId: json.booking.id as string };
}

describe("a tutor cancels", () => {
  it("the student is notified at once and offered up to three free tutors of the same subject, best rated first", async () => {
    const { student, others, start } = await cancelledByTutor({ replacements: 4 });
    const offers = (await student.client.get("/api/offers")).json.offers;
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ status: "open", start, cutoff: new Date(Date.parse(start) - 3_600_000).toISOString() });
    expect(offers[0].candidates).toHaveLength(3);
    expect(others.map((o) => o.user.id)).toEqual(expect.arrayContaining(offers[0].candidates.map((c: { tutorId: string }) => c.tutorId)));
    expect(await balance(student.client)).toBe(0); // the credits wait for the student's choice
    const inbox = (await student.client.get("/api/notifications")).json;
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
    expect(inbox.notifications[0].title).toMatch(/cancelled your .* session/);
    const mail = await env.DB.prepare("SELECT subject FROM email_outbox WHERE user_id = ?").bind(student.user.id).all<{ subject: string }>();
    expect(mail.results.map((m) => m.subject)).toContainEqual(expect.stringMatching(/cancelled your/));
  });

  it("only offers tutors who are free at that exact time", async () => {
    const subject = freshSubject();
    const tutor = await approvedTutor({ subjects: [subject] });
    const busy = await approvedTutor({ subjects: [subject] });
    const free = await approvedTutor({ subjects: [subject] });
    const closed = await approvedTutor({ subjects: [subject], availability: { ...ALL_WEEK(), weekly: [] } });
    const start = slotAhead(48 * 60);
    const other = await fundedStudent(60);
    await book(other.client, busy.user.id, start, subject);
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, start, subject);
    await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, {});
    await drained(tutor.user.id);
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    expect(offer.candidates.map((c: { tutorId: string }) => c.tutorId)).toEqual([free.user.id]);
    void closed;
  });

  it("accepting rebooks atomically with the new tutor at no extra cost", async () => {
    const { student, others, start } = await cancelledByTutor({ replacements: 2 });
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    const pick = offer.candidates[0].tutorId as string;
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: pick });
    expect(res.status).toBe(200);
    expect(res.json.booking).toMatchObject({ tutorId: pick, start, status: "confirmed", studentIds: [student.user.id] });
    expect(await balance(student.client)).toBe(0);
    await drained(pick);
    const list = (await student.client.get("/api/bookings")).json.bookings;
    expect(list.map((b: { tutorId: string; status: string }) => [b.tutorId === pick, b.status]).sort()).toEqual([
      [false, "cancelled"],
      [true, "confirmed"],
    ]);
    expect((await student.client.get("/api/offers")).json.offers[0].status).toBe("accepted");
    // Cancelling the replacement ≥ 24 h ahead refunds the moved credits, exactly once.
    await student.client.post(`/api/bookings/${res.json.booking.id}/cancel`, {});
    expect(await balance(student.client)).toBe(60);
    await settleWallet(student.user.id);
    const ledger = await env.DB.prepare("SELECT coalesce(sum(CASE kind WHEN 'debit' THEN minutes WHEN 'refund' THEN -minutes END), 0) AS net FROM credit_ledger WHERE user_id = ?").bind(student.user.id).first<{ net: number }>();
    expect(ledger!.net).toBe(0);
    void others;
  });

  it("two replacements accepted at once: exactly one wins", async () => {
    const { student } = await cancelledByTutor({ replacements: 2 });
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    const [a, b] = offer.candidates.map((c: { tutorId: string }) => c.tutorId);
    const results = await Promise.all([
      student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: a }),
      student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: b }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    await Promise.all([drained(a), drained(b)]);
    const confirmed = (await student.client.get("/api/bookings")).json.bookings.filter((x: { status: string }) => x.status === "confirmed");
    expect(confirmed).toHaveLength(1);
    expect(await balance(student.client)).toBe(0);
  });

  it("declining refunds the credits once", async () => {
    const { student } = await cancelledByTutor({ replacements: 1 });
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    const results = await Promise.all([student.client.post(`/api/offers/${offer.id}/decline`), student.client.post(`/api/offers/${offer.id}/decline`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await balance(student.client)).toBe(60);
    expect((await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: offer.candidates[0].tutorId })).status).toBe(409);
  });

  it("refunds by alarm when nobody accepted before the cut-off, exactly once", async () => {
    const { student } = await cancelledByTutor({ replacements: 1 });
    const stub = accountOf(env, student.user.id);
    await runInDurableObject(stub, async (_, state) => {
      state.storage.sql.exec("UPDATE offers SET cutoff_ms = ?", Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await balance(student.client)).toBe(60);
    expect((await student.client.get("/api/offers")).json.offers[0].status).toBe("expired");
    await runInDurableObject(stub, async (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    expect(await balance(student.client)).toBe(60);
    await settleWallet(student.user.id);
    const refunds = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND kind = 'refund'").bind(student.user.id).first<{ n: number }>();
    expect(refunds!.n).toBe(1);
  });

  it("refunds at once when no other tutor is free", async () => {
    const { student } = await cancelledByTutor({ replacements: 0 });
    expect(await balance(student.client)).toBe(60);
    expect((await student.client.get("/api/offers")).json.offers[0].status).toBe("refunded");
  });

  /** Runs the tutor's failed outbox effects again now, as the outbox's backoff alarm would later. */
  const retryNow = async (tutorId: string) => {
    await runInDurableObject(calendarOf(env, tutorId), (_, state) => {
      state.storage.sql.exec("UPDATE effects SET next_ms = 0");
    });
    await drained(tutorId);
  };
  /** A tutor cancels while replacement candidates cannot be looked up (their table is away), so the offer's first attempt fails. */
  async function cancelledWhileLookupFails(replacements: number) {
    const subject = freshSubject();
    const tutor = await approvedTutor({ subjects: [subject] });
    const others = await Promise.all(Array.from({ length: replacements }, () => approvedTutor({ subjects: [subject] })));
    const student = await fundedStudent(600);
    const booked = await book(student.client, tutor.user.id, slotAhead(50 * 60), subject);
    const id: string = booked.json.booking.id;
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(540);
    await env.DB.exec("ALTER TABLE tutor_subjects RENAME TO tutor_subjects_away");
    try {
      expect((await tutor.client.post(`/api/bookings/${id}/cancel`, { reason: "sick" })).status).toBe(200);
      await drained(tutor.user.id);
      expect((await accountOf(env, student.user.id).offers()).find((o) => o.id === id)?.status).toBe("preparing");
    } finally {
      await env.DB.exec("ALTER TABLE tutor_subjects_away RENAME TO tutor_subjects");
    }
    return { tutor, others, student, id };
  }

  it("a replacement offer whose first attempt failed is finished by the outbox's retry (refunded when nobody is free)", async () => {
    const { tutor, student, id } = await cancelledWhileLookupFails(0);
    await retryNow(tutor.user.id);
    await settleWallet(student.user.id);
    expect((await accountOf(env, student.user.id).offers()).find((o) => o.id === id)?.status).toBe("refunded");
    expect(await balance(student.client)).toBe(600);
  });

  it("a replacement offer whose first attempt failed opens with candidates on the retry", async () => {
    const { tutor, others, student, id } = await cancelledWhileLookupFails(1);
    await retryNow(tutor.user.id);
    const offer = (await student.client.get("/api/offers")).json.offers.find((o: { id: string }) => o.id === id);
    expect(offer).toMatchObject({ status: "open", candidates: [expect.objectContaining({ tutorId: others[0]!.user.id })] });
    expect(await balance(student.client)).toBe(540); // the credits wait for the student's choice
  });

  it("a replacement offer left preparing is refunded by the cut-off alarm, exactly once", async () => {
    const { tutor, student, id } = await cancelledWhileLookupFails(1);
    // The retry is lost (say, the effect was dropped): nothing but the student's own alarm is left to finish it.
    await runInDurableObject(calendarOf(env, tutor.user.id), (_, state) => {
      state.storage.sql.exec("DELETE FROM effects WHERE kind = 'offer'");
    });
    const stub = accountOf(env, student.user.id);
    await runInDurableObject(stub, async (_, state) => {
      state.storage.sql.exec("UPDATE offers SET cutoff_ms = ?", Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.offers()).find((o) => o.id === id)?.status).toBe("expired");
    expect(await balance(student.client)).toBe(600);
    await settleWallet(student.user.id);
    const refunds = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND kind = 'refund'").bind(student.user.id).first<{ n: number }>();
    expect(refunds!.n).toBe(1);
  });

  it("other students cannot see or accept someone's offer", async () => {
    const { student } = await cancelledByTutor({ replacements: 1 });
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    const stranger = await fundedStudent(60);
    expect((await stranger.client.get("/api/offers")).json.offers).toEqual([]);
    expect((await stranger.client.post(`/api/offers/${offer.id}/accept`, { tutorId: offer.candidates[0].tutorId })).status).toBe(404);
    expect((await stranger.client.post(`/api/offers/${offer.id}/decline`)).status).toBe(404);
  });
});

describe("a replacement is booked at its own tutor's price", () => {
  /** The student's offer once the calendar has opened it. */
  const offerOf = async (student: { client: Client }) => {
    const offers = (await student.client.get("/api/offers")).json.offers;
    expect(offers).toHaveLength(1);
    return offers[0] as { id: string; status: string; candidates: { tutorId: string }[] };
  };
  /** A session's earning as its tutor sees it (fixed when the seat was confirmed). */
  const earningSeen = async (tutor: Client, bookingId: string) =>
    ((await tutor.get("/api/bookings")).json.bookings as { id: string; tutorEarningCents: number }[]).find((b) => b.id === bookingId)?.tutorEarningCents;
  /** What the student's wallet still holds for lessons: the credit its active reservations spent. */
  const heldMinutes = async (studentId: string) => (await accountOf(env, studentId).activeReservations()).reduce((sum, r) => sum + r.cost, 0);
  /** Net credit spent as the ledger (in D1) says: debits less refunds. */
  const netSpent = async (studentId: string) => {
    await settleWallet(studentId);
    const row = await env.DB.prepare("SELECT coalesce(sum(CASE kind WHEN 'debit' THEN minutes WHEN 'refund' THEN -minutes END), 0) AS net FROM credit_ledger WHERE user_id = ?").bind(studentId).first<{ net: number }>();
    return row!.net;
  };

  /**
   * A pack-180 buyer ($99 for 180 minutes) books the cancelling tutor for an hour 72 h ahead; that tutor cancels.
   * The others teach the same subject (only they do) at the rates given.
   */
  async function packLessonCancelled(rates: { cancelling: number; others: number[] }) {
    const subject = freshSubject();
    const tutor = await approvedTutor({ subjects: [subject], hourlyRateCents: rates.cancelling });
    const others = [];
    for (const r of rates.others) others.push(await approvedTutor({ subjects: [subject], hourlyRateCents: r }));
    const student = await packBuyer("pack-180", 9_900);
    const start = slotAhead(72 * 60);
    const { json } = await book(student.client, tutor.user.id, start, subject);
    expect(json.booking).toMatchObject({ creditsMinutes: oneOnOneCost(rates.cancelling, 60) });
    expect((await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, { reason: "ill" })).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    return { subject, tutor, others, student, start, bookingId: json.booking.id as string };
  }
  /** A student's free trial with a $45/h tutor (23 credit-minutes), cancelled by the tutor; tutors at `rates` teach the subject too. */
  async function freeTrialCancelled(rates: number[]) {
    const subject = freshSubject();
    const tutor = await approvedTutor({ subjects: [subject], hourlyRateCents: 4500, offersTrials: true });
    const others = [];
    for (const r of rates) others.push(await approvedTutor({ subjects: [subject], hourlyRateCents: r }));
    const student = await signup("student");
    const start = slotAhead(72 * 60);
    const trial = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 30, subject, trial: true });
    expect(trial.json.booking).toMatchObject({ freeTrial: true, creditsMinutes: 23 });
    await tutor.client.post(`/api/bookings/${trial.json.booking.id}/cancel`, {});
    await drained(tutor.user.id);
    return { subject, tutor, others, student, start, trialId: trial.json.booking.id as string, offer: await offerOf(student) };
  }
  /** A tutor changes their hourly rate (nothing else of the profile). */
  const setRate = async (t: { client: Client }, subject: string, hourlyRateCents: number) =>
    expect((await t.client.put("/api/tutors/me/profile", { bio: "", subjects: [subject], hourlyRateCents, timezone: "UTC" })).status).toBe(200);

  it("a dearer tutor is not offered for a cheaper cancelled lesson; one at the same price is", async () => {
    // $25/h costs 50 credit-minutes an hour; $60/h costs 120: the held 50 cannot pay the dearer tutor.
    const { student, others: [dear, same] } = await packLessonCancelled({ cancelling: 2500, others: [6000, 2500] });
    const offer = await offerOf(student);
    expect(offer.candidates.map((c) => c.tutorId)).toEqual([same!.user.id]);
    expect(offer.candidates.map((c) => c.tutorId)).not.toContain(dear!.user.id);
    expect((await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: dear!.user.id })).status).toBe(409);
  });

  it("a tutor whose price rose beyond what is held since the offer cannot be booked with it: refused, the credit comes back", async () => {
    const { subject, student, others: [same] } = await packLessonCancelled({ cancelling: 2500, others: [2500] });
    const offer = await offerOf(student);
    expect(offer.candidates.map((c) => c.tutorId)).toEqual([same!.user.id]);
    expect((await same!.client.put("/api/tutors/me/profile", { bio: "", subjects: [subject], hourlyRateCents: 6000, timezone: "UTC" })).status).toBe(200);
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: same!.user.id });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await student.client.get("/api/bookings")).json.bookings.filter((b: { status: string }) => b.status === "confirmed")).toEqual([]);
    // Nobody else was on offer: the held hour comes back whole.
    expect(await balance(student.client)).toBe(180);
    expect(await netSpent(student.user.id)).toBe(0);
  });

  it("a cheaper replacement is booked at its own price, earns what a direct booking would, and the difference comes back once", async () => {
    const { subject, student, others: [cheap], start } = await packLessonCancelled({ cancelling: 6000, others: [2500] });
    const offer = await offerOf(student);
    expect(offer.candidates.map((c) => c.tutorId)).toEqual([cheap!.user.id]);
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap!.user.id });
    expect(res.status).toBe(200);
    expect(res.json.booking).toMatchObject({ tutorId: cheap!.user.id, start, creditsMinutes: 50 });
    // 120 held, 50 spent on the replacement: 70 back, on top of the 60 never spent.
    expect(await balance(student.client)).toBe(130);
    // The same tutor booked directly by another pack-180 buyer: the same earning ($27.50 of credit less 20 %).
    const direct = await packBuyer("pack-180", 9_900);
    const other = await book(direct.client, cheap!.user.id, slotAhead(96 * 60), subject);
    expect(other.json.booking).toBeTruthy();
    await drained(cheap!.user.id);
    expect(await earningSeen(cheap!.client, res.json.booking.id)).toBe(2200);
    expect(await earningSeen(cheap!.client, other.json.booking.id)).toBe(2200);
    // A repeat of the accept answers the same booking and gives nothing more back.
    const again = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap!.user.id });
    expect(again.json.booking).toMatchObject({ id: res.json.booking.id, creditsMinutes: 50 });
    expect(await balance(student.client)).toBe(130);
  });

  it("the wallet adds up after the accept and after the replacement is cancelled: balance + held = granted, refunded once", async () => {
    const { student, others: [cheap] } = await packLessonCancelled({ cancelling: 6000, others: [2500] });
    const offer = await offerOf(student);
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap!.user.id });
    expect(res.status).toBe(200);
    expect(await heldMinutes(student.user.id)).toBe(50);
    expect((await balance(student.client)) + (await heldMinutes(student.user.id))).toBe(180);
    expect(await netSpent(student.user.id)).toBe(50);
    // The student cancels the replacement ≥ 24 h ahead: all of it back, exactly once.
    await drained(cheap!.user.id);
    expect((await student.client.post(`/api/bookings/${res.json.booking.id}/cancel`, {})).status).toBe(200);
    await student.client.post(`/api/bookings/${res.json.booking.id}/cancel`, {});
    expect(await balance(student.client)).toBe(180);
    expect(await heldMinutes(student.user.id)).toBe(0);
    expect(await netSpent(student.user.id)).toBe(0);
  });

  it("each candidate on offer says what the replacement costs and what comes back to the balance", async () => {
    // 120 credit-minutes held (an hour at $60/h): $25/h costs 50 (70 back), $60/h costs the same 120 (nothing back).
    const { student, others: [cheap, same] } = await packLessonCancelled({ cancelling: 6000, others: [2500, 6000] });
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    expect(offer).toMatchObject({ status: "open", freeTrial: false });
    const byTutor = new Map(offer.candidates.map((c: { tutorId: string }) => [c.tutorId, c]));
    expect(byTutor.get(cheap!.user.id)).toMatchObject({ hourlyRateCents: 2500, creditMinutes: 50, backMinutes: 70 });
    expect(byTutor.get(same!.user.id)).toMatchObject({ hourlyRateCents: 6000, creditMinutes: 120, backMinutes: 0 });
    // What the card said is what the accept does: 50 spent, 70 back on top of the 60 never spent.
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap!.user.id });
    expect(res.json.booking).toMatchObject({ creditsMinutes: 50 });
    expect(await balance(student.client)).toBe(130);
  });

  it("a tutor whose price rose beyond what is held is refused as price_changed (409), and the other candidates stay on offer", async () => {
    const { subject, student, others: [risen, other] } = await packLessonCancelled({ cancelling: 2500, others: [2500, 2500] });
    const offer = await offerOf(student);
    expect(offer.candidates).toHaveLength(2);
    await setRate(risen!, subject, 6000);
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: risen!.user.id });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("price_changed");
    expect(res.json.error.message).toMatch(/price changed since this offer/);
    expect(res.json.error.message).toMatch(/another tutor on offer/);
    const after = await offerOf(student);
    expect(after).toMatchObject({ status: "open" });
    expect(after.candidates.map((c) => c.tutorId)).toEqual([other!.user.id]);
    expect((await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: other!.user.id })).status).toBe(200);
    expect(await balance(student.client)).toBe(130);
  });

  it("a tutor whose price rose above what the offer showed is refused as price_changed even when the credit held would cover it; the last one gone, the credit comes back", async () => {
    // 120 held; the $25/h tutor was shown at 50 credit-minutes, now $40/h costs 80: still within 120, but dearer than shown.
    const { subject, student, others: [risen] } = await packLessonCancelled({ cancelling: 6000, others: [2500] });
    const offer = await offerOf(student);
    await setRate(risen!, subject, 4000);
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: risen!.user.id });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("price_changed");
    expect(res.json.error.message).toMatch(/refunded/);
    expect((await student.client.get("/api/bookings")).json.bookings.filter((b: { status: string }) => b.status === "confirmed")).toEqual([]);
    expect(await offerOf(student)).toMatchObject({ status: "refunded" });
    expect(await balance(student.client)).toBe(180);
    expect(await netSpent(student.user.id)).toBe(0);
  });

  it("an admin's refund of a lesson replaced by a cheaper tutor says what moved and what was refunded then", async () => {
    const { student, others: [cheap], bookingId } = await packLessonCancelled({ cancelling: 6000, others: [2500] });
    const offer = await offerOf(student);
    const moved = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap!.user.id });
    expect(moved.status).toBe(200);
    await settleWallet(student.user.id);
    const res = await (await adminClient()).post(`/api/admin/bookings/${bookingId}/refund`, { studentId: student.user.id, reason: "student asked" });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      error: { code: "moved_to_replacement" },
      refunded: false,
      refund: { outcome: "moved", minutes: 50, refundedMinutes: 70, lapsedMinutes: 0, replacement: { sessionId: moved.json.booking.id } },
    });
    expect(res.json.error.message).toMatch(/50 credit-minutes paid for a replacement/);
    expect(res.json.error.message).toMatch(/70-credit-minute difference/);
    expect(await balance(student.client)).toBe(130);
  });

  it("a cancelled free trial's replacement stays a free trial at the new tutor's price: nothing becomes spendable credit", async () => {
    // $45/h: the free trial is 23 credit-minutes of promotional credit made for it. $10/h: 30 minutes cost 10.
    const { others, student, trialId, offer } = await freeTrialCancelled([4500, 1000]);
    const cheap = others[1]!;
    // A regular 30 minutes with a $45/h tutor (45 credit-minutes) would be a dearer lesson than the trial held.
    expect(offer.candidates.map((c) => c.tutorId)).toEqual([cheap.user.id]);
    // The card says so: a free trial still, nothing back to the balance (the difference lapses with the trial's grant).
    expect(offer).toMatchObject({ freeTrial: true, candidates: [{ creditMinutes: 10, backMinutes: 0 }] });
    const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap.user.id });
    expect(res.status).toBe(200);
    expect(res.json.booking).toMatchObject({ creditsMinutes: 10, freeTrial: true });
    await drained(cheap.user.id);
    expect(await earningSeen(cheap.client, res.json.booking.id)).toBe(400); // 10 promotional minutes × 50 ¢ less 20 %
    // The 13 minutes the cheaper lesson did not need lapse with the trial's grant: no spendable credit from a free trial.
    expect(await balance(student.client)).toBe(0);
    // An admin's refund of the cancelled trial says so: 10 moved to the replacement, the 13 over lapsed, none refunded.
    const refund = await (await adminClient()).post(`/api/admin/bookings/${trialId}/refund`, { studentId: student.user.id, reason: "student asked" });
    expect(refund.status).toBe(409);
    expect(refund.json.refund).toMatchObject({ outcome: "moved", minutes: 10, refundedMinutes: 0, lapsedMinutes: 13 });
  });

  describe("a free trial's replacement offer refused on price", () => {
    it("does not tell the student credits were refunded / are back in the balance (a free trial's credit lapses)", async () => {
      const subject = freshSubject();
      const tutor = await approvedTutor({ subjects: [subject], hourlyRateCents: 4500, offersTrials: true });
      const a = await approvedTutor({ subjects: [subject], hourlyRateCents: 1000 });
      const b = await approvedTutor({ subjects: [subject], hourlyRateCents: 1000 });
      const student = await signup("student");
      const trial = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 30, subject, trial: true });
      expect(trial.json.booking).toMatchObject({ freeTrial: true, creditsMinutes: 23 });
      await tutor.client.post(`/api/bookings/${trial.json.booking.id}/cancel`, {});
      await drained(tutor.user.id);
      const offer = await offerOf(student);
      expect(offer).toMatchObject({ freeTrial: true });
      // The tutor's cancellation already says what declining gives back: the trial, not credits.
      const told = (await student.client.get("/api/notifications")).json.notifications.find((n: { kind: string }) => n.kind === "tutor_cancelled_offers");
      expect(told.body).toMatch(/still as your free trial, or take your free trial back\.$/);
      expect(offer.candidates).toHaveLength(2);
      // Both replacement tutors raise their rate ($20/h: 20 credit-minutes, within the 23 held but above the 10 shown).
      await setRate(a, subject, 2000);
      await setRate(b, subject, 2000);
      const r1 = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: a.user.id });
      const r2 = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: b.user.id });
      expect([r1.json.error?.code, r2.json.error?.code]).toEqual(["price_changed", "price_changed"]);
      await settleWallet(student.user.id);
      expect(await balance(student.client)).toBe(0);
      const bodies = (await student.client.get("/api/notifications")).json.notifications.map((n: { body: string }) => n.body);
      expect({
        first: r1.json.error.message.includes("get your credits back"),
        last: r2.json.error.message.includes("your credits were refunded"),
        notice: bodies.some((t: string) => /back in your balance/.test(t)),
      }).toEqual({ first: false, last: false, notice: false });
      // What it says instead: the month's free trial is back, because the tutor's price rose (not "in time").
      expect(r1.json.error.message).toMatch(/decline to get your free trial back/);
      expect(r2.json.error.message).toMatch(/your free trial is back/);
      expect(bodies.filter((t: string) => /raised their price/.test(t) && /free trial is back/.test(t))).toHaveLength(1);
      expect(bodies.some((t: string) => /in time/.test(t))).toBe(false);
      expect((await student.client.get(`/api/tutors/${tutor.user.id}`)).json.tutor.trialAvailable).toBe(true);
    });
  });

  describe("the last tutor on offer is no longer free when the student accepts them", () => {
    /** Someone else books `tutor` at the offer's time first, so the student's accept finds the slot taken. */
    const takenBySomeoneElse = async (tutor: { user: { id: string } }, start: string, subject: string, durationMinutes: number) => {
      const other = await fundedStudent(60);
      const res = await other.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes, subject });
      expect(res.json.booking).toMatchObject({ status: "confirmed" });
    };
    /** The bodies of the student's notices about what came back after the offer. */
    const refundNotices = async (student: { client: Client }) =>
      ((await student.client.get("/api/notifications")).json.notifications as { kind: string; body: string }[]).filter((n) => n.kind === "refunded").map((n) => n.body);

    it("says the chosen tutor was no longer free then and the credit is back, not that nobody chose in time", async () => {
      const { subject, student, others: [only], start } = await packLessonCancelled({ cancelling: 2500, others: [2500] });
      const offer = await offerOf(student);
      expect(offer.candidates.map((c) => c.tutorId)).toEqual([only!.user.id]);
      await takenBySomeoneElse(only!, start, subject, 60);
      const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: only!.user.id });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe("slot_unavailable");
      expect(await offerOf(student)).toMatchObject({ status: "refunded" });
      expect(await balance(student.client)).toBe(180);
      const bodies = await refundNotices(student);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatch(/The tutor you chose for the .* session of .* was no longer free at that time, and nobody else was on it, so your .* is back in your balance\./);
      expect(bodies[0]).not.toMatch(/in time/);
      // The refusal itself says the same (not "pick another slot": the offer has closed).
      expect(res.json.error.message).toMatch(/no longer free at that time/);
      expect(res.json.error.message).toMatch(/your credits were refunded/);
    });

    it("for a free trial, says the trial is back (bookable again), never credits, and not that nobody chose in time", async () => {
      const { subject, tutor, others, student, start, offer } = await freeTrialCancelled([1000]);
      const cheap = others[0]!;
      expect(offer).toMatchObject({ freeTrial: true, candidates: [{ tutorId: cheap.user.id }] });
      await takenBySomeoneElse(cheap, start, subject, 30);
      const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: cheap.user.id });
      expect(res.status).toBe(409);
      await settleWallet(student.user.id);
      expect(await balance(student.client)).toBe(0);
      const bodies = await refundNotices(student);
      expect(bodies).toEqual([expect.stringMatching(/^The tutor you chose for the .* session of .* was no longer free at that time, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month\.$/)]);
      expect((await student.client.get(`/api/tutors/${tutor.user.id}`)).json.tutor.trialAvailable).toBe(true);
      expect(res.json.error.message).toMatch(/no longer free at that time/);
      expect(res.json.error.message).toMatch(/your free trial is back/);
      expect(res.json.error.message).not.toMatch(/credits/);
    });
  });

  describe("the last tutor on offer stopped teaching the subject, or left, before the student accepts them", () => {
    const refundNotices = async (student: { client: Client }) =>
      ((await student.client.get("/api/notifications")).json.notifications as { kind: string; body: string }[]).filter((n) => n.kind === "refunded").map((n) => n.body);

    it("says the chosen tutor no longer teaches the subject, in the refusal and the notice alike", async () => {
      const { student, others: [only] } = await packLessonCancelled({ cancelling: 2500, others: [2500] });
      const offer = await offerOf(student);
      expect((await only!.client.put("/api/tutors/me/profile", { bio: "Now teaching chess only", subjects: ["chess"], hourlyRateCents: 2500, timezone: "UTC" })).status).toBe(200);
      const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: only!.user.id });
      expect(res.json.error.code).toBe("subject_not_taught");
      expect(res.json.error.message).toMatch(/no longer teaches/);
      expect(res.json.error.message).not.toMatch(/no longer free/);
      expect(await balance(student.client)).toBe(180);
      const bodies = await refundNotices(student);
      expect(bodies).toEqual([expect.stringMatching(/^The tutor you chose for the .* session of .* no longer teaches .+, and nobody else was on it, so your .* is back in your balance\.$/)]);
    });

    it("says the chosen tutor no longer takes lessons on Tutorly once suspended, in the refusal and the notice alike", async () => {
      const { student, others: [only] } = await packLessonCancelled({ cancelling: 2500, others: [2500] });
      const offer = await offerOf(student);
      expect((await (await adminClient()).post(`/api/admin/users/${only!.user.id}/suspend`, { reason: "left" })).status).toBe(200);
      const res = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: only!.user.id });
      expect(res.json.error.code).toBe("not_found");
      expect(res.json.error.message).toMatch(/no longer takes lessons on Tutorly/);
      expect(await balance(student.client)).toBe(180);
      const bodies = await refundNotices(student);
      expect(bodies).toEqual([expect.stringMatching(/^The tutor you chose for the .* session of .* no longer takes lessons on Tutorly, and nobody else was on it, so your .* is back in your balance\.$/)]);
    });
  });

  describe("an admin's refund while the replacement offer is open", () => {
    it("closes the offer (the credit is gone), so the student is not shown an offer that answers 'Try again'", async () => {
      const subject = freshSubject();
      const tutor = await approvedTutor({ subjects: [subject], hourlyRateCents: 6000 });
      const other = await approvedTutor({ subjects: [subject], hourlyRateCents: 2500 });
      const student = await fundedStudent(300);
      const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject });
      expect((await tutor.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, { reason: "ill" })).status).toBe(200);
      await drained(tutor.user.id);
      const offer = await offerOf(student);
      const refunded = await (await adminClient()).post(`/api/admin/bookings/${booked.json.booking.id}/refund`, { studentId: student.user.id, reason: "student asked" });
      expect(refunded.json).toMatchObject({ refunded: true, refund: { minutes: 120 } });
      const after = await offerOf(student);
      const accept = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: other.user.id });
      await settleWallet(student.user.id);
      expect(await balance(student.client)).toBe(300); // money is fine
      expect({ offer: after.status, accept: accept.json.error?.code }).toEqual({ offer: "refunded", accept: "offer_closed" });
    });
  });
});

describe("reliability", () => {
  it("flags a tutor after 3 late cancellations within 30 days; flagged tutors rank lower in search", async () => {
    const subject = freshSubject();
    const flaky = await approvedTutor({ subjects: [subject] });
    const steady = await approvedTutor({ subjects: [subject] });
    for (let i = 0; i < 3; i++) {
      const s = await fundedStudent(60);
      const { json } = await book(s.client, flaky.user.id, slotAhead(3 * 60 + i * 90), subject);
      await flaky.client.post(`/api/bookings/${json.booking.id}/cancel`, {});
    }
    await drained(flaky.user.id);
    const row = await env.DB.prepare("SELECT flagged, reliability FROM tutor_profiles WHERE user_id = ?").bind(flaky.user.id).first<{ flagged: number; reliability: number }>();
    expect(row!.flagged).toBe(1);
    expect(row!.reliability).toBe(0);
    const search = await new Client().get(`/api/tutors?subject=${subject}`);
    expect(search.json.tutors.map((t: { id: string }) => t.id)).toEqual([steady.user.id, flaky.user.id]);
    const admin = await adminClient();
    const flagged = (await admin.get("/api/admin/tutors/flagged")).json.tutors.find((t: { id: string }) => t.id === flaky.user.id);
    expect(flagged.history).toHaveLength(3);
    expect(flagged.history[0].detail).toMatch(/cancelled \d+ min before the start/);
  });

  it("cancelling well ahead does not count against the tutor", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(60);
    const { json } = await book(s.client, tutor.user.id, slotAhead(72 * 60));
    await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, {});
    const row = await env.DB.prepare("SELECT reliability FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first<{ reliability: number }>();
    expect(row!.reliability).toBe(1);
  });

  type Ended = { tutor: [number, number]; student: [number, number] | null; endsAt: number; outcome: string; taught: number; events: { kind: string; weight: number }[] };
  const MIN = 60_000;
  it.each<[string, Ended]>([
    [
      "a tutor who walks in and ends the lesson at once is not credited a session taught: it is their cancellation at the start",
      { tutor: [-MIN, 30_000], student: [-2 * MIN, 30_000], endsAt: 30_000, outcome: "ended_early", taught: 0, events: [{ kind: "late_cancel", weight: 3 }] },
    ],
    ["a lesson ended early after some minutes taught counts as taught", { tutor: [-MIN, 20 * MIN], student: [0, 20 * MIN], endsAt: 20 * MIN, outcome: "ended_early", taught: 20, events: [{ kind: "completed", weight: 1 }] }],
    ["a tutor who ends before waiting for a student who never came: nothing taught, nothing counted", { tutor: [0, 2 * MIN], student: null, endsAt: 2 * MIN, outcome: "not_attended", taught: 0, events: [] }],
  ])("%s", async (_, c) => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const id = (await book(student.client, tutor.user.id, start)).json.booking.id as string;
    const at = Date.parse(start);
    await wasInRoom(id, tutor.user.id, "tutor", at + c.tutor[0], at + c.tutor[1]);
    if (c.student) await wasInRoom(id, student.user.id, "student", at + c.student[0], at + c.student[1]);
    const ended = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: id, actor: { id: tutor.user.id, role: "tutor" }, now: at + c.endsAt });
    expect(ended.ok).toBe(true);
    await drained(tutor.user.id);
    const booking = (await tutor.client.get(`/api/bookings/${id}`)).json.booking;
    expect({ outcome: booking.outcome, taught: booking.taughtMinutes }).toEqual({ outcome: c.outcome, taught: c.taught });
    const events = await env.DB.prepare("SELECT kind, weight FROM reliability_events WHERE booking_id = ?").bind(id).all<{ kind: string; weight: number }>();
    expect(events.results).toEqual(c.events);
  });
});

describe("reminders", () => {
  /** A session starting exactly `minutesAhead` from now, booked long ago (so both reminders apply). */
  async function bookedSession(minutesAhead: number) {
    const tutor = await approvedTutor({ timezone: "Asia/Tokyo", availability: ALL_WEEK("Asia/Tokyo") });
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(48 * 60));
    const start = Date.now() + minutesAhead * 60_000;
    await runInDurableObject(calendarOf(env, tutor.user.id), async (_, state) => {
      state.storage.sql.exec("UPDATE sessions SET start_ms = ?, end_ms = ?, created_ms = ? WHERE id = ?", start, start + 3_600_000, Date.now() - 30 * 86_400_000, json.booking.id);
    });
    await accountOf(env, student.user.id).move({ reservationId: json.booking.id, start, end: start + 3_600_000 });
    return { tutor, student, start, bookingId: json.booking.id as string };
  }
  const remindersOf = (userId: string) =>
    env.DB.prepare("SELECT title, body FROM notifications WHERE user_id = ? AND kind = 'reminder' ORDER BY created_at").bind(userId).all<{ title: string; body: string }>().then((r) => r.results);

  it("sends the 24 h reminder to tutor and student, each in their own zone, once", async () => {
    const { tutor, student } = await bookedSession(20 * 60);
    const stub = calendarOf(env, tutor.user.id);
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    const forStudent = await remindersOf(student.user.id);
    expect(forStudent).toHaveLength(1);
    expect(forStudent[0]!.title).toMatch(/^Coming up: Mathematics with Test Tutor, /);
    expect(forStudent[0]!.body).toContain("(Europe/Berlin)");
    const forTutor = await remindersOf(tutor.user.id);
    expect(forTutor[0]!.body).toContain("(Asia/Tokyo)");
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    expect(await remindersOf(student.user.id)).toHaveLength(1);
  });

  it("sends the 1 h reminder once, and nothing for a cancelled session", async () => {
    const a = await bookedSession(50);
    const stub = calendarOf(env, a.tutor.user.id);
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    expect((await remindersOf(a.student.user.id)).map((r) => r.title)).toEqual([expect.stringMatching(/^In one hour:/)]);

    const b = await bookedSession(30 * 60);
    await b.student.client.post(`/api/bookings/${b.bookingId}/cancel`, {});
    const stubB = calendarOf(env, b.tutor.user.id);
    await runInDurableObject(stubB, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stubB);
    expect(await remindersOf(b.student.user.id)).toEqual([]);
  });
});

describe("reviews", () => {
  async function completedSession() {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    // Taught: tutor and student in the room for the hour (a session nobody attended is not "completed as booked").
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + 3_600_000);
    await wasInRoom(json.booking.id, student.user.id, "student", Date.parse(start), Date.parse(start) + 3_600_000);
    await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: "system", now: Date.parse(start) + 7_200_000 });
    await drained(tutor.user.id); // the review checks the D1 projection, written after the answer
    return { tutor, student, bookingId: json.booking.id as string };
  }

  it("a student rates a completed session once; the tutor's rating aggregates", async () => {
    const { tutor, student, bookingId } = await completedSession();
    const res = await student.client.post(`/api/bookings/${bookingId}/review`, { rating: 4, comment: "Clear and patient" });
    expect(res.status).toBe(201);
    const again = await student.client.post(`/api/bookings/${bookingId}/review`, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_reviewed");
    const profile = (await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor;
    expect(profile).toMatchObject({ rating: 4, ratingCount: 1 });
    const list = (await new Client().get(`/api/tutors/${tutor.user.id}/reviews`)).json.reviews;
    expect(list).toEqual([expect.objectContaining({ rating: 4, comment: "Clear and patient", studentName: "Test" })]);
  });

  it("cannot review a session that has not happened, someone else's, or out of range", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(48 * 60));
    expect((await student.client.post(`/api/bookings/${json.booking.id}/review`, { rating: 5 })).json.error.code).toBe("not_reviewable");
    const done = await completedSession();
    const stranger = await signup("student");
    expect((await stranger.client.post(`/api/bookings/${done.bookingId}/review`, { rating: 5 })).status).toBe(404);
    expect((await done.student.client.post(`/api/bookings/${done.bookingId}/review`, { rating: 6 })).status).toBe(400);
    expect((await done.tutor.client.post(`/api/bookings/${done.bookingId}/review`, { rating: 5 })).status).toBe(403);
  });

  /** A group of `students` seated students, moved to be happening now (started 30 minutes ago). */
  async function groupHappeningNow(students: number) {
    const t = await approvedTutor();
    const studs = await Promise.all(Array.from({ length: students }, () => fundedStudent(600)));
    const start = slotAhead(50 * 60);
    const g = await t.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() });
    const id: string = g.json.booking.id;
    for (const s of studs) {
      const seat = await s.client.post("/api/bookings", { tutorId: t.user.id, start, durationMinutes: 60, subject: "mathematics", group: true }, { "Idempotency-Key": crypto.randomUUID() });
      expect(seat.status, seat.text).toBe(201);
    }
    const moved = await t.client.post(`/api/dev/bookings/${id}/move`, { start: new Date(Date.now() - 30 * 60_000).toISOString(), end: new Date(Date.now() + 30 * 60_000).toISOString() });
    expect(moved.status, moved.text).toBe(200);
    return { t, studs, id };
  }
  const completeNow = async (tutorId: string, id: string) => {
    const done = await calendarOf(env, tutorId).complete({ tutorId, sessionId: id, actor: { id: tutorId, role: "tutor" }, now: Date.now() });
    expect(done.ok).toBe(true);
    await drained(tutorId);
  };
  const listed = async (client: Client, id: string) => (await client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === id);

  it("a seated student who never came cannot rate the lesson the others attended, and is not offered to", async () => {
    const { t, studs, id } = await groupHappeningNow(2);
    const from = Date.now() - 30 * 60_000;
    await wasInRoom(id, t.user.id, "tutor", from, Date.now());
    await wasInRoom(id, studs[0]!.user.id, "student", from, Date.now());
    await completeNow(t.user.id, id);
    const absent = await studs[1]!.client.post(`/api/bookings/${id}/review`, { rating: 1, comment: "terrible" });
    expect(absent.status, absent.text).toBe(409);
    expect(absent.json.error.code).toBe("not_reviewable");
    // The screens offer "Rate this lesson" only where the server takes it.
    expect(await listed(studs[1]!.client, id)).toMatchObject({ status: "completed", reviewed: false, reviewable: false });
    expect(await listed(studs[0]!.client, id)).toMatchObject({ status: "completed", reviewed: false, reviewable: true });
    expect((await studs[0]!.client.post(`/api/bookings/${id}/review`, { rating: 5 })).status).toBe(201);
    expect((await new Client().get(`/api/tutors/${t.user.id}`)).json.tutor).toMatchObject({ rating: 5, ratingCount: 1 });
  });

  it("a student who only looked into the room before the start cannot rate the lesson; one who waited there and stayed can", async () => {
    const { t, studs, id } = await groupHappeningNow(2);
    const from = Date.now() - 30 * 60_000;
    await wasInRoom(id, t.user.id, "tutor", from, Date.now());
    // Opened the room 10 minutes before the start, left 5 minutes before it, and never came back.
    await wasInRoom(id, studs[0]!.user.id, "student", from - 10 * 60_000, from - 5 * 60_000);
    await wasInRoom(id, studs[1]!.user.id, "student", from - 5 * 60_000, Date.now());
    await completeNow(t.user.id, id);
    expect(await listed(studs[0]!.client, id)).toMatchObject({ status: "completed", reviewable: false });
    const peeked = await studs[0]!.client.post(`/api/bookings/${id}/review`, { rating: 1 });
    expect(peeked.status, peeked.text).toBe(409);
    expect(peeked.json.error.code).toBe("not_reviewable");
    expect(await listed(studs[1]!.client, id)).toMatchObject({ status: "completed", reviewable: true });
    expect((await studs[1]!.client.post(`/api/bookings/${id}/review`, { rating: 5 })).status).toBe(201);
  });

  it("a 1:1 student who only looked in before the start (a student no-show) cannot rate it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const id = (await book(student.client, tutor.user.id, start)).json.booking.id as string;
    const at = Date.parse(start);
    await wasInRoom(id, student.user.id, "student", at - 10 * 60_000, at - 5 * 60_000);
    await wasInRoom(id, tutor.user.id, "tutor", at - 60_000, at + 3_600_000);
    await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: id, actor: "system", now: at + 7_200_000 });
    await drained(tutor.user.id);
    expect(await listed(student.client, id)).toMatchObject({ status: "completed", outcome: "student_no_show", reviewable: false });
    expect((await student.client.post(`/api/bookings/${id}/review`, { rating: 1 })).json.error?.code).toBe("not_reviewable");
  });

  it("a lesson nobody attended (outcome not_attended, students refunded) cannot be rated", async () => {
    const { t, studs, id } = await groupHappeningNow(1);
    await completeNow(t.user.id, id);
    expect((await studs[0]!.client.get(`/api/bookings/${id}`)).json.booking.outcome).toBe("not_attended");
    const r = await studs[0]!.client.post(`/api/bookings/${id}/review`, { rating: 1 });
    expect(r.status, r.text).toBe(409);
    expect(r.json.error.code).toBe("not_reviewable");
    expect(await listed(studs[0]!.client, id)).toMatchObject({ reviewable: false });
  });

  it("a public review comment drops bidi overrides and control characters; an invisible one is no comment", async () => {
    const { t, studs, id } = await groupHappeningNow(2);
    const from = Date.now() - 30 * 60_000;
    await wasInRoom(id, t.user.id, "tutor", from, Date.now());
    for (const s of studs) await wasInRoom(id, s.user.id, "student", from, Date.now());
    await completeNow(t.user.id, id);
    const posted = await studs[0]!.client.post(`/api/bookings/${id}/review`, { rating: 5, comment: "great tutor \u202Eeno tseb\u202C\u0000\u0007" });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json.review.comment).toBe("great tutor eno tseb");
    expect((await studs[1]!.client.post(`/api/bookings/${id}/review`, { rating: 4, comment: " \u200B\u202E\u0007 " })).json.review.comment).toBeNull();
    const reviews = (await new Client().get(`/api/tutors/${t.user.id}/reviews`)).json.reviews as { rating: number; comment: string | null }[];
    expect(reviews.map((r) => r.comment).sort()).toEqual(["great tutor eno tseb", null]);
    for (const r of reviews) expect(r.comment ?? "").not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe("notifications", () => {
  it("lists the caller's notifications only and marks them read", async () => {
    const { student } = await cancelledByTutor({ replacements: 0 });
    const other = await signup("student");
    expect((await other.client.get("/api/notifications")).json).toEqual({ notifications: [], unread: 0 });
    const mine = (await student.client.get("/api/notifications")).json;
    expect(mine.unread).toBeGreaterThan(0);
    expect((await student.client.post("/api/notifications/read", { all: true })).status).toBe(204);
    expect((await student.client.get("/api/notifications")).json.unread).toBe(0);
  });
});

describe("admin console", () => {
  it("replays a stored webhook event idempotently, refunds a seat of a cancelled booking, lists users", async () => {
    const admin = await adminClient();
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(6 * 60));
    await student.client.post(`/api/bookings/${json.booking.id}/cancel`, {}); // late: no refund
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(0);
    const refund = await admin.post(`/api/admin/bookings/${json.booking.id}/refund`, { studentId: student.user.id, reason: "goodwill" });
    expect(refund.status).toBe(200);
    expect(await balance(student.client)).toBe(60);
    await admin.post(`/api/admin/bookings/${json.booking.id}/refund`, { studentId: student.user.id, reason: "goodwill" });
    expect(await balance(student.client)).toBe(60);

    const users = (await admin.get(`/api/admin/users?q=${encodeURIComponent(student.user.email)}`)).json.users;
    expect(users.map((u: { id: string }) => u.id)).toEqual([student.user.id]);
    const stats = (await admin.get("/api/admin/stats/bookings?days=7")).json.days;
    expect(stats).toHaveLength(7);
    expect(stats[6].booked).toBeGreaterThanOrEqual(1);
    expect(stats[6].cancelled).toBeGreaterThanOrEqual(1);
    // A Stripe event that could not be applied when it arrived (the customer was not known yet) is replayed later.
    const late = await signup("student");
    const ev = stripeEvent(
      "invoice.paid",
      invoiceObject({ customer: "cus_not_yet_known", subscription: uid("sub"), reason: "subscription_create", lines: [{ price: "price_starter", amount: 12000, start: sec(Date.now()), end: sec(Date.now() + 30 * 86_400_000) }] }),
    );
    expect((await deliver(ev)).json.result).toBe("ignored");
    const logged = (await admin.get("/api/admin/webhooks?provider=stripe&status=ignored")).json.events.find((e: { id: string }) => e.id === `stripe:${ev.id}`);
    expect(logged).toMatchObject({ type: "invoice.paid", status: "ignored" });
    await env.DB.prepare("UPDATE students SET stripe_customer_id = 'cus_not_yet_known' WHERE user_id = ?").bind(late.user.id).run();
    expect((await admin.post(`/api/admin/webhooks/${logged.id}/replay`)).json.result).toBe("processed");
    expect((await admin.post(`/api/admin/webhooks/${logged.id}/replay`)).json.result).toBe("processed");
    expect(await balance(late.client)).toBe(240);

    const health = await admin.get("/api/admin/health");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true, d1: { ok: true }, webhooks: { last24h: expect.any(Number) }, payouts: { failed: expect.any(Number) } });

    for (const path of ["/api/admin/users", "/api/admin/tutors/flagged", "/api/admin/webhooks", "/api/admin/stats/bookings", "/api/admin/health"]) {
      expect((await student.client.get(path)).status).toBe(403);
    }
  });
});

describe("booking lists carry what the screens need", () => {
  it("tutors and admins see who held a seat, even after cancelling; students see whether they reviewed", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const first = (await book(student.client, tutor.user.id, slotAhead(48 * 60))).json.booking.id as string;
    const start = slotAhead(50 * 60);
    const second = (await book(student.client, tutor.user.id, start)).json.booking.id as string;
    await student.client.post(`/api/bookings/${first}/cancel`, {});
    await drained(tutor.user.id);
    const admin = await adminClient();
    const seen = (await admin.get(`/api/bookings?tutorId=${tutor.user.id}`)).json.bookings.find((b: { id: string }) => b.id === first);
    expect(seen).toMatchObject({ status: "cancelled", studentIds: [], participants: [{ studentId: student.user.id, status: "cancelled" }] });
    // Taught: both in the room for the hour (only a student who was there may rate it).
    await wasInRoom(second, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + 3_600_000);
    await wasInRoom(second, student.user.id, "student", Date.parse(start), Date.parse(start) + 3_600_000);
    await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: second, actor: "system", now: Date.parse(start) + 7_200_000 });
    await drained(tutor.user.id);
    const before = (await student.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === second);
    expect(before).toMatchObject({ status: "completed", reviewed: false, reviewable: true });
    expect(before.participants).toBeUndefined();
    expect((await student.client.post(`/api/bookings/${second}/review`, { rating: 5 })).status).toBe(201);
    expect((await student.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === second).reviewed).toBe(true);
  });
});

describe("no-shows", () => {

  it("a tutor who never came to a session their student came to: student refunded, no earnings, reliability hit", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    await wasInRoom(json.booking.id, student.user.id, "student", Date.parse(start) + 60_000);
    const result = await completePastSessions(env, new Date(Date.parse(start) + 2 * 3_600_000));
    expect(result.tutorNoShows).toBeGreaterThanOrEqual(1);
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(60);
    expect((await student.client.get("/api/bookings")).json.bookings[0].status).toBe("cancelled");
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toEqual([]);
    const row = await env.DB.prepare("SELECT reliability FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first<{ reliability: number }>();
    expect(row!.reliability).toBeLessThan(1);
  });

  it("a student who never came: the session is completed and the tutor paid", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", Date.parse(start));
    await completePastSessions(env, new Date(Date.parse(start) + 2 * 3_600_000));
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(0);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toHaveLength(1);
  });

  it("a tutor who ends the session at its first minute, before the student came, is not paid, and the student is refunded", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    const at = Date.parse(start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", at - 60_000, at + 30_000);
    const ended = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: { id: tutor.user.id, role: "tutor" }, now: at + 30_000 });
    expect(ended.ok).toBe(true);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(60);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toEqual([]);
  });

  it("a tutor who waited 15 minutes for a student who never came is paid as booked", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    const at = Date.parse(start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", at - 60_000, at + 15 * 60_000);
    expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: { id: tutor.user.id, role: "tutor" }, now: at + 15 * 60_000 })).ok).toBe(true);
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(0);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toMatchObject([{ outcome: "student_no_show" }]);
  });

  /** Reads a booking as its student sees it, and the tutor's reliability score. */
  const after = async (student: Client, tutorId: string, id: string) => ({
    booking: (await student.get(`/api/bookings/${id}`)).json.booking,
    reliability: (await env.DB.prepare("SELECT reliability FROM tutor_profiles WHERE user_id = ?").bind(tutorId).first<{ reliability: number }>())!.reliability,
  });

  type Visit = { who: "tutor" | "student"; from: number; to: number };
  const MIN = 60_000;
  it.each<[string, Visit[], "not_attended" | "tutor_no_show"]>([
    // Opened the room 10 minutes before the start, left 5 minutes before it, and never came back: as if nobody had
    // opened the room, not the tutor's no-show.
    ["a student who only looked into the room before the start did not come: a tutor who never came either is not made the no-show", [{ who: "student", from: -10 * MIN, to: -5 * MIN }], "not_attended"],
    ["a tutor who only looked into the room before the start is the no-show of a lesson their student came to", [{ who: "tutor", from: -10 * MIN, to: -5 * MIN }, { who: "student", from: -2 * MIN, to: 40 * MIN }], "tutor_no_show"],
    ["both only looked in before the start: nobody came, not the tutor's no-show", [{ who: "tutor", from: -8 * MIN, to: -6 * MIN }, { who: "student", from: -10 * MIN, to: -5 * MIN }], "not_attended"],
  ])("%s", async (_, visits, outcome) => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const id = (await book(student.client, tutor.user.id, start)).json.booking.id as string;
    const at = Date.parse(start);
    for (const v of visits) await wasInRoom(id, v.who === "tutor" ? tutor.user.id : student.user.id, v.who, at + v.from, at + v.to);
    await completePastSessions(env, new Date(at + 2 * 3_600_000));
    await drained(tutor.user.id);
    const seen = await after(student.client, tutor.user.id, id);
    if (outcome === "not_attended") expect(seen).toMatchObject({ booking: { status: "completed", outcome: "not_attended" }, reliability: 1 });
    else {
      expect(seen.booking).toMatchObject({ status: "cancelled" });
      expect(seen.reliability).toBeLessThan(1);
    }
    // Either way the student pays nothing and the tutor earns nothing.
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(60);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toEqual([]);
  });

  it("a tutor who looks into the room only after the end is still the lesson's no-show", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    const [at, end] = [Date.parse(start), Date.parse(start) + 3_600_000];
    await wasInRoom(json.booking.id, student.user.id, "student", at, end);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", end + 2 * 60_000, end + 3 * 60_000);
    const result = await completePastSessions(env, new Date(at + 2 * 3_600_000));
    expect(result.tutorNoShows).toBeGreaterThanOrEqual(1);
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(60);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.earnings).toEqual([]);
    const row = await env.DB.prepare("SELECT reliability FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first<{ reliability: number }>();
    expect(row!.reliability).toBeLessThan(1);
  });
});

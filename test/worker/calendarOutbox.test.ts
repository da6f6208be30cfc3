import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../domain/protocol";
import type { TutorCalendar } from "../../durable-objects/TutorCalendar";
import type { Effect } from "../../durable-objects/calendar/effects";
import { Outbox } from "../../durable-objects/calendar/outbox";
import { calendarOf } from "../../worker/lib/stubs";

const message: ServerMessage = { type: "pong", at: new Date(0).toISOString() };
const push = (userId: string): Effect => ({ kind: "notify", userId, message });

/** Waits (generously: the machine may be loaded) until `done` holds; false if it never does. */
async function eventually(done: () => boolean, deadlineMs = 5_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return done();
}

/**
 * A calendar's outbox over its own effects table, running `run` for every effect: pushes to the users in `held` wait
 * until they are let go, the others arrive at once.
 */
function outboxWith(state: DurableObjectState, held: Set<string>) {
  const arrived: string[] = [];
  const waiting = new Map<string, () => void>();
  const outbox = new Outbox(
    state.storage.sql,
    state,
    {
      one: async (effect) => {
        if (effect.kind !== "notify") return;
        if (held.has(effect.userId)) await new Promise<void>((r) => waiting.set(effect.userId, r));
        arrived.push(effect.userId);
      },
      together: async () => undefined,
    },
    async () => undefined,
    () => ({}),
  );
  const letGo = (userId: string) => {
    held.delete(userId);
    waiting.get(userId)?.();
  };
  return { outbox, arrived, letGo };
}

describe("a calendar's live pushes", () => {
  it("reach a person at once, even while an earlier push to someone else is still on its way", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), async (_: TutorCalendar, state) => {
      const { outbox, arrived, letGo } = outboxWith(state, new Set(["slow-reader"]));
      outbox.enqueue(push("slow-reader"));
      outbox.afterAnswer();
      outbox.enqueue(push("student"));
      outbox.afterAnswer();
      expect(await eventually(() => arrived.includes("student"))).toBe(true);
      expect(arrived).toEqual(["student"]);
      letGo("slow-reader");
      await outbox.drainAll();
      expect(arrived).toEqual(["student", "slow-reader"]);
      expect(outbox.pending()).toBe(0);
    });
  });

  it("reach one person in the order the changes happened", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), async (_: TutorCalendar, state) => {
      const held = new Set(["student"]);
      const { outbox, arrived, letGo } = outboxWith(state, held);
      outbox.enqueue(push("student"));
      outbox.enqueue(push("tutor"));
      outbox.afterAnswer();
      expect(await eventually(() => arrived.includes("tutor"))).toBe(true);
      // The student's second push waits for their first.
      outbox.enqueue({ kind: "notify", userId: "student", message: { type: "pong", at: new Date(1).toISOString() } });
      outbox.afterAnswer();
      await new Promise((r) => setTimeout(r, 50));
      expect(arrived).toEqual(["tutor"]);
      letGo("student");
      await outbox.drainAll();
      expect(arrived).toEqual(["tutor", "student", "student"]);
      expect(outbox.pending()).toBe(0);
    });
  });

  it("keep a push that failed and send it again when the outbox drains", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), async (_: TutorCalendar, state) => {
      let fail = true;
      const arrived: string[] = [];
      const outbox = new Outbox(
        state.storage.sql,
        state,
        {
          one: async (effect) => {
            if (effect.kind !== "notify") return;
            if (fail) throw new Error("inbox unreachable");
            arrived.push(effect.userId);
          },
          together: async () => undefined,
        },
        async () => undefined,
        () => ({}),
      );
      outbox.enqueue(push("student"));
      outbox.afterAnswer();
      await outbox.drainAll();
      expect(arrived).toEqual([]);
      expect(outbox.pending()).toBe(1);
      fail = false;
      // Due again after its backoff: the alarm's drain sends it.
      state.storage.sql.exec("UPDATE effects SET next_ms = 0");
      await outbox.drainAll();
      expect(arrived).toEqual(["student"]);
      expect(outbox.pending()).toBe(0);
    });
  });
});

/** A calendar's outbox recording what its runner was asked to do: each effect alone, or effects together. */
function recordingOutbox(state: DurableObjectState, opts: { failTogether?: boolean; poison?: string } = {}) {
  const runs: string[] = [];
  const label = (e: Effect) => (e.kind === "project" ? `project ${e.sessionId}` : e.kind === "notice" ? `notice ${e.dedupeKey}` : e.kind);
  const check = (e: Effect) => {
    if (opts.poison && label(e).endsWith(opts.poison)) throw new Error("this one cannot succeed");
  };
  const outbox = new Outbox(
    state.storage.sql,
    state,
    {
      one: async (e) => {
        check(e);
        runs.push(label(e));
      },
      together: async (effects) => {
        if (opts.failTogether) throw new Error("D1 refused the batch");
        effects.forEach(check);
        runs.push(`together: ${effects.map(label).join(", ")}`);
      },
    },
    async () => undefined,
    () => ({}),
  );
  return { outbox, runs };
}

const notice = (key: string): Effect => ({ kind: "notice", userId: "tutor", nameOf: null, template: { kind: "booked", subject: "mathematics", start: new Date(0).toISOString(), withName: "" }, dedupeKey: key });

describe("a calendar's D1 work after many bookings", () => {
  it("projects their sessions in one batch and delivers their notices together, before the feed reads the projection", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), async (_: TutorCalendar, state) => {
      const { outbox, runs } = recordingOutbox(state);
      // Three bookings answered while the lane was busy: each queued its projection, its notice, and one feed render.
      for (const id of ["a", "b", "c"]) {
        outbox.enqueue({ kind: "project", sessionId: id });
        if (id === "a") outbox.enqueue({ kind: "feed" });
        outbox.enqueue(notice(`booked:${id}`));
      }
      await outbox.drainAll();
      expect(runs).toEqual(["together: project a, project b, project c", "together: notice booked:a, notice booked:b, notice booked:c", "feed"]);
      expect(outbox.pending()).toBe(0);
    });
  });

  it("tries each alone when running them together fails, so one that cannot succeed holds back no other", async () => {
    await runInDurableObject(calendarOf(env, crypto.randomUUID()), async (_: TutorCalendar, state) => {
      const { outbox, runs } = recordingOutbox(state, { failTogether: true, poison: "booked:b" });
      for (const id of ["a", "b", "c"]) outbox.enqueue(notice(`booked:${id}`));
      await outbox.drainAll();
      expect(runs).toEqual(["notice booked:a", "notice booked:c"]);
      // The one that failed waits for its retry; the others are done.
      expect(outbox.pending()).toBe(1);
      expect(state.storage.sql.exec("SELECT payload FROM effects").one().payload).toContain("booked:b");
    });
  });
});

import { describe, expect, it } from "vitest";
import { AlarmClock } from "../../durable-objects/lib/alarmClock";

/** Storage whose alarm calls take a turn of the event loop each, as the runtime's do, and are counted. */
function slowStorage(initial: number | null = null) {
  const calls = { get: 0, set: 0, delete: 0 };
  let alarm = initial;
  const tick = () => new Promise((r) => setTimeout(r, 1));
  const storage = {
    async getAlarm() {
      calls.get++;
      const seen = alarm;
      await tick();
      return seen;
    },
    async setAlarm(at: number) {
      calls.set++;
      await tick();
      alarm = at;
    },
    async deleteAlarm() {
      calls.delete++;
      await tick();
      alarm = null;
    },
  };
  return { storage, calls, alarm: () => alarm };
}

describe("an object's alarm clock", () => {
  it("wakes the object at the earliest time asked for, even when two asks interleave", async () => {
    const s = slowStorage();
    const clock = new AlarmClock(s.storage);
    // A hold that expires in a minute and a reminder in a day, asked for at the same moment.
    await Promise.all([clock.wakeAt(60_000), clock.wakeAt(86_400_000)]);
    expect(s.alarm()).toBe(60_000);
  });

  it("keeps an earlier alarm already set, and reads storage once per instance", async () => {
    const s = slowStorage(30_000);
    const clock = new AlarmClock(s.storage);
    for (const at of [60_000, 90_000, 86_400_000, 3_600_000]) await clock.wakeAt(at);
    expect(s.alarm()).toBe(30_000);
    expect(s.calls).toEqual({ get: 1, set: 0, delete: 0 });
    await clock.wakeAt(10_000);
    expect(s.alarm()).toBe(10_000);
    expect(s.calls).toEqual({ get: 1, set: 1, delete: 0 });
  });

  it("sets the next alarm after one has fired, even a later one", async () => {
    const s = slowStorage(10_000);
    const clock = new AlarmClock(s.storage);
    await clock.wakeAt(20_000);
    clock.fired();
    await clock.wakeAt(50_000);
    expect(s.alarm()).toBe(50_000);
  });

  it("drops a safety net no longer needed, and keeps what is still due", async () => {
    const s = slowStorage();
    const clock = new AlarmClock(s.storage);
    await clock.wakeAt(10_000);
    await clock.settle(() => null);
    expect(s.alarm()).toBeNull();
    await clock.wakeAt(10_000);
    await clock.settle(() => 90_000);
    expect(s.alarm()).toBe(90_000);
    // Nothing changes: no storage call.
    await clock.settle(() => 90_000);
    expect(s.calls).toEqual({ get: 1, set: 3, delete: 1 });
  });

  it("lets an alarm asked for after a settle win, even while the settle is still writing", async () => {
    const s = slowStorage(10_000);
    const clock = new AlarmClock(s.storage);
    await Promise.all([clock.settle(() => null), clock.wakeAt(40_000)]);
    expect(s.alarm()).toBe(40_000);
  });
});

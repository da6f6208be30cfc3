/**
 * An object's one alarm, with its time kept in memory: asking to be woken by a time no earlier than the alarm
 * already set costs no storage call (a booking asks up to five times: its hold, its reminders, the outbox's safety
 * net). The time is read from storage once per instance, and it is set before the first await, so two callers
 * interleaving can never leave the later of their times in place.
 */
/** What the clock needs of an object's storage. */
type AlarmStorage = { getAlarm(): Promise<number | null>; setAlarm(at: number): Promise<void>; deleteAlarm(): Promise<void> };

export class AlarmClock {
  /** The alarm set in storage: a time, null for none, undefined until read. */
  private known: number | null | undefined;

  constructor(private readonly storage: AlarmStorage) {}

  /** Makes sure the object is woken by `at` (an earlier alarm already set stays). */
  async wakeAt(at: number): Promise<void> {
    if (this.known === undefined) {
      const stored = await this.storage.getAlarm();
      if (this.known === undefined) this.known = stored;
    }
    if (this.known !== null && this.known <= at) return;
    this.known = at;
    await this.storage.setAlarm(at);
  }

  /**
   * Sets the alarm to exactly what `due` answers (null: none), for an object that knows every reason it still has to
   * wake: a safety net no longer needed goes, so the object is not woken for nothing. `due` is read after the stored
   * alarm is known, with no await before the alarm is set, so a `wakeAt` that comes after it still wins.
   */
  async settle(due: () => number | null): Promise<void> {
    if (this.known === undefined) {
      const stored = await this.storage.getAlarm();
      if (this.known === undefined) this.known = stored;
    }
    const at = due();
    if (this.known === at) return;
    this.known = at;
    await (at === null ? this.storage.deleteAlarm() : this.storage.setAlarm(at));
  }

  /** Call first thing in `alarm()`: the alarm that woke the object is spent, so the next `wakeAt` sets one. */
  fired(): void {
    this.known = null;
  }
}

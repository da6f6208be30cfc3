/**
 * An object's one alarm, with its time kept in memory: asking to be woken by a time no earlier than the alarm
 * already set costs no storage call (a booking asks up to five times: its hold, its reminders, the outbox's safety
 * net). The time is read from storage once per instance, and it is set before the first await, so two callers
 * interleaving can never leave the later of their times in place.
 */
export class AlarmClock {
  /** The alarm set in storage: a time, null for none, undefined until read. */
  private known: number | null | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

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

  /** Call first thing in `alarm()`: the alarm that woke the object is spent, so the next `wakeAt` sets one. */
  fired(): void {
    this.known = null;
  }
}

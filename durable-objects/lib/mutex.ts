/**
 * Runs async sections one at a time inside a Durable Object. Storage calls are atomic on their own, but an
 * `await` on D1 or another object lets the next request in; sections that must not interleave across such
 * awaits take this lock.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * An in-memory `CounterStore`: for tests and for a single Node process without a shared database.
 * Several instances of the service must share a database-backed store instead (`RATE_LIMIT_UPSERT_SQL`),
 * or each would count on its own.
 */
import type { AddingCounterStore } from "./window.ts";

export class MemoryCounterStore implements AddingCounterStore {
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly clock: () => number;
  private nextSweep = 0;

  /** `clock` (milliseconds) decides when expired windows are dropped; default `Date.now`. */
  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  /**
   * Adds 1 to `(key, windowStart)` and returns the count; drops expired windows at most once a second.
   *
   * @example
   * const store = new MemoryCounterStore();
   * await store.increment("req:key_1", 1_700_000_040_000, 60); // 1
   */
  increment(key: string, windowStart: number, ttlSeconds: number): Promise<number> {
    return this.add(key, windowStart, ttlSeconds, 1);
  }

  /** Adds `amount` to `(key, windowStart)` and returns the count. */
  async add(key: string, windowStart: number, ttlSeconds: number, amount: number): Promise<number> {
    const now = this.clock();
    if (now >= this.nextSweep) {
      for (const [k, v] of this.counters) if (v.expiresAt <= now) this.counters.delete(k);
      this.nextSweep = now + 1000;
    }
    const id = `${windowStart} ${key}`;
    const entry = this.counters.get(id) ?? { count: 0, expiresAt: windowStart + ttlSeconds * 1000 };
    entry.count += amount;
    this.counters.set(id, entry);
    return entry.count;
  }

  /**
   * Live windows (for tests).
   *
   * @example
   * new MemoryCounterStore().size; // 0
   */
  get size(): number {
    return this.counters.size;
  }
}

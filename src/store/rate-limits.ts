/**
 * The rate limiter's counters in the shared database: `RATE_LIMIT_UPSERT_SQL` on libSQL and D1 alike
 * (the table is `rate_limits` of schema.ts, created by the migrations), so a limit holds across every
 * instance that shares the database: several Node processes on one libSQL, every Worker isolate on D1.
 */
import { type AddingCounterStore, RATE_LIMIT_PURGE_SQL, RATE_LIMIT_UPSERT_SQL } from "../ratelimit/window.ts";
import type { Driver } from "./database.ts";

export class DbCounterStore implements AddingCounterStore {
  constructor(private readonly driver: Driver) {}

  /**
   * Adds 1 to the counter of `(key, windowStart)` in one atomic statement and returns the new count.
   * @example await counters.increment("req:key_1", 1_776_679_200_000, 60) // 1
   */
  increment(key: string, windowStart: number, ttlSeconds: number): Promise<number> {
    return this.add(key, windowStart, ttlSeconds, 1);
  }

  /**
   * Adds `amount` (at least 1) to the counter in one atomic statement and returns the new count.
   * @example await counters.add("req:key_1", 1_776_679_200_000, 60, 25) // 25
   */
  async add(key: string, windowStart: number, ttlSeconds: number, amount: number): Promise<number> {
    if (!Number.isSafeInteger(amount) || amount < 1)
      throw new RangeError("amount must be a positive integer");
    const [row] = await this.driver.execute(RATE_LIMIT_UPSERT_SQL, [
      key,
      windowStart,
      windowStart + ttlSeconds * 1000,
      amount,
    ]);
    const count = Number(row?.count);
    if (!Number.isFinite(count)) throw new Error("the rate-limit upsert returned no count");
    return count;
  }

  /** Deletes windows that expired at or before `now`; returns how many. */
  async purge(now: Date): Promise<number> {
    const before = await this.driver.execute("SELECT count(*) AS n FROM rate_limits WHERE expires_at <= ?1", [
      now.getTime(),
    ]);
    await this.driver.execute(RATE_LIMIT_PURGE_SQL, [now.getTime()]);
    return Number(before[0]?.n ?? 0);
  }
}

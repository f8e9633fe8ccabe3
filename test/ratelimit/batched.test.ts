/**
 * The batched counter store: exact counts on one instance with far fewer writes, pending counts written
 * after `flushMs` and on close, a view of other instances never older than `flushMs`, failed writes
 * kept and retried, finished windows dropped.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BatchedCounterStore } from "../../src/ratelimit/batched.ts";
import { MemoryCounterStore } from "../../src/ratelimit/memory.ts";
import { type AddingCounterStore, checkRateLimit } from "../../src/ratelimit/window.ts";

const MINUTE = Date.UTC(2026, 4, 1, 10, 0, 0);

/** The shared store, counting the writes it receives. */
class SharedStore implements AddingCounterStore {
  readonly inner = new MemoryCounterStore(() => MINUTE);
  writes = 0;
  failNext = 0;
  /** While set, writes wait for it (a slow database). */
  hold: Promise<void> | undefined;
  increment(key: string, windowStart: number, ttl: number) {
    return this.add(key, windowStart, ttl, 1);
  }
  async add(key: string, windowStart: number, ttl: number, amount: number) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("database is locked");
    }
    this.writes++;
    if (this.hold) await this.hold;
    return this.inner.add(key, windowStart, ttl, amount);
  }
  /** The shared count without counting anything (an add of 0 behind the scenes). */
  count(key: string, windowStart = MINUTE) {
    return this.inner.add(key, windowStart, 60, 0);
  }
}

let clockMs = MINUTE;
const now = () => clockMs;
const open: BatchedCounterStore[] = [];
function batched(shared: AddingCounterStore, flushMs = 1_000, onError?: (err: unknown) => void) {
  const store = new BatchedCounterStore(shared, { flushMs, now, ...(onError ? { onError } : {}) });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  clockMs = MINUTE;
});

describe("BatchedCounterStore", () => {
  it("counts exactly on one instance, sequentially and concurrently, with one write per flush", async () => {
    const shared = new SharedStore();
    const store = batched(shared);
    const sequential: number[] = [];
    for (let i = 0; i < 5; i++) sequential.push(await store.increment("req:a", MINUTE, 60));
    expect(sequential).toEqual([1, 2, 3, 4, 5]);
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => store.increment("req:a", MINUTE, 60)),
    );
    expect([...concurrent].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    // The first request wrote; the other 24 wait in memory.
    expect(shared.writes).toBe(1);
    expect(await shared.count("req:a")).toBe(1);
    await store.flush();
    expect(shared.writes).toBe(2);
    expect(await shared.count("req:a")).toBe(25);
  });

  it("allows exactly the limit through checkRateLimit under concurrent requests", async () => {
    const store = batched(new SharedStore());
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        checkRateLimit(store, { key: "req:k", limit: 10, windowSeconds: 60, now: new Date(MINUTE + 5) }),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(Math.min(...results.map((r) => r.remaining))).toBe(0);
  });

  it("writes pending counts by itself after flushMs", async () => {
    const shared = new SharedStore();
    const store = batched(shared, 20);
    await store.increment("req:a", MINUTE, 60);
    await store.increment("req:a", MINUTE, 60);
    await store.increment("req:a", MINUTE, 60);
    expect(await shared.count("req:a")).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await shared.count("req:a")).toBe(3);
  });

  it("sees other instances' counts: at a window's first request, and again once its view is flushMs old", async () => {
    const shared = new SharedStore();
    const a = batched(shared);
    const b = batched(shared);
    for (let i = 0; i < 3; i++) await a.increment("req:k", MINUTE, 60);
    await a.flush();
    // b's first request in the window reads the shared count: 3 from a, then its own.
    expect(await b.increment("req:k", MINUTE, 60)).toBe(4);
    for (let i = 0; i < 4; i++) await a.increment("req:k", MINUTE, 60);
    await a.flush();
    // Within flushMs b answers from memory, without a's last four...
    expect(await b.increment("req:k", MINUTE, 60)).toBe(5);
    // ...and once its view is flushMs old it writes and reads before answering: 3 + 4 from a, 3 its own.
    clockMs += 1_000;
    expect(await b.increment("req:k", MINUTE, 60)).toBe(10);
    await b.flush();
    expect(await shared.count("req:k")).toBe(10);
  });

  it("keeps counts whose write failed and writes them on the next flush", async () => {
    const shared = new SharedStore();
    const errors: unknown[] = [];
    const store = batched(shared, 1_000, (err) => errors.push(err));
    await store.increment("req:a", MINUTE, 60);
    await store.increment("req:a", MINUTE, 60);
    shared.failNext = 1;
    await store.flush();
    expect(errors).toHaveLength(1);
    expect(await shared.count("req:a")).toBe(1);
    await store.flush();
    expect(await shared.count("req:a")).toBe(2);
  });

  it("fails the request when the first write of a window fails, and counts it on the next one", async () => {
    const shared = new SharedStore();
    const store = batched(shared);
    shared.failNext = 1;
    await expect(store.increment("req:a", MINUTE, 60)).rejects.toThrow(/locked/);
    expect(await store.increment("req:a", MINUTE, 60)).toBe(2);
    expect(await shared.count("req:a")).toBe(2);
  });

  it("writes what is pending on close, then writes through", async () => {
    const shared = new SharedStore();
    const store = batched(shared);
    for (let i = 0; i < 4; i++) await store.increment("req:a", MINUTE, 60);
    await store.close();
    expect(await shared.count("req:a")).toBe(4);
    expect(await store.increment("req:a", MINUTE, 60)).toBe(5);
    expect(await shared.count("req:a")).toBe(5);
  });

  it("on close, also writes what was counted while a write was in flight", async () => {
    const shared = new SharedStore();
    const store = batched(shared);
    let release = () => {};
    shared.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = store.increment("req:a", MINUTE, 60); // writes, and waits for the database
    const second = store.increment("req:a", MINUTE, 60); // waits for that write's answer
    const closed = store.close();
    shared.hold = undefined;
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    await closed;
    expect(await shared.count("req:a")).toBe(2);
  });

  it("retries by itself the counts of a request whose write failed", async () => {
    const shared = new SharedStore();
    const store = batched(shared, 20);
    shared.failNext = 1;
    await expect(store.increment("req:a", MINUTE, 60)).rejects.toThrow(/locked/);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await shared.count("req:a")).toBe(1);
  });

  it("drops a window from memory once it is over and written", async () => {
    const store = batched(new SharedStore());
    await store.increment("req:a", MINUTE, 60);
    await store.increment("req:b", MINUTE, 60);
    await store.flush();
    expect(store.size).toBe(2);
    clockMs = MINUTE + 60_000;
    await store.increment("req:a", MINUTE + 60_000, 60);
    await store.flush();
    expect(store.size).toBe(1);
  });

  it("refuses a flush interval that is not positive", () => {
    expect(() => new BatchedCounterStore(new SharedStore(), { flushMs: 0 })).toThrow(RangeError);
  });
});

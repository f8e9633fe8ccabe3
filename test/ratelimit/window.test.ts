/**
 * Fixed-window rate limits: counting, window rollover, two instances sharing one store (in memory and
 * through RATE_LIMIT_UPSERT_SQL on two libSQL clients of one database file), the two per-key rules,
 * and the RateLimit-* / Retry-After headers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCounterStore } from "../../src/ratelimit/memory.ts";
import {
  type CounterStore,
  checkRateLimit,
  RATE_LIMIT_PURGE_SQL,
  RATE_LIMIT_TABLE_SQL,
  RATE_LIMIT_UPSERT_SQL,
  type RateLimitResult,
  rateLimitHeaders,
  requestsPerMinuteRule,
  scansPerDayRule,
} from "../../src/ratelimit/window.ts";

const MINUTE = Date.UTC(2026, 4, 1, 10, 0, 0); // on a minute boundary
const at = (ms: number) => new Date(MINUTE + ms);

/** One "instance" of the service: its own limiter function over a shared store. */
function instance(store: CounterStore, limit = 5, windowSeconds = 60) {
  return (now: Date) => checkRateLimit(store, { key: "req:key_1", limit, windowSeconds, now });
}

describe("checkRateLimit", () => {
  it("allows up to the limit in a window, then refuses", async () => {
    const check = instance(new MemoryCounterStore(() => MINUTE));
    const results: RateLimitResult[] = [];
    for (let i = 0; i < 7; i++) results.push(await check(at(1000 * i)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(results[0]).toEqual({
      allowed: true,
      limit: 5,
      remaining: 4,
      resetSeconds: 60,
      windowSeconds: 60,
    });
    expect(results[5]).toEqual({
      allowed: false,
      limit: 5,
      remaining: 0,
      resetSeconds: 55,
      retryAfterSeconds: 55,
      windowSeconds: 60,
    });
  });

  it("rolls over to a fresh window on the boundary", async () => {
    const check = instance(new MemoryCounterStore(() => MINUTE), 2);
    expect((await check(at(0))).allowed).toBe(true);
    expect((await check(at(30_000))).allowed).toBe(true);
    const last = await check(at(59_999));
    expect(last).toMatchObject({ allowed: false, resetSeconds: 1, retryAfterSeconds: 1 });
    const next = await check(at(60_000));
    expect(next).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60, windowSeconds: 60 });
    expect((await check(at(60_001))).allowed).toBe(true);
    expect((await check(at(119_999))).allowed).toBe(false);
    expect((await check(at(120_000))).allowed).toBe(true);
  });

  it("rounds the reset up to whole seconds, never below 1", async () => {
    const check = instance(new MemoryCounterStore(() => MINUTE), 100);
    expect((await check(at(0))).resetSeconds).toBe(60);
    expect((await check(at(1))).resetSeconds).toBe(60);
    expect((await check(at(1000))).resetSeconds).toBe(59);
    expect((await check(at(58_999))).resetSeconds).toBe(2);
    expect((await check(at(59_000))).resetSeconds).toBe(1);
    expect((await check(at(59_999))).resetSeconds).toBe(1);
  });

  it("keeps keys apart", async () => {
    const store = new MemoryCounterStore(() => MINUTE);
    const a = await checkRateLimit(store, { key: "req:a", limit: 1, windowSeconds: 60, now: at(0) });
    const b = await checkRateLimit(store, { key: "req:b", limit: 1, windowSeconds: 60, now: at(0) });
    expect([a.allowed, b.allowed]).toEqual([true, true]);
    expect(
      (await checkRateLimit(store, { key: "req:a", limit: 1, windowSeconds: 60, now: at(1) })).allowed,
    ).toBe(false);
  });

  it("holds across two instances sharing one store", async () => {
    const store = new MemoryCounterStore(() => MINUTE);
    const one = instance(store, 4);
    const two = instance(store, 4);
    const results = [
      await one(at(0)),
      await two(at(1)),
      await one(at(2)),
      await two(at(3)),
      await one(at(4)),
      await two(at(5)),
    ];
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([3, 2, 1, 0, 0, 0]);
  });

  it("allows exactly the limit under concurrent requests", async () => {
    const store = new MemoryCounterStore(() => MINUTE);
    const checks = Array.from({ length: 50 }, (_, i) => instance(store, 20)(at(i)));
    const results = await Promise.all(checks);
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  it("refuses everything with a limit of 0", async () => {
    const r = await instance(new MemoryCounterStore(() => MINUTE), 0)(at(10_000));
    expect(r).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 50 });
  });

  it("passes the window start (ms) and the window length as TTL to the store", async () => {
    const calls: [string, number, number][] = [];
    const store: CounterStore = {
      async increment(key, windowStart, ttlSeconds) {
        calls.push([key, windowStart, ttlSeconds]);
        return 1;
      },
    };
    await checkRateLimit(store, { key: "k", limit: 1, windowSeconds: 60, now: at(42_123) });
    await checkRateLimit(store, {
      key: "k",
      limit: 1,
      windowSeconds: 86_400,
      now: new Date("2026-05-01T23:59:59.999Z"),
    });
    expect(calls).toEqual([
      ["k", MINUTE, 60],
      ["k", Date.UTC(2026, 4, 1), 86_400],
    ]);
  });

  it.each([
    [{ limit: -1, windowSeconds: 60 }],
    [{ limit: 1.5, windowSeconds: 60 }],
    [{ limit: Number.NaN, windowSeconds: 60 }],
    [{ limit: 10, windowSeconds: 0 }],
    [{ limit: 10, windowSeconds: 0.5 }],
  ])("refuses bad parameters %j", async (p) => {
    await expect(checkRateLimit(new MemoryCounterStore(), { key: "k", ...p, now: at(0) })).rejects.toThrow(
      RangeError,
    );
  });

  it("lets store errors through", async () => {
    const broken: CounterStore = {
      increment: () => Promise.reject(new Error("database is locked")),
    };
    await expect(
      checkRateLimit(broken, { key: "k", limit: 1, windowSeconds: 60, now: at(0) }),
    ).rejects.toThrow("database is locked");
  });
});

describe("the two per-key rules", () => {
  it("are requests per minute and scans per UTC day, with separate keys", async () => {
    expect(requestsPerMinuteRule("key_1", 600)).toEqual({ key: "req:key_1", limit: 600, windowSeconds: 60 });
    expect(scansPerDayRule("key_1", 100)).toEqual({ key: "scan:key_1", limit: 100, windowSeconds: 86_400 });
    const store = new MemoryCounterStore(() => MINUTE);
    const now = new Date("2026-05-01T23:59:30Z");
    const req = await checkRateLimit(store, { ...requestsPerMinuteRule("key_1", 2), now });
    const scan = await checkRateLimit(store, { ...scansPerDayRule("key_1", 1), now });
    expect(req).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 30 });
    expect(scan).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 30 });
    expect((await checkRateLimit(store, { ...scansPerDayRule("key_1", 1), now })).allowed).toBe(false);
    // the requests limit is unaffected by scans
    expect((await checkRateLimit(store, { ...requestsPerMinuteRule("key_1", 2), now })).allowed).toBe(true);
    // the scans limit resets at midnight UTC
    const tomorrow = new Date("2026-05-02T00:00:00Z");
    expect(await checkRateLimit(store, { ...scansPerDayRule("key_1", 1), now: tomorrow })).toMatchObject({
      allowed: true,
      resetSeconds: 86_400,
    });
  });
});

describe("MemoryCounterStore", () => {
  it("drops expired windows", async () => {
    let now = MINUTE;
    const store = new MemoryCounterStore(() => now);
    await store.increment("a", MINUTE, 60);
    await store.increment("b", MINUTE, 60);
    expect(store.size).toBe(2);
    now = MINUTE + 60_000;
    await store.increment("a", MINUTE + 60_000, 60);
    expect(store.size).toBe(1);
  });
});

describe("rateLimitHeaders", () => {
  it("gives Limit, Remaining, Reset and Policy when allowed", () => {
    expect(
      rateLimitHeaders({ allowed: true, limit: 60, remaining: 59, resetSeconds: 42, windowSeconds: 60 }),
    ).toEqual({
      "RateLimit-Limit": "60",
      "RateLimit-Remaining": "59",
      "RateLimit-Reset": "42",
      "RateLimit-Policy": "60;w=60",
    });
  });

  it("adds Retry-After when refused", () => {
    expect(
      rateLimitHeaders({
        allowed: false,
        limit: 60,
        remaining: 0,
        resetSeconds: 12,
        retryAfterSeconds: 12,
        windowSeconds: 60,
      }),
    ).toEqual({
      "RateLimit-Limit": "60",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "12",
      "RateLimit-Policy": "60;w=60",
      "Retry-After": "12",
    });
  });

  it("combines several limits: the tightest one, every policy, the longest wait", () => {
    const rpm: RateLimitResult = {
      allowed: true,
      limit: 60,
      remaining: 10,
      resetSeconds: 5,
      windowSeconds: 60,
    };
    const day: RateLimitResult = {
      allowed: true,
      limit: 100,
      remaining: 3,
      resetSeconds: 3600,
      windowSeconds: 86_400,
    };
    expect(rateLimitHeaders([rpm, day])).toEqual({
      "RateLimit-Limit": "100",
      "RateLimit-Remaining": "3",
      "RateLimit-Reset": "3600",
      "RateLimit-Policy": "60;w=60, 100;w=86400",
    });
    const refusedRpm = { ...rpm, allowed: false, remaining: 0, retryAfterSeconds: 5 };
    expect(rateLimitHeaders([day, refusedRpm])).toMatchObject({
      "RateLimit-Limit": "60",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "5",
      "Retry-After": "5",
    });
    const refusedDay = { ...day, allowed: false, remaining: 0, retryAfterSeconds: 3600 };
    expect(rateLimitHeaders([refusedRpm, refusedDay])).toMatchObject({
      "RateLimit-Limit": "100",
      "RateLimit-Reset": "3600",
      "Retry-After": "3600",
    });
    expect(rateLimitHeaders([])).toEqual({});
  });

  it("comes straight from checkRateLimit", async () => {
    const check = instance(new MemoryCounterStore(() => MINUTE), 1);
    await check(at(0));
    expect(rateLimitHeaders(await check(at(20_000)))).toEqual({
      "RateLimit-Limit": "1",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "40",
      "RateLimit-Policy": "1;w=60",
      "Retry-After": "40",
    });
  });
});

describe("RATE_LIMIT_UPSERT_SQL on libSQL: two instances, one database", () => {
  let dir: string;
  let a: Client;
  let b: Client;

  /** The store engineer's CounterStore, as the SQL constants document it. */
  function sqlStore(client: Client): CounterStore {
    return {
      async increment(key, windowStart, ttlSeconds) {
        const rs = await client.execute({
          sql: RATE_LIMIT_UPSERT_SQL,
          args: [key, windowStart, windowStart + ttlSeconds * 1000, 1],
        });
        return Number(rs.rows[0]?.count);
      },
    };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubeguard-ratelimit-"));
    const url = `file:${join(dir, "db.sqlite")}`;
    a = createClient({ url });
    b = createClient({ url });
    await a.execute(RATE_LIMIT_TABLE_SQL);
  });

  afterAll(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts atomically across both clients and rolls over", async () => {
    const one = instance(sqlStore(a), 3);
    const two = instance(sqlStore(b), 3);
    const results = [await one(at(0)), await two(at(1)), await one(at(2)), await two(at(3))];
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect((await two(at(60_000))).allowed).toBe(true);
    const rows = await a.execute(
      "SELECT key, window_start, count, expires_at FROM rate_limits ORDER BY window_start",
    );
    expect(
      rows.rows.map((r) => [r.key, Number(r.window_start), Number(r.count), Number(r.expires_at)]),
    ).toEqual([
      ["req:key_1", MINUTE, 4, MINUTE + 60_000],
      ["req:key_1", MINUTE + 60_000, 1, MINUTE + 120_000],
    ]);
  });

  it("allows exactly the limit under concurrent requests from both", async () => {
    const stores = [sqlStore(a), sqlStore(b)];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        checkRateLimit(stores[i % 2]!, { key: "req:concurrent", limit: 10, windowSeconds: 60, now: at(i) }),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const rs = await b.execute({
      sql: "SELECT count FROM rate_limits WHERE key = ?",
      args: ["req:concurrent"],
    });
    expect(Number(rs.rows[0]?.count)).toBe(30);
  });

  it("purges expired windows with RATE_LIMIT_PURGE_SQL", async () => {
    await a.execute({ sql: RATE_LIMIT_PURGE_SQL, args: [MINUTE + 60_000] });
    const rows = await b.execute("SELECT window_start FROM rate_limits");
    expect(rows.rows.map((r) => Number(r.window_start))).toEqual([MINUTE + 60_000]);
  });
});

/**
 * Rate limits per API key with limits per tenant, counted in the shared database: requests per minute
 * on every tenant route, scans per UTC day on the scan-engine routes, 429 with `Retry-After` and
 * `RateLimit-*` headers (also on successful answers), and a limit that holds across two app instances
 * sharing one libSQL file database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { runScheduledTasks } from "../../src/api/scheduled.ts";
import { DEFAULT_APP_CONFIG, DEFAULT_TENANCY } from "../../src/config.ts";
import { BatchedCounterStore } from "../../src/ratelimit/batched.ts";
import { RATE_LIMIT_TABLE_SQL } from "../../src/ratelimit/window.ts";
import { createStore, type Store } from "../../src/store/index.ts";
import { openLibsql } from "../../src/store/libsql.ts";
import { HARDENED } from "./fixtures.ts";
import { type Harness, harness, KEY, manualClock, problem, yamlBody } from "./helpers.ts";

let h: Harness;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock(Date.parse("2026-04-20T10:00:30Z"));
  h = await harness({}, { clock });
});
afterEach(async () => {
  await h.close();
});

async function limitDefault(limits: { requestsPerMinute?: number; scansPerDay?: number }) {
  await h.store.tenants.update("default", limits, clock.now());
}

describe("requests per minute", () => {
  it("counts each key, answers 429 with Retry-After above the limit and resets with the minute", async () => {
    await limitDefault({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const res = await h.call("/v1/policies");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(2 - i));
      expect(res.headers.get("ratelimit-reset")).toBe("30");
      expect(res.headers.get("ratelimit-policy")).toBe("3;w=60");
      expect(res.headers.get("retry-after")).toBeNull();
    }
    const refused = await h.call("/v1/scans");
    expect(refused.status).toBe(429);
    const p = await problem(refused);
    expect(p.type).toBe("https://kubeguard.dev/problems/rate-limited");
    expect(p.detail).toMatch(/at most 3 per minute/);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");

    // Another key of the same tenant has its own count.
    const other = await h.store.apiKeys.create("default", { name: "ci", scopes: ["read"] }, clock.now());
    expect((await h.call("/v1/policies", { key: other.key })).status).toBe(200);

    clock.set("2026-04-20T10:01:00Z");
    const next = await h.call("/v1/policies");
    expect(next.status).toBe(200);
    expect(next.headers.get("ratelimit-remaining")).toBe("2");
  });

  it("uses the deployment default when the tenant has none, and sends headers on problems too", async () => {
    const small = await harness({ tenancy: { ...DEFAULT_TENANCY, requestsPerMinute: 2 } }, { clock });
    try {
      expect((await small.call("/v1/scans/scn_nope")).headers.get("ratelimit-limit")).toBe("2");
      const notFound = await small.call("/v1/scans/scn_nope");
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get("ratelimit-remaining")).toBe("0");
      expect((await small.call("/v1/scans")).status).toBe(429);
    } finally {
      await small.close();
    }
  });

  it("does not count requests refused before authentication, nor public routes", async () => {
    await limitDefault({ requestsPerMinute: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await h.call("/v1/scans", { key: null })).status).toBe(401);
      expect((await h.call("/healthz", { key: null })).headers.get("ratelimit-limit")).toBeNull();
    }
    expect((await h.call("/v1/scans")).status).toBe(200);
  });
});

describe("scans per day", () => {
  it("limits POST /v1/scans and POST /v1/evaluate together, per UTC day, and reports both policies", async () => {
    await limitDefault({ scansPerDay: 2 });
    const first = await h.call("/v1/scans", yamlBody(HARDENED));
    expect(first.status).toBe(201);
    expect(first.headers.get("ratelimit-policy")).toBe("600;w=60, 2;w=86400");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect((await h.call("/v1/evaluate", yamlBody(HARDENED))).status).toBe(200);
    const refused = await h.call("/v1/scans", yamlBody(HARDENED));
    expect(refused.status).toBe(429);
    expect((await problem(refused)).detail).toMatch(/at most 2 per UTC day/);
    // 13:59:30 until midnight UTC.
    expect(refused.headers.get("retry-after")).toBe(String(14 * 3600 - 30));
    expect((await h.call("/v1/evaluate", yamlBody(HARDENED))).status).toBe(429);
    // Reading is not scanning.
    expect((await h.call("/v1/scans")).status).toBe(200);
    clock.set("2026-04-21T00:00:00Z");
    expect((await h.call("/v1/scans", yamlBody(HARDENED))).status).toBe(201);
  });

  it("refuses before reading the body", async () => {
    await limitDefault({ scansPerDay: 1 });
    await h.call("/v1/evaluate", yamlBody(HARDENED));
    const res = await h.call("/v1/evaluate", {
      method: "POST",
      body: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(429);
  });
});

describe("the counters", () => {
  it("live in the rate_limits table the migrations create, exactly RATE_LIMIT_TABLE_SQL", async () => {
    const columns = await h.driver.execute(
      "SELECT name, type, \"notnull\", pk FROM pragma_table_info('rate_limits')",
      [],
    );
    expect(columns).toEqual([
      { name: "key", type: "TEXT", notnull: 1, pk: 1 },
      { name: "window_start", type: "INTEGER", notnull: 1, pk: 2 },
      { name: "count", type: "INTEGER", notnull: 1, pk: 0 },
      { name: "expires_at", type: "INTEGER", notnull: 1, pk: 0 },
    ]);
    for (const column of [
      "key TEXT NOT NULL",
      "window_start INTEGER NOT NULL",
      "PRIMARY KEY (key, window_start)",
    ])
      expect(RATE_LIMIT_TABLE_SQL).toContain(column);
  });

  it("are purged by the scheduled clean-up once their window is over", async () => {
    await h.call("/v1/scans", yamlBody(HARDENED));
    const count = async () =>
      Number((await h.driver.execute("SELECT count(*) AS n FROM rate_limits", []))[0]?.n);
    expect(await count()).toBe(2);
    clock.set("2026-04-20T10:01:00Z");
    const results = await runScheduledTasks({ store: h.store, clock, config: DEFAULT_APP_CONFIG });
    expect(results.find((r) => r.name === "rate-limit-purge")).toEqual({
      name: "rate-limit-purge",
      ok: true,
      result: { purged: 1 },
    });
    expect(await count()).toBe(1);
    clock.set("2026-04-21T00:00:00Z");
    await runScheduledTasks({ store: h.store, clock, config: DEFAULT_APP_CONFIG });
    expect(await count()).toBe(0);
  });
});

describe("two instances on one libSQL file", () => {
  let dir: string;
  let stores: Store[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kubeguard-ratelimit-"));
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("share one count: the limit holds across them, also under concurrent requests", async () => {
    const url = `file:${join(dir, "kg.db")}`;
    const frozen = manualClock(Date.parse("2026-04-20T10:00:05Z"));
    const config = { ...DEFAULT_APP_CONFIG, tenancy: { ...DEFAULT_TENANCY, requestsPerMinute: 7 } };
    for (let i = 0; i < 2; i++) stores.push(createStore(await openLibsql({ url })));
    const [a, b] = stores as [Store, Store];
    await a.tenants.bootstrap(frozen.now(), KEY);
    const apps = stores.map((store) => createApp({ store, clock: frozen, config, log: () => {} }));
    const call = (i: number) =>
      apps[i % 2]?.request("/v1/policies", {
        headers: { authorization: `Bearer ${KEY}` },
      }) as Promise<Response>;

    const sequential: number[] = [];
    for (let i = 0; i < 4; i++) sequential.push((await call(i)).status);
    expect(sequential).toEqual([200, 200, 200, 200]);
    const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i).then((r) => r.status)));
    expect(concurrent.filter((s) => s === 200)).toHaveLength(3);
    expect(concurrent.filter((s) => s === 429)).toHaveLength(7);
    // One row counted every request of both instances.
    const reader = await openLibsql({ url, migrate: false });
    try {
      const rows = await reader.execute("SELECT key, count FROM rate_limits", []);
      const keyId = (await b.apiKeys.verify(KEY, frozen.now()))?.keyId;
      expect(rows).toEqual([{ key: `req:${keyId}`, count: 14 }]);
    } finally {
      await reader.close();
    }
  });

  it("count in batches on the Node server: exact on one instance, every count in the database on close", async () => {
    const url = `file:${join(dir, "kg.db")}`;
    const frozen = manualClock(Date.parse("2026-04-20T10:00:05Z"));
    const config = { ...DEFAULT_APP_CONFIG, tenancy: { ...DEFAULT_TENANCY, requestsPerMinute: 7 } };
    const store = createStore(await openLibsql({ url }));
    stores.push(store);
    await store.tenants.bootstrap(frozen.now(), KEY);
    const counters = new BatchedCounterStore(store.counters, {
      flushMs: 60_000,
      now: () => frozen.now().getTime(),
    });
    const app = createApp({ store, clock: frozen, config, counters, log: () => {} });
    const call = () =>
      Promise.resolve(app.request("/v1/policies", { headers: { authorization: `Bearer ${KEY}` } }));
    const statuses = await Promise.all(Array.from({ length: 10 }, () => call().then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const rows = () => driverCount(url);
    // Only the window's first request reached the database so far.
    expect(await rows()).toBe(1);
    await counters.close();
    expect(await rows()).toBe(10);
  });
});

/** The request count of the one API key in the database file (another connection). */
async function driverCount(url: string): Promise<number> {
  const reader = await openLibsql({ url, migrate: false });
  try {
    const rows = await reader.execute("SELECT count FROM rate_limits WHERE key LIKE 'req:%'", []);
    return Number(rows[0]?.count ?? 0);
  } finally {
    await reader.close();
  }
}

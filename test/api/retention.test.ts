/**
 * Retention per tenant as a pure store function with an injected clock: scans older than the tenant's
 * days and beyond its newest maximum are deleted with their findings, resources and idempotency keys;
 * deployment defaults apply to tenants without their own, 0 keeps everything; a run stops at its
 * budget and the next one goes on. Also the scheduled task list and the Node scheduler's timers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  runScheduledTasks,
  type ScheduledTask,
  scheduledTasks,
  startScheduler,
} from "../../src/api/scheduled.ts";
import { DEFAULT_APP_CONFIG } from "../../src/config.ts";
import { scanInputs } from "../../src/scan/run.ts";
import { createStore, type Driver, type Store } from "../../src/store/index.ts";
import { openLibsql } from "../../src/store/libsql.ts";
import { runRetention } from "../../src/store/retention.ts";
import { PRIVILEGED } from "./fixtures.ts";
import { manualClock } from "./helpers.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-04-20T12:00:00Z");
const report = scanInputs({ inputs: [{ file: "a.yaml", text: PRIVILEGED }], now: NOW });

let driver: Driver;
let store: Store;
beforeEach(async () => {
  driver = await openLibsql({ url: ":memory:" });
  store = createStore(driver);
});
afterEach(async () => {
  await store.close();
});

/** A tenant with scans `ages` days old (ids `<tenant>-<age>`), each with an idempotency key. */
async function tenantWithScans(
  id: string,
  ages: number[],
  limits: { retentionDays?: number | null; retentionMaxScans?: number | null } = {},
) {
  await store.tenants.create({ id, name: id, ...limits }, NOW);
  for (const age of ages) {
    const at = new Date(NOW.getTime() - age * DAY);
    await store.scans.create(id, {
      id: `${id}-${age}`,
      createdAt: at,
      completedAt: at,
      source: {},
      report,
      idempotency: { key: `run-${age}`, requestHash: "h" },
    });
  }
}

async function left(tenantId: string): Promise<string[]> {
  return (await store.scans.list(tenantId, {}, 100)).items.map((s) => s.id);
}

async function rowsOf(tenantId: string, table: string): Promise<number> {
  return Number(
    (await driver.execute(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?1`, [tenantId]))[0]?.n,
  );
}

describe("runRetention", () => {
  it("deletes scans older than the tenant's days with every row they own", async () => {
    await tenantWithScans("t1", [1, 10, 29, 31, 90], { retentionDays: 30 });
    await tenantWithScans("t2", [1, 90]);
    const result = await runRetention(store, NOW);
    expect(result).toEqual({ tenants: 1, expired: 2, overflow: 0, complete: true });
    expect(await left("t1")).toEqual(["t1-1", "t1-10", "t1-29"]);
    expect(await left("t2")).toEqual(["t2-1", "t2-90"]);
    expect(await store.scans.allFindings("t1", "t1-31")).toBeUndefined();
    expect(await store.scans.findIdempotent("t1", "run-90")).toBeUndefined();
    expect(await store.scans.findIdempotent("t1", "run-29")).toBeDefined();
    const perScan = report.findings.length;
    expect(await rowsOf("t1", "findings")).toBe(3 * perScan);
    expect(await rowsOf("t1", "scan_resources")).toBe(3 * report.resources.length);
    // Nothing more to do on the next run.
    expect(await runRetention(store, NOW)).toEqual({ tenants: 1, expired: 0, overflow: 0, complete: true });
  });

  it("keeps only the newest maxScans", async () => {
    await tenantWithScans("t1", [5, 4, 3, 2, 1], { retentionMaxScans: 2 });
    expect(await runRetention(store, NOW)).toMatchObject({ overflow: 3 });
    expect(await left("t1")).toEqual(["t1-1", "t1-2"]);
  });

  it("applies the deployment defaults to tenants without their own; 0 keeps everything", async () => {
    await tenantWithScans("t1", [1, 20, 40]);
    await tenantWithScans("t2", [1, 20, 40], { retentionDays: 0 });
    await tenantWithScans("t3", [1, 20, 40], { retentionDays: 10, retentionMaxScans: 0 });
    const result = await runRetention(store, NOW, { retentionDays: 30, retentionMaxScans: 1 });
    expect(result).toEqual({ tenants: 3, expired: 1 + 2, overflow: 1 + 2, complete: true });
    expect(await left("t1")).toEqual(["t1-1"]);
    expect(await left("t2")).toEqual(["t2-1"]);
    expect(await left("t3")).toEqual(["t3-1"]);
  });

  it("moves with the clock it is given", async () => {
    await tenantWithScans("t1", [0], { retentionDays: 7 });
    expect((await runRetention(store, new Date(NOW.getTime() + 7 * DAY - 1))).expired).toBe(0);
    expect((await runRetention(store, new Date(NOW.getTime() + 7 * DAY + 1))).expired).toBe(1);
  });

  it("stops at its budget in whole batches and finishes on the next run", async () => {
    await tenantWithScans(
      "t1",
      Array.from({ length: 60 }, (_, i) => 100 + i),
      { retentionDays: 30 },
    );
    const first = await runRetention(store, NOW, undefined, 55);
    expect(first).toEqual({ tenants: 1, expired: 55, overflow: 0, complete: false });
    expect(await left("t1")).toHaveLength(5);
    expect(await runRetention(store, NOW)).toMatchObject({ expired: 5, complete: true });
    expect(await rowsOf("t1", "findings")).toBe(0);
  });
});

describe("scheduled tasks", () => {
  it("include the retention clean-up and the rate-limit purge", async () => {
    expect(scheduledTasks.map((t) => t.name)).toEqual(
      expect.arrayContaining(["retention", "rate-limit-purge"]),
    );
    await tenantWithScans("t1", [1, 40], { retentionDays: 30 });
    const clock = manualClock(NOW.getTime());
    const results = await runScheduledTasks({ store, clock, config: DEFAULT_APP_CONFIG });
    expect(results.find((r) => r.name === "retention")).toEqual({
      name: "retention",
      ok: true,
      result: { tenants: 1, expired: 1, overflow: 0, complete: true },
    });
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("run on unref'd Node timers that never overlap a task and stop cleanly", async () => {
    let runs = 0;
    let active = 0;
    let overlapped = false;
    const slow: ScheduledTask = {
      name: "slow",
      intervalMs: 5,
      async run() {
        active++;
        if (active > 1) overlapped = true;
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        active--;
      },
    };
    const scheduler = startScheduler({ store, clock: manualClock(), config: DEFAULT_APP_CONFIG }, 60_000, [
      slow,
    ]);
    await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
    expect(active).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(after);
  });
});

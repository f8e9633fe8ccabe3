/**
 * The store on libSQL: atomic scan writes chunked under D1's parameter limit, exact report rebuilds,
 * bootstrap, and the database location handling.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.ts";
import { scanInputs } from "../../src/scan/run.ts";
import { chunkRows, type Driver, MAX_BOUND_PARAMETERS, type Statement } from "../../src/store/database.ts";
import { createStore, type Store } from "../../src/store/index.ts";
import { localDatabasePath, openLibsql } from "../../src/store/libsql.ts";
import { PRIVILEGED } from "./fixtures.ts";

/** A manifest with `n` privileged Deployments: several findings each. */
function manyDeployments(n: number): string {
  return Array.from({ length: n }, (_, i) => PRIVILEGED.replace("name: api", `name: api-${i}`)).join("---\n");
}

let driver: Driver;
let store: Store;
let statementsPerBatch: number[];
let paramsPerStatement: number[];
/** When set, a failing statement is appended to the next batch (after every row of the scan). */
let failNextBatch = false;
beforeEach(async () => {
  const inner = await openLibsql({ url: ":memory:" });
  statementsPerBatch = [];
  paramsPerStatement = [];
  failNextBatch = false;
  driver = {
    db: inner.db,
    // D1's limit, so these tests hold the statements to it.
    maxBoundParameters: MAX_BOUND_PARAMETERS,
    close: () => inner.close(),
    execute: (text, args) => inner.execute(text, args),
    executeBatch(statements) {
      statementsPerBatch.push(statements.length);
      for (const s of statements) paramsPerStatement.push(s.args.length);
      return inner.executeBatch(statements);
    },
    batch(statements: readonly Statement[]) {
      statementsPerBatch.push(statements.length);
      for (const s of statements) {
        const built = (s as unknown as { toSQL?: () => { params: unknown[] } }).toSQL?.();
        if (built) paramsPerStatement.push(built.params.length);
      }
      if (failNextBatch) {
        failNextBatch = false;
        return inner.batch([
          ...statements,
          inner.db.run(sql`INSERT INTO tenants (id, name, created_at) VALUES (NULL, NULL, NULL)`),
        ]);
      }
      return inner.batch(statements);
    },
  };
  store = createStore(driver);
});
afterEach(async () => {
  await store.close();
});

describe("scans", () => {
  it("writes a large scan in one batch of statements under 100 parameters and rebuilds the report exactly", async () => {
    const text = manyDeployments(60);
    const report = scanInputs({
      inputs: [{ file: "big.yaml", text }],
      now: new Date("2026-04-20T00:00:00Z"),
    });
    expect(report.findings.length).toBeGreaterThan(200);
    const at = new Date("2026-04-20T00:00:00Z");
    const result = await store.scans.create("t1", {
      id: "scn_big",
      createdAt: at,
      completedAt: at,
      source: {},
      report,
    });
    expect(result.status).toBe("created");
    expect(statementsPerBatch).toHaveLength(1);
    expect(statementsPerBatch[0]).toBeGreaterThan(50);
    expect(Math.max(...paramsPerStatement)).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    const stored = await store.scans.report("t1", "scn_big");
    expect(stored?.report).toEqual(report);
    expect(renderReport(stored!.report, "json")).toBe(renderReport(report, "json"));
    expect(await store.scans.report("t2", "scn_big")).toBeUndefined();
  });

  it("leaves no half scan when the batch fails", async () => {
    const report = scanInputs({ inputs: [{ file: "a.yaml", text: manyDeployments(3) }] });
    const at = new Date();
    await store.scans.create("t1", { id: "scn_a", createdAt: at, completedAt: at, source: {}, report });
    const before = await store.scans.allFindings("t1", "scn_a");
    // Same id again: the scans insert fails on its primary key.
    const bigger = scanInputs({ inputs: [{ file: "b.yaml", text: manyDeployments(8) }] });
    await expect(
      store.scans.create("t1", { id: "scn_a", createdAt: at, completedAt: at, source: {}, report: bigger }),
    ).rejects.toThrow();
    expect(await store.scans.allFindings("t1", "scn_a")).toEqual(before);
    expect((await store.scans.report("t1", "scn_a"))?.report).toEqual(report);
    // A failure after every row of a new scan was written rolls all of them back.
    failNextBatch = true;
    await expect(
      store.scans.create("t1", {
        id: "scn_b",
        createdAt: at,
        completedAt: at,
        source: {},
        report: bigger,
        idempotency: { key: "k", requestHash: "h" },
      }),
    ).rejects.toThrow();
    expect(await store.scans.get("t1", "scn_b")).toBeUndefined();
    expect(await store.scans.findIdempotent("t1", "k")).toBeUndefined();
    const rows = await driver.db.get<{ n: number }>(
      sql`SELECT (SELECT count(*) FROM findings WHERE scan_id = 'scn_b') + (SELECT count(*) FROM scan_resources WHERE scan_id = 'scn_b') AS n`,
    );
    expect(rows?.n).toBe(0);
  });

  it("deletes a scan with all its rows", async () => {
    const report = scanInputs({ inputs: [{ file: "a.yaml", text: manyDeployments(2) }] });
    const at = new Date();
    await store.scans.create("t1", {
      id: "scn_d",
      createdAt: at,
      completedAt: at,
      source: {},
      report,
      idempotency: { key: "k", requestHash: "h" },
    });
    expect(await store.scans.delete("t1", "scn_d")).toBe(true);
    expect(await store.scans.allFindings("t1", "scn_d")).toBeUndefined();
    expect(await store.scans.findIdempotent("t1", "k")).toBeUndefined();
    expect(await store.scans.delete("t1", "scn_d")).toBe(false);
  });
});

describe("admission decisions", () => {
  const decision = (i: number) => ({
    tenantId: "t1",
    id: `adm_${String(i).padStart(3, "0")}`,
    uid: `uid-${i}`,
    keyId: "key_1",
    operation: "CREATE",
    kind: "Pod",
    namespace: i % 2 ? "shop" : "web",
    name: `pod-${i}`,
    username: "system:serviceaccount:kube-system:replicaset-controller",
    allowed: i % 3 !== 0,
    ...(i % 3 === 0 ? { message: `pods "pod-${i}" is forbidden` } : {}),
    enforce: "baseline:latest",
    warnings: i % 2 ? [`would violate PodSecurity "restricted:latest": ${i}`] : [],
    ...(i === 7 ? { exempt: "user" } : {}),
    at: new Date(Date.UTC(2026, 3, 20, 10, 0, i)),
  });

  it("records a batch in statements within the driver's parameter limit and reads every field back", async () => {
    const batch = Array.from({ length: 30 }, (_, i) => decision(i));
    await store.admission.record(batch);
    expect(statementsPerBatch).toEqual([5]);
    expect(Math.max(...paramsPerStatement)).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    const page = await store.admission.list("t1", {}, 100);
    const { tenantId: _, ...newest } = batch[29]!;
    expect(page.items).toHaveLength(30);
    expect(page.items[0]).toEqual(newest);
    const { tenantId: __, ...exempted } = batch[7]!;
    expect(page.items.find((d) => d.id === "adm_007")).toEqual(exempted);
    expect(await store.admission.list("t2", {}, 100)).toMatchObject({ items: [] });
  });
});

describe("chunkRows", () => {
  it("keeps every chunk within the parameter limit", () => {
    const rows = Array.from({ length: 23 }, (_, i) => i);
    expect(chunkRows(rows, 21).map((c) => c.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(chunkRows(rows, 200).every((c) => c.length === 1)).toBe(true);
    expect(chunkRows([], 5)).toEqual([]);
  });
});

describe("bootstrap", () => {
  it("creates tenant default and one admin key once", async () => {
    const first = await store.tenants.bootstrap(new Date());
    expect(first?.tenant.id).toBe("default");
    expect(first?.key).toMatch(/^kg_[A-Za-z0-9]{40}$/);
    expect(first?.provided).toBe(false);
    expect(await store.apiKeys.verify(first!.key, new Date())).toMatchObject({
      tenantId: "default",
      scopes: ["admin"],
    });
    expect(await store.tenants.bootstrap(new Date())).toBeUndefined();
  });

  it("uses a provided key and refuses a malformed one", async () => {
    await expect(store.tenants.bootstrap(new Date(), "kg_short")).rejects.toThrow(/kg_/);
    const key = `kg_${"x".repeat(32)}`;
    const boot = await store.tenants.bootstrap(new Date(), key);
    expect(boot).toMatchObject({ key, provided: true });
  });

  it("creates nothing when tenants exist", async () => {
    await store.tenants.create({ name: "acme" }, new Date());
    expect(await store.tenants.bootstrap(new Date())).toBeUndefined();
  });
});

describe("libSQL files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kubeguard-store-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the folder of a file: database and migrates it", async () => {
    const file = join(dir, "nested", "deeper", "kg.db");
    const d = await openLibsql({ url: `file:${file}` });
    const s = createStore(d);
    await s.ping();
    expect(await s.tenants.bootstrap(new Date())).toBeDefined();
    await s.close();
    expect(existsSync(file)).toBe(true);
    // Reopening applies no migration twice and keeps the data.
    const again = createStore(await openLibsql({ url: `file:${file}` }));
    expect(await again.tenants.get("default")).toBeDefined();
    await again.close();
  });

  it("keeps WAL, synchronous=NORMAL and the busy timeout on every concurrent call", async () => {
    const d = await openLibsql({ url: `file:${join(dir, "kg.db")}` });
    try {
      const settings = await Promise.all(
        Array.from({ length: 8 }, async () => ({
          synchronous: (await d.execute("PRAGMA synchronous", []))[0]?.synchronous,
          timeout: (await d.execute("PRAGMA busy_timeout", []))[0]?.timeout,
          journal: (await d.execute("PRAGMA journal_mode", []))[0]?.journal_mode,
        })),
      );
      // 1 is NORMAL: a second connection would have come up with FULL (2) and no busy timeout.
      expect(settings).toEqual(Array(8).fill({ synchronous: 1, timeout: 5000, journal: "wal" }));
    } finally {
      await d.close();
    }
  });

  it("resolves file: URLs", () => {
    expect(localDatabasePath("file:./data/kubeguard.db")).toBe(join(process.cwd(), "data/kubeguard.db"));
    expect(localDatabasePath("file:///var/lib/kg.db")).toBe("/var/lib/kg.db");
    expect(localDatabasePath(":memory:")).toBeUndefined();
    expect(localDatabasePath("libsql://db.example.turso.io")).toBeUndefined();
  });
});

describe("migrations", () => {
  it("never rebuild a table (drizzle-kit's __new_ tables lose cascaded rows on D1) and match the journal", () => {
    const folder = new URL("../../migrations/", import.meta.url);
    const files = readdirSync(folder).filter((f) => f.endsWith(".sql"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(readFileSync(new URL(file, folder), "utf8"), file).not.toContain("__new_");
    // wrangler applies the .sql files, the libSQL migrator follows meta/_journal.json: the same list.
    const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", folder), "utf8")) as {
      entries: { tag: string }[];
    };
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files.sort());
  });
});

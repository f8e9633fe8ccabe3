/**
 * Tenancy end to end on in-memory libSQL: the platform operator's admin API (tenants, suspension,
 * limits, first keys, deletion of everything a tenant owns), tenant key management (shown once,
 * never listed, revoked at once, expiry, last use to the minute, no escalation), tenant policy
 * settings and their effect on scans, and the append-only audit log.
 */
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canGrant } from "../../src/api/routes/keys/schemas.ts";
import { DEFAULT_TENANCY } from "../../src/config.ts";
import * as schema from "../../src/store/schema.ts";
import { tenantScopedTableNames } from "../../src/store/tenants.ts";
import { HARDENED, HOST_NETWORK, PRIVILEGED } from "./fixtures.ts";
import { type Harness, harness, KEY, manualClock, problem, yamlBody } from "./helpers.ts";

const PLATFORM_TOKEN = `pt_${"Pl4tf0rm".repeat(5)}`;
const platform = { authorization: `Bearer ${PLATFORM_TOKEN}` };
const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

let h: Harness;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock();
  h = await harness({ platformToken: PLATFORM_TOKEN }, { clock });
});
afterEach(async () => {
  await h.close();
});

/** `POST /v1/admin/tenants` and a first admin key through the admin API. */
async function newTenant(name = "acme", scopes = ["admin"]) {
  const res = await h.call("/v1/admin/tenants", { ...json("POST", { name }, platform), key: null });
  expect(res.status).toBe(201);
  const tenant = await res.json();
  clock.advance(1);
  const k = await h.call(`/v1/admin/tenants/${tenant.id}/keys`, {
    ...json("POST", { name: "first admin", scopes }, platform),
    key: null,
  });
  expect(k.status).toBe(201);
  return { tenant, key: (await k.json()).key as string };
}

/** Rows of a tenant in a table. */
async function rows(table: string, tenantId: string): Promise<number> {
  const [r] = await h.driver.execute(`SELECT count(*) AS n FROM "${table}" WHERE tenant_id = ?1`, [tenantId]);
  return Number(r?.n);
}

describe("admin API", () => {
  it("creates, lists, gets and re-limits tenants with the limits in force", async () => {
    const res = await h.call("/v1/admin/tenants", {
      ...json(
        "POST",
        { name: "acme", rateLimit: { requestsPerMinute: 100 }, retention: { days: 30 } },
        platform,
      ),
      key: null,
    });
    expect(res.status).toBe(201);
    const tenant = await res.json();
    expect(tenant).toEqual({
      id: expect.stringMatching(/^tnt_[A-Za-z0-9]{20}$/),
      name: "acme",
      createdAt: "2026-04-20T10:00:00.000Z",
      suspended: false,
      suspendedAt: null,
      rateLimit: { requestsPerMinute: 100, scansPerDay: DEFAULT_TENANCY.scansPerDay },
      retention: { days: 30, maxScans: null },
    });
    expect(res.headers.get("location")).toBe(`/v1/admin/tenants/${tenant.id}`);

    const list = await (await h.call("/v1/admin/tenants?limit=1", { key: null, headers: platform })).json();
    expect(list.items.map((t: { id: string }) => t.id)).toEqual(["default"]);
    const next = await (
      await h.call(`/v1/admin/tenants?limit=1&cursor=${list.nextCursor}`, { key: null, headers: platform })
    ).json();
    expect(next.items.map((t: { id: string }) => t.id)).toEqual([tenant.id]);
    expect(next.nextCursor).toBeNull();

    const patched = await h.call(`/v1/admin/tenants/${tenant.id}`, {
      ...json(
        "PATCH",
        { rateLimit: { requestsPerMinute: null, scansPerDay: 5 }, retention: { maxScans: 10 } },
        platform,
      ),
      key: null,
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      rateLimit: { requestsPerMinute: DEFAULT_TENANCY.requestsPerMinute, scansPerDay: 5 },
      retention: { days: 30, maxScans: 10 },
    });
    const got = await (
      await h.call(`/v1/admin/tenants/${tenant.id}`, { key: null, headers: platform })
    ).json();
    expect(got.rateLimit.scansPerDay).toBe(5);
  });

  it("answers 400 naming the field for bad bodies and 404 for unknown tenants", async () => {
    for (const body of [
      {},
      { name: "" },
      { name: "x", extra: 1 },
      { name: "x", rateLimit: { requestsPerMinute: 0 } },
    ]) {
      const res = await h.call("/v1/admin/tenants", { ...json("POST", body, platform), key: null });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await problem(res)).errors?.[0]?.path).toMatch(/^body/);
    }
    const empty = await h.call("/v1/admin/tenants/default", { ...json("PATCH", {}, platform), key: null });
    expect(empty.status).toBe(400);
    const bad = await h.call("/v1/admin/tenants/default", {
      ...json("PATCH", { suspended: "yes" }, platform),
      key: null,
    });
    expect((await problem(bad)).errors?.[0]?.path).toBe("body.suspended");
    for (const [method, path] of [
      ["GET", "/v1/admin/tenants/tnt_nope"],
      ["DELETE", "/v1/admin/tenants/tnt_nope"],
    ]) {
      const res = await h.call(path as string, { method, key: null, headers: platform });
      expect((await problem(res)).detail).toBe("No tenant tnt_nope.");
    }
    const patch = await h.call("/v1/admin/tenants/tnt_nope", {
      ...json("PATCH", { suspended: true }, platform),
      key: null,
    });
    expect(patch.status).toBe(404);
    const key = await h.call("/v1/admin/tenants/tnt_nope/keys", {
      ...json("POST", { name: "k", scopes: ["admin"] }, platform),
      key: null,
    });
    expect(key.status).toBe(404);
  });

  it("gives a new tenant a working key, shown once, isolated from the others", async () => {
    const { tenant, key } = await newTenant();
    expect(key).toMatch(/^kg_[A-Za-z0-9]{40}$/);
    const scan = await h.call("/v1/scans", { ...yamlBody(PRIVILEGED), key });
    expect(scan.status).toBe(201);
    const id = (await scan.json()).id;
    expect((await h.call(`/v1/scans/${id}`, { key })).status).toBe(200);
    expect((await h.call(`/v1/scans/${id}`)).status).toBe(404);
    const listed = await (await h.call("/v1/keys", { key })).json();
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key);
    const audit = await (await h.call("/v1/audit", { key })).json();
    expect(audit.items.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`)).toEqual([
      "platform key.created",
      "platform tenant.created",
    ]);
    expect(audit.items[0].target).toBe(listed.items[0].id);
    expect(JSON.stringify(audit)).not.toContain(key);
    expect(tenant.id).toMatch(/^tnt_/);
  });

  it("suspends a tenant at once and restores it, recording both in its audit log", async () => {
    const { tenant, key } = await newTenant();
    expect((await h.call("/v1/scans", { key })).status).toBe(200);
    clock.advance(1000);
    const res = await h.call(`/v1/admin/tenants/${tenant.id}`, {
      ...json("PATCH", { suspended: true }, platform),
      key: null,
    });
    expect(await res.json()).toMatchObject({ suspended: true, suspendedAt: "2026-04-20T10:00:01.001Z" });
    for (const path of ["/v1/scans", "/v1/keys", "/v1/policies"]) {
      const refused = await h.call(path, { key });
      expect(refused.status).toBe(403);
      const p = await problem(refused);
      expect(p.type).toBe("https://kubeguard.dev/problems/tenant-suspended");
      expect(p.title).toBe("Tenant suspended");
    }
    // Other tenants are not affected.
    expect((await h.call("/v1/scans")).status).toBe(200);
    clock.advance(1000);
    await h.call(`/v1/admin/tenants/${tenant.id}`, {
      ...json("PATCH", { suspended: false }, platform),
      key: null,
    });
    expect((await h.call("/v1/scans", { key })).status).toBe(200);
    const audit = await (await h.call("/v1/audit?actor=platform", { key })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual([
      "tenant.unsuspended",
      "tenant.suspended",
      "key.created",
      "tenant.created",
    ]);
  });

  it("deletes a tenant with every row it owns, in every tenant-scoped table", async () => {
    const { tenant, key } = await newTenant();
    const other = await newTenant("other");
    for (const k of [key, other.key]) {
      await h.call("/v1/scans", { ...yamlBody(PRIVILEGED, { "idempotency-key": "run-1" }), key: k });
      await h.call("/v1/settings", { ...json("PUT", { pssLevel: "baseline" }), key: k });
      await h.call("/v1/keys", { ...json("POST", { name: "ci", scopes: ["scan"] }), key: k });
      await h.call("/v1/hooks", { ...json("POST", { description: "argo" }), key: k });
    }
    const owned = async (id: string) => {
      const counts: Record<string, number> = {};
      for (const name of tenantScopedTableNames()) counts[name] = await rows(name, id);
      return counts;
    };
    const before = await owned(tenant.id);
    for (const table of [
      "api_keys",
      "scans",
      "findings",
      "scan_resources",
      "idempotency_keys",
      "tenant_settings",
      "audit_log",
    ])
      expect(before[table], table).toBeGreaterThan(0);

    const res = await h.call(`/v1/admin/tenants/${tenant.id}`, {
      method: "DELETE",
      key: null,
      headers: platform,
    });
    expect(res.status).toBe(204);
    expect(
      Object.values(await owned(tenant.id)).every((n) => n === 0),
      JSON.stringify(await owned(tenant.id)),
    ).toBe(true);
    expect((await h.call("/v1/scans", { key })).status).toBe(401);
    expect((await h.call(`/v1/admin/tenants/${tenant.id}`, { key: null, headers: platform })).status).toBe(
      404,
    );
    // The other tenant keeps everything.
    expect(await owned(other.tenant.id)).toEqual(before);
    expect((await h.call("/v1/scans", { key: other.key })).status).toBe(200);
  });

  it("finds every table with a tenant_id column for deletion, from the drizzle schema", () => {
    const names = tenantScopedTableNames();
    for (const t of [
      "api_keys",
      "scans",
      "findings",
      "scan_resources",
      "idempotency_keys",
      "tenant_settings",
      "audit_log",
    ])
      expect(names).toContain(t);
    // Every other table is the tenants table itself or the rate-limit counters (keyed by API key id).
    const all = Object.values(schema)
      .filter((v) => is(v, SQLiteTable))
      .map((t) => getTableName(t as SQLiteTable));
    expect(all.filter((n) => !names.includes(n)).sort()).toEqual(["rate_limits", "tenants"]);
  });
});

describe("tenant keys", () => {
  it("creates a key shown once, lists it without the key or hash, and revokes it at once", async () => {
    const res = await h.call("/v1/keys", json("POST", { name: "github-actions", scopes: ["scan"] }));
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = await res.json();
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      key: expect.stringMatching(/^kg_[A-Za-z0-9]{40}$/),
      name: "github-actions",
      prefix: created.key.slice(0, 11),
      scopes: ["scan"],
      createdAt: "2026-04-20T10:00:00.000Z",
      expiresAt: null,
    });
    expect((await h.call("/v1/scans", { key: created.key })).status).toBe(200);

    const listed = await (await h.call("/v1/keys")).json();
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.key);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    const row = listed.items.find((k: { id: string }) => k.id === created.id);
    expect(row).toEqual({
      id: created.id,
      name: "github-actions",
      prefix: created.prefix,
      scopes: ["scan"],
      createdAt: "2026-04-20T10:00:00.000Z",
      expiresAt: null,
      lastUsedAt: "2026-04-20T10:00:00.000Z",
      revokedAt: null,
    });

    expect((await h.call(`/v1/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    const refused = await h.call("/v1/scans", { key: created.key });
    expect(refused.status).toBe(401);
    // Revoking again changes nothing.
    expect((await h.call(`/v1/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    const after = (await (await h.call("/v1/keys")).json()).items.find(
      (k: { id: string }) => k.id === created.id,
    );
    expect(after.revokedAt).toBe("2026-04-20T10:00:00.000Z");
    const audit = (await (await h.call("/v1/audit")).json()).items.filter(
      (e: { target: string }) => e.target === created.id,
    );
    expect(audit.map((e: { action: string }) => e.action)).toEqual(["key.revoked", "key.created"]);
    expect(audit[1].details).toEqual({ name: "github-actions", scopes: ["scan"] });
  });

  it("revokes at once on the admission webhook too, whose verified keys are cached briefly", async () => {
    const created = await (
      await h.call("/v1/keys", json("POST", { name: "cluster", scopes: ["admission"] }))
    ).json();
    const review = (path: string) => h.call(path, { ...json("POST", {}), key: created.key });
    // A malformed review is a 400: the key was accepted (and is now in the cache).
    expect((await review("/v1/admission")).status).toBe(400);
    expect((await h.call(`/v1/admission/${created.key}`, { ...json("POST", {}), key: null })).status).toBe(
      400,
    );
    expect((await h.call(`/v1/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await review("/v1/admission")).status).toBe(401);
    expect((await h.call(`/v1/admission/${created.key}`, { ...json("POST", {}), key: null })).status).toBe(
      401,
    );
  });

  it("answers 404 for another tenant's key and for an unknown one", async () => {
    const other = await newTenant("other");
    const theirs = (await (await h.call("/v1/keys", { key: other.key })).json()).items[0].id;
    const res = await h.call(`/v1/keys/${theirs}`, { method: "DELETE" });
    expect(res.status).toBe(404);
    expect((await problem(res)).type).toBe("https://kubeguard.dev/problems/not-found");
    expect((await h.call("/v1/scans", { key: other.key })).status).toBe(200);
    expect((await h.call("/v1/keys/key_nope", { method: "DELETE" })).status).toBe(404);
  });

  it("validates names, scopes and expiry", async () => {
    for (const [body, path] of [
      [{ name: "x", scopes: [] }, "body.scopes"],
      [{ name: "x", scopes: ["write"] }, "body.scopes.0"],
      [{ name: "x", scopes: ["scan", "scan"] }, "body.scopes"],
      [{ name: "", scopes: ["scan"] }, "body.name"],
      [{ name: "x", scopes: ["scan"], expiresAt: "tomorrow" }, "body.expiresAt"],
      [{ name: "x", scopes: ["scan"], key: "kg_mine" }, "body"],
      [{ name: "x", scopes: ["scan"], expiresAt: "2026-04-20T09:59:59Z" }, "body.expiresAt"],
    ] as const) {
      const res = await h.call("/v1/keys", json("POST", body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await problem(res)).errors?.[0]?.path, JSON.stringify(body)).toBe(path);
    }
    expect(
      (
        await h.call("/v1/keys", {
          method: "POST",
          body: "name=x",
          headers: { "content-type": "text/plain" },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await h.call("/v1/keys", {
          method: "POST",
          body: "{",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    const big = JSON.stringify({ name: "x".repeat(70_000), scopes: ["scan"] });
    expect(
      (
        await h.call("/v1/keys", {
          method: "POST",
          body: big,
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(413);
  });

  it("refuses an expired key", async () => {
    const created = await (
      await h.call(
        "/v1/keys",
        json("POST", { name: "short", scopes: ["read"], expiresAt: "2026-04-20T10:05:00Z" }),
      )
    ).json();
    expect(created.expiresAt).toBe("2026-04-20T10:05:00.000Z");
    clock.set("2026-04-20T10:04:59Z");
    expect((await h.call("/v1/scans", { key: created.key })).status).toBe(200);
    clock.set("2026-04-20T10:05:00Z");
    expect((await h.call("/v1/scans", { key: created.key })).status).toBe(401);
  });

  it("records the last use at most once a minute per key", async () => {
    const created = await (await h.call("/v1/keys", json("POST", { name: "ci", scopes: ["read"] }))).json();
    const lastUsed = async () =>
      (await (await h.call("/v1/keys")).json()).items.find((k: { id: string }) => k.id === created.id)
        .lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await h.call("/v1/scans", { key: created.key });
    expect(await lastUsed()).toBe("2026-04-20T10:00:00.000Z");
    clock.advance(59_000);
    await h.call("/v1/scans", { key: created.key });
    expect(await lastUsed()).toBe("2026-04-20T10:00:00.000Z");
    clock.advance(1_000);
    await h.call("/v1/scans", { key: created.key });
    expect(await lastUsed()).toBe("2026-04-20T10:01:00.000Z");
  });

  it("never lets a key grant a scope its creator lacks", () => {
    expect(canGrant(["admin"], "admin")).toBe(true);
    expect(canGrant(["admin"], "scan")).toBe(true);
    expect(canGrant(["admin"], "admission")).toBe(true);
    expect(canGrant(["scan"], "admin")).toBe(false);
    expect(canGrant(["scan"], "read")).toBe(true);
    expect(canGrant(["read"], "scan")).toBe(false);
    expect(canGrant(["admission"], "admission")).toBe(true);
    expect(canGrant(["admission"], "read")).toBe(false);
  });

  it("lets an admin create keys of every scope, and only an admin create keys at all", async () => {
    const res = await h.call(
      "/v1/keys",
      json("POST", { name: "all", scopes: ["admin", "scan", "read", "admission"] }),
    );
    expect(res.status).toBe(201);
    const scanKey = (await (await h.call("/v1/keys", json("POST", { name: "ci", scopes: ["scan"] }))).json())
      .key;
    const refused = await h.call("/v1/keys", {
      ...json("POST", { name: "mine", scopes: ["scan"] }),
      key: scanKey,
    });
    expect(refused.status).toBe(403);
    expect((await problem(refused)).type).toBe("https://kubeguard.dev/problems/insufficient-scope");
  });
});

describe("tenant settings", () => {
  it("starts empty, takes JSON or a .kubeguard.yaml file, and audits what changed", async () => {
    expect(await (await h.call("/v1/settings")).json()).toEqual({});
    const put = await h.call("/v1/settings", json("PUT", { pssLevel: "baseline", failOn: "critical" }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ pssLevel: "baseline", failOn: "critical" });
    expect(put.headers.get("last-modified")).toBe("Mon, 20 Apr 2026 10:00:00 GMT");
    const yaml = `# .kubeguard.yaml\npssLevel: baseline\nfailOn: high\nexemptions:\n  - checks: [pss.host-namespaces]\n    namespace: batch\n    reason: node agent\n    until: 2026-12-31\n`;
    const fromYaml = await h.call("/v1/settings", {
      method: "PUT",
      body: yaml,
      headers: { "content-type": "application/yaml" },
    });
    expect(fromYaml.status).toBe(200);
    const expected = {
      pssLevel: "baseline",
      failOn: "high",
      exemptions: [
        { checks: ["pss.host-namespaces"], namespace: "batch", reason: "node agent", until: "2026-12-31" },
      ],
    };
    expect(await fromYaml.json()).toEqual(expected);
    expect(await (await h.call("/v1/settings")).json()).toEqual(expected);
    const audit = (await (await h.call("/v1/audit?action=settings.updated")).json()).items;
    expect(audit.map((e: { details: unknown }) => e.details)).toEqual([
      { changed: ["exemptions", "failOn"] },
      { changed: ["failOn", "pssLevel"] },
    ]);
    expect(audit[0].actor).toMatch(/^key_/);
    expect(audit[0].target).toBe("settings");
  });

  it("answers 400 naming each bad key, value or check, with the CLI's messages", async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ pssLevl: "baseline" }, "body", /unknown key "pssLevl"/],
      [{ pssLevel: "strict" }, "body.pssLevel", /Invalid option/],
      [{ pssVersion: "1.30" }, "body.pssVersion", /latest/],
      [
        { checks: { disabled: ["pss.privilegd"] } },
        "body.checks.disabled.0",
        /unknown check "pss.privilegd"/,
      ],
      [{ checks: { severity: { "nope.nope": "high" } } }, "body.checks.severity.nope.nope", /unknown check/],
      [{ exemptions: [{ checks: ["*"] }] }, "body.exemptions.0.reason", /./],
      [
        { exemptions: [{ checks: ["*"], reason: "x", until: "soon" }] },
        "body.exemptions.0.until",
        /YYYY-MM-DD/,
      ],
      [
        { admission: { enforce: { level: "baseline", extra: 1 } } },
        "body.admission.enforce",
        /unknown key "extra"/,
      ],
      [[], "body", /object/],
    ];
    for (const [body, path, message] of cases) {
      const res = await h.call("/v1/settings", json("PUT", body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const p = await problem(res);
      expect(p.errors?.[0]?.path, JSON.stringify(body)).toBe(path);
      expect(p.errors?.[0]?.message, JSON.stringify(body)).toMatch(message);
    }
    const badYaml = await h.call("/v1/settings", {
      method: "PUT",
      body: "pssLevel: baseline\n  failOn: [\n",
      headers: { "content-type": "application/yaml" },
    });
    const p = await problem(badYaml);
    expect(p.status).toBe(400);
    expect(p.errors?.[0]?.line).toBeGreaterThanOrEqual(1);
    expect(
      (await h.call("/v1/settings", { method: "PUT", body: "{}", headers: { "content-type": "text/plain" } }))
        .status,
    ).toBe(415);
    const big = JSON.stringify({
      exemptions: Array.from({ length: 2000 }, () => ({ checks: ["*"], reason: "x".repeat(30) })),
    });
    expect(
      (
        await h.call("/v1/settings", {
          method: "PUT",
          body: big,
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(413);
    // Nothing was stored by the failures.
    expect(await (await h.call("/v1/settings")).json()).toEqual({});
  });

  it("applies to scans and evaluations without explicit options; a scan records them", async () => {
    const settings = {
      pssLevel: "baseline",
      failOn: "critical",
      exemptions: [{ checks: ["pss.host-namespaces"], namespace: "batch", reason: "node agent" }],
    };
    await h.call("/v1/settings", json("PUT", settings));
    const res = await h.call("/v1/scans", yamlBody(HOST_NETWORK));
    const scan = await res.json();
    expect(scan.options).toEqual({ pssLevel: "baseline", pssVersion: "latest", failOn: "critical" });
    expect(scan.settings).toEqual(settings);
    const findings = (await (await h.call(`/v1/scans/${scan.id}/findings?check=pss.host-namespaces`)).json())
      .items;
    expect(findings[0].suppression).toEqual({ source: "settings", reason: "node agent" });
    expect((await (await h.call(`/v1/scans/${scan.id}`)).json()).settings).toEqual(settings);
    // Listings leave the settings out.
    expect((await (await h.call("/v1/scans")).json()).items[0]).not.toHaveProperty("settings");

    // An explicit option wins over the setting.
    const explicit = await (await h.call("/v1/scans?pssLevel=restricted", yamlBody(HARDENED))).json();
    expect(explicit.options.pssLevel).toBe("restricted");
    expect(explicit.options.failOn).toBe("critical");

    const report = await (await h.call("/v1/evaluate", yamlBody(HOST_NETWORK))).json();
    expect(report.options).toEqual({ pssLevel: "baseline", pssVersion: "latest", failOn: "critical" });
    expect(report.findings.find((f: { check: string }) => f.check === "pss.host-namespaces").suppressed).toBe(
      true,
    );

    // Changing the settings does not rewrite what an earlier scan ran with.
    await h.call("/v1/settings", json("PUT", {}));
    expect((await (await h.call(`/v1/scans/${scan.id}`)).json()).settings).toEqual(settings);
    const plain = await (await h.call("/v1/scans", yamlBody(HARDENED))).json();
    expect(plain.settings).toEqual({});
  });

  it("are per tenant", async () => {
    const other = await newTenant("other");
    await h.call("/v1/settings", json("PUT", { pssLevel: "baseline" }));
    expect(await (await h.call("/v1/settings", { key: other.key })).json()).toEqual({});
    const scan = await (await h.call("/v1/scans", { ...yamlBody(HARDENED), key: other.key })).json();
    expect(scan.options.pssLevel).toBe("restricted");
  });
});

describe("audit log", () => {
  it("pages newest first, filters, and has no route that changes it", async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await h.call("/v1/keys", json("POST", { name: `k${i}`, scopes: ["read"] }));
    }
    const first = await (await h.call("/v1/audit?limit=2")).json();
    expect(first.items.map((e: { details: { name: string } }) => e.details.name)).toEqual(["k4", "k3"]);
    const second = await (await h.call(`/v1/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((e: { details: { name: string } }) => e.details.name)).toEqual(["k2", "k1"]);
    const bootstrapKey = (await h.store.apiKeys.verify(KEY, clock.now()))?.keyId;
    expect(first.items[0]).toMatchObject({
      actor: bootstrapKey,
      action: "key.created",
      at: "2026-04-20T10:00:05.000Z",
    });
    expect((await (await h.call("/v1/audit?action=key.revoked")).json()).items).toEqual([]);
    expect((await problem(await h.call("/v1/audit?cursor=nope"))).status).toBe(400);
    for (const method of ["PUT", "PATCH", "DELETE", "POST"])
      expect((await h.call("/v1/audit", { method })).status, method).toBe(404);
    expect((await h.call(`/v1/audit/${first.items[0].id}`, { method: "DELETE" })).status).toBe(404);
  });
});

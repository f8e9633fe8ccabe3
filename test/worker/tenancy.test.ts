/**
 * Tenancy on workerd with D1: the platform operator creates a tenant and its key through the admin
 * API, the key scans; settings apply; the D1-backed rate limiter refuses above the tenant's limit; the
 * Worker's `scheduled` handler (the cron trigger) applies the tenant's retention.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker.ts";

const BASE = "http://kubeguard.test";
const platform = {
  authorization: `Bearer ${env.KUBEGUARD_PLATFORM_TOKEN}`,
  "content-type": "application/json",
};

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: sniffer
  namespace: batch
spec:
  hostNetwork: true
  containers:
    - name: app
      image: busybox:1.36
`;

const fetch = (path: string, init?: RequestInit) => exports.default.fetch(`${BASE}${path}`, init);

async function newTenantWithKey(name: string): Promise<{ id: string; key: string }> {
  const created = await fetch("/v1/admin/tenants", {
    method: "POST",
    headers: platform,
    body: JSON.stringify({ name }),
  });
  expect(created.status).toBe(201);
  const tenant = (await created.json()) as { id: string };
  const k = await fetch(`/v1/admin/tenants/${tenant.id}/keys`, {
    method: "POST",
    headers: platform,
    body: JSON.stringify({ name: "first admin", scopes: ["admin"] }),
  });
  expect(k.status).toBe(201);
  return { id: tenant.id, key: ((await k.json()) as { key: string }).key };
}

describe("tenancy on D1", () => {
  it("admin → tenant → key → settings → scan", async () => {
    // The tenant key is refused on the admin API, the platform token on the tenant API.
    expect(
      (
        await fetch("/v1/admin/tenants", {
          headers: { authorization: `Bearer ${env.KUBEGUARD_BOOTSTRAP_KEY}` },
        })
      ).status,
    ).toBe(401);
    expect((await fetch("/v1/scans", { headers: platform })).status).toBe(401);

    const { id, key } = await newTenantWithKey("acme");
    const auth = { authorization: `Bearer ${key}` };
    const settings = await fetch("/v1/settings", {
      method: "PUT",
      headers: { ...auth, "content-type": "application/yaml" },
      body: "pssLevel: baseline\nexemptions:\n  - checks: [pss.host-namespaces]\n    namespace: batch\n    reason: node agent\n",
    });
    expect(settings.status).toBe(200);

    const scan = await fetch("/v1/scans", {
      method: "POST",
      headers: { ...auth, "content-type": "application/yaml" },
      body: POD,
    });
    expect(scan.status).toBe(201);
    expect(scan.headers.get("ratelimit-policy")).toBe("600;w=60, 10000;w=86400");
    const { id: scanId } = (await scan.json()) as { id: string };
    const got = (await (await fetch(`/v1/scans/${scanId}`, { headers: auth })).json()) as {
      options: { pssLevel: string };
      settings: { pssLevel: string };
      summary: { suppressed: number };
    };
    expect(got.options.pssLevel).toBe("baseline");
    expect(got.settings.pssLevel).toBe("baseline");
    expect(got.summary.suppressed).toBeGreaterThan(0);
    // Another tenant does not see it.
    expect(
      (
        await fetch(`/v1/scans/${scanId}`, {
          headers: { authorization: `Bearer ${env.KUBEGUARD_BOOTSTRAP_KEY}` },
        })
      ).status,
    ).toBe(404);

    const audit = (await (await fetch("/v1/audit", { headers: auth })).json()) as {
      items: { action: string }[];
    };
    expect(audit.items.map((e) => e.action)).toEqual(["settings.updated", "key.created", "tenant.created"]);

    // Suspended: 403 at once; deleted: the key is gone with the data.
    await fetch(`/v1/admin/tenants/${id}`, {
      method: "PATCH",
      headers: platform,
      body: JSON.stringify({ suspended: true }),
    });
    expect((await fetch("/v1/scans", { headers: auth })).status).toBe(403);
    expect((await fetch(`/v1/admin/tenants/${id}`, { method: "DELETE", headers: platform })).status).toBe(
      204,
    );
    expect((await fetch("/v1/scans", { headers: auth })).status).toBe(401);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE tenant_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("limits requests per minute with the D1 counter", async () => {
    const { id, key } = await newTenantWithKey("limited");
    await fetch(`/v1/admin/tenants/${id}`, {
      method: "PATCH",
      headers: platform,
      body: JSON.stringify({ rateLimit: { requestsPerMinute: 2 } }),
    });
    const auth = { authorization: `Bearer ${key}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch("/v1/policies", { headers: auth })).status);
    // Unless the minute turned between two requests, the third is refused.
    if (statuses[2] === 429) {
      const refused = await fetch("/v1/policies", { headers: auth });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("ratelimit-limit")).toBe("2");
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
  });

  it("applies retention from the scheduled handler", async () => {
    const { id, key } = await newTenantWithKey("short-memory");
    await fetch(`/v1/admin/tenants/${id}`, {
      method: "PATCH",
      headers: platform,
      body: JSON.stringify({ retention: { maxScans: 1 } }),
    });
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/yaml" };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch("/v1/scans", { method: "POST", headers: auth, body: POD });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    const listed = (await (await fetch("/v1/scans", { headers: auth })).json()) as {
      items: { id: string }[];
    };
    expect(listed.items).toHaveLength(1);
    expect(ids).toContain(listed.items[0]?.id);
    const findings = await env.DB.prepare(
      "SELECT count(DISTINCT scan_id) AS n FROM findings WHERE tenant_id = ?",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(findings?.n).toBe(1);
  });
});

/**
 * Authentication on every operation of the OpenAPI document, and tenant isolation on every scan route.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathCredential } from "../../src/api/credentials.ts";
import { buildOpenApiDocument } from "../../src/api/openapi.ts";
import { HARDENED, PRIVILEGED } from "./fixtures.ts";
import { type Harness, harness, KEY, problem, yamlBody } from "./helpers.ts";

let h: Harness;
let scanId: string;
beforeAll(async () => {
  h = await harness();
  const res = await h.call("/v1/scans", yamlBody(PRIVILEGED));
  scanId = (await res.json()).id;
});
afterAll(async () => {
  await h.close();
});

/** `secured`: a tenant API key route; `platform`: an admin route (test/api/auth-matrix.test.ts covers those). */
type Operation = { method: string; path: string; secured: boolean; platform: boolean };

const operations: Operation[] = [];
const doc = buildOpenApiDocument();
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const method of ["get", "post", "put", "patch", "delete"] as const) {
    const op = (item as Record<string, { security?: Record<string, unknown>[] } | undefined>)[method];
    const security = op?.security ?? doc.security ?? [];
    if (op)
      operations.push({
        method: method.toUpperCase(),
        path,
        secured: security.some((s) => "bearerAuth" in s),
        platform: security.some((s) => "platformToken" in s),
      });
  }
}

function concrete(path: string): string {
  return path.replace("{id}", scanId ?? "scn_x").replace("/diff", "/diff?base=scn_x");
}

function requestFor(op: Operation, headers: Record<string, string>): RequestInit & { key: null } {
  const init: RequestInit & { key: null } = { method: op.method, headers: { ...headers }, key: null };
  if (op.method === "POST") {
    init.body = HARDENED;
    (init.headers as Record<string, string>)["content-type"] = "application/yaml";
  }
  return init;
}

describe("authentication", () => {
  it("covers every documented operation", () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    expect(
      operations
        // Routes with a credential of their own (signature, token in the path) are not public.
        .filter((o) => !o.secured && !o.platform && !pathCredential(o.method, o.path))
        .map((o) => o.path)
        .sort(),
    ).toEqual(["/docs", "/healthz", "/openapi.json", "/openapi.yaml"]);
  });

  const wrong: [string, Record<string, string>][] = [
    ["no Authorization", {}],
    ["an unknown key", { authorization: `Bearer kg_${"Q".repeat(40)}` }],
    ["a key one character off", { authorization: `Bearer ${KEY.slice(0, -1)}X` }],
    ["a malformed key", { authorization: "Bearer not-a-key" }],
    ["another scheme", { authorization: `Basic ${btoa(`user:${KEY}`)}` }],
    ["an empty bearer", { authorization: "Bearer " }],
  ];

  for (const op of operations.filter((o) => o.secured)) {
    for (const [label, headers] of wrong) {
      it(`${op.method} ${op.path} with ${label} → 401`, async () => {
        const res = await h.call(concrete(op.path), requestFor(op, headers));
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="kubeguard"/);
        const p = await problem(res);
        expect(p.type).toBe("https://kubeguard.dev/problems/unauthorized");
        expect(JSON.stringify(p)).not.toContain(KEY);
      });
    }
  }

  for (const op of operations.filter((o) => !o.secured && !o.platform && !pathCredential(o.method, o.path))) {
    it(`${op.method} ${op.path} needs no key`, async () => {
      const res = await h.call(op.path, { key: null });
      expect(res.status).toBe(200);
    });
  }

  it("accepts a lowercase bearer scheme", async () => {
    const res = await h.call("/v1/policies", { key: null, headers: { authorization: `bearer ${KEY}` } });
    expect(res.status).toBe(200);
  });

  it("refuses a revoked or expired key", async () => {
    const now = h.clock.now();
    const revoked = await h.store.apiKeys.create("default", { name: "ci", scopes: ["scan"] }, now);
    expect((await h.call("/v1/policies", { key: revoked.key })).status).toBe(200);
    await h.store.apiKeys.revoke("default", revoked.keyId, now);
    expect((await h.call("/v1/policies", { key: revoked.key })).status).toBe(401);
    // The clock moves one second per reading: valid on the next request, expired two readings later.
    const later = h.clock.now();
    const expired = await h.store.apiKeys.create(
      "default",
      { name: "old", scopes: ["scan"], expiresAt: new Date(later.getTime() + 1500) },
      later,
    );
    expect((await h.call("/v1/policies", { key: expired.key })).status).toBe(200);
    h.clock.now();
    h.clock.now();
    expect((await h.call("/v1/policies", { key: expired.key })).status).toBe(401);
  });

  it("stores keys as prefix and hash only", async () => {
    const created = await h.store.apiKeys.create("default", { name: "x", scopes: ["read"] }, h.clock.now());
    expect(created.key).toMatch(/^kg_[A-Za-z0-9]{40}$/);
    expect(created.prefix).toBe(created.key.slice(0, 11));
  });
});

describe("tenant isolation", () => {
  let other: { tenantId: string; key: string };
  let otherScanId: string;
  beforeAll(async () => {
    other = await h.otherTenant();
    otherScanId = (await (await h.call("/v1/scans", { ...yamlBody(HARDENED), key: other.key })).json()).id;
  });

  it("answers 404, never 403, for another tenant's scan on every scan route", async () => {
    const paths = [
      `/v1/scans/${scanId}`,
      `/v1/scans/${scanId}/findings`,
      `/v1/scans/${scanId}/report?format=sarif`,
      `/v1/scans/${scanId}/diff?base=${otherScanId}`,
      `/v1/scans/${otherScanId}/diff?base=${scanId}`,
    ];
    for (const path of paths) {
      const res = await h.call(path, { key: other.key });
      expect(res.status, path).toBe(404);
      expect((await problem(res)).type).toBe("https://kubeguard.dev/problems/not-found");
    }
    expect((await h.call(`/v1/scans/${scanId}`, { method: "DELETE", key: other.key })).status).toBe(404);
    // Still there for its owner.
    expect((await h.call(`/v1/scans/${scanId}`)).status).toBe(200);
  });

  it("lists only the caller's scans", async () => {
    const mine = (await (await h.call("/v1/scans")).json()).items.map((s: { id: string }) => s.id);
    const theirs = (await (await h.call("/v1/scans", { key: other.key })).json()).items.map(
      (s: { id: string }) => s.id,
    );
    expect(mine).toContain(scanId);
    expect(mine).not.toContain(otherScanId);
    expect(theirs).toEqual([otherScanId]);
  });
});

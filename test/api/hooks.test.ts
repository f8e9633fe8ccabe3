/**
 * Inbound hooks: creation (secret shown once), listing and deletion by tenant admins, and signed posts
 * to POST /v1/hooks/{id} in both schemes, with bad or missing signatures, old timestamps and replays.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signGithub } from "../../src/webhooks/github.ts";
import { signStandard } from "../../src/webhooks/standard.ts";
import { HARDENED, PRIVILEGED } from "./fixtures.ts";
import { problem } from "./helpers.ts";
import { ADMIN_KEY, type IntegrationHarness, integrationHarness } from "./integrations-helpers.ts";

let h: IntegrationHarness;
beforeEach(async () => {
  h = await integrationHarness();
});
afterEach(async () => {
  await h.close();
});

async function createHook(body?: unknown): Promise<{ id: string; secret: string; url: string }> {
  const res = await h.call("/v1/hooks", {
    method: "POST",
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
      : {}),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** Headers of a Standard Webhooks signed request at the app's clock (or `at`). */
async function standardHeaders(secret: string, body: string, id = "msg_1", at = h.clock.now()) {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "content-type": "application/yaml",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signStandard(secret, { id, timestamp, body }),
  };
}

async function scanCount(): Promise<number> {
  const res = await h.call("/v1/scans?limit=100");
  return ((await res.json()) as { items: unknown[] }).items.length;
}

describe("POST /v1/hooks, GET /v1/hooks, DELETE /v1/hooks/{id}", () => {
  it("creates a hook with a whsec_ secret shown once and lists it without the secret", async () => {
    const created = await h.call("/v1/hooks", {
      method: "POST",
      body: JSON.stringify({ description: "Argo CD" }),
      headers: { "content-type": "application/json" },
    });
    expect(created.status).toBe(201);
    const hook = await created.json();
    expect(hook.id).toMatch(/^hk_[A-Za-z0-9]{20}$/);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook).toMatchObject({
      url: `/v1/hooks/${hook.id}`,
      description: "Argo CD",
      createdAt: "2026-04-20T10:00:00.000Z",
    });
    expect(created.headers.get("location")).toBe(`/v1/hooks/${hook.id}`);
    expect(created.headers.get("cache-control")).toBe("no-store");

    const list = await h.call("/v1/hooks");
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(hook.secret);
    expect(text).not.toContain("whsec_");
    expect(JSON.parse(text).items).toEqual([
      {
        id: hook.id,
        url: `/v1/hooks/${hook.id}`,
        description: "Argo CD",
        createdAt: "2026-04-20T10:00:00.000Z",
      },
    ]);
    // Neither the audit log nor the logs carry the secret.
    expect(JSON.stringify(await h.store.audit.list("default", {}, 100))).not.toContain(hook.secret);
    expect(JSON.stringify(h.logs)).not.toContain(hook.secret);
  });

  it("takes no body, and refuses unknown fields", async () => {
    const hook = await createHook();
    expect(hook.id).toMatch(/^hk_/);
    const bad = await h.call("/v1/hooks", {
      method: "POST",
      body: JSON.stringify({ secret: "mine" }),
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
  });

  it("gives absolute URLs when the public URL is configured", async () => {
    await h.close();
    h = await integrationHarness({ config: { publicUrl: "https://kubeguard.example.com" } });
    const hook = await createHook();
    expect(hook.url).toBe(`https://kubeguard.example.com/v1/hooks/${hook.id}`);
  });

  it("needs the admin scope and keeps hooks per tenant", async () => {
    const scan = await h.key(["scan"]);
    expect((await h.call("/v1/hooks", { method: "POST", key: scan })).status).toBe(403);
    expect((await h.call("/v1/hooks", { key: scan })).status).toBe(403);
    expect((await h.call("/v1/hooks", { key: null })).status).toBe(401);
    const hook = await createHook();
    const other = await h.otherTenant();
    expect((await (await h.call("/v1/hooks", { key: other.key })).json()).items).toEqual([]);
    expect((await h.call(`/v1/hooks/${hook.id}`, { method: "DELETE", key: other.key })).status).toBe(404);
    expect((await h.call(`/v1/hooks/${hook.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.call(`/v1/hooks/${hook.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await (await h.call("/v1/hooks")).json()).items).toEqual([]);
  });

  it("stores the secret sealed when KUBEGUARD_SECRET_KEY is set, and still verifies", async () => {
    await h.close();
    h = await integrationHarness({ config: { secretKey: "k".repeat(40) } });
    const hook = await createHook();
    const found = await h.store.hooks.find(hook.id);
    expect(found?.storedSecret).toMatch(/^enc:v1:/);
    expect(found?.storedSecret).not.toContain(hook.secret.slice(6));
    const res = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED),
    });
    expect(res.status).toBe(201);
  });
});

describe("POST /v1/hooks/{id}", () => {
  it("stores a scan in the hook's tenant for a Standard Webhooks signature, with query options and source", async () => {
    const hook = await createHook();
    const res = await h.call(
      `/v1/hooks/${hook.id}?pssLevel=baseline&repository=github.com/acme/payments&branch=main`,
      {
        method: "POST",
        key: null,
        body: PRIVILEGED,
        headers: { ...(await standardHeaders(hook.secret, PRIVILEGED)), "x-github-event": "push" },
      },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const scan = await res.json();
    expect(res.headers.get("location")).toBe(`/v1/scans/${scan.id}`);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(scan.options.pssLevel).toBe("baseline");
    expect(scan.verdict.passed).toBe(false);
    expect(scan.source).toEqual({
      repository: "github.com/acme/payments",
      branch: "main",
      labels: { "kubeguard.dev/hook": hook.id, "kubeguard.dev/event": "push" },
    });
    // The tenant's admin sees it.
    const got = await h.call(`/v1/scans/${scan.id}`);
    expect(got.status).toBe(200);
    await h.settle();
    expect((await (await h.call("/v1/hooks")).json()).items[0].lastUsedAt).toBe("2026-04-20T10:00:00.000Z");
  });

  it("stores a scan for a GitHub-style X-Hub-Signature-256 keyed with the secret string", async () => {
    const hook = await createHook();
    const res = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: {
        "content-type": "application/yaml",
        "x-hub-signature-256": await signGithub(hook.secret, HARDENED),
        "x-gitlab-event": "Push Hook",
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const scan = await res.json();
    expect(scan.verdict.passed).toBe(true);
    expect(scan.source.labels).toEqual({ "kubeguard.dev/hook": hook.id, "kubeguard.dev/event": "Push Hook" });
  });

  it("verifies the raw bytes: JSON bodies with odd spacing and multipart bodies", async () => {
    const hook = await createHook();
    const json =
      '{ "apiVersion":"v1",  "kind":"Pod", "metadata":{"name":"p","namespace":"x"},\n "spec":{"containers":[{"name":"a","image":"busybox"}]} }';
    const ok = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: json,
      headers: {
        ...(await standardHeaders(hook.secret, json, "msg_json")),
        "content-type": "application/json",
      },
    });
    expect(ok.status).toBe(201);
    const form = new FormData();
    form.append("file", new Blob([HARDENED]), "k8s/web.yaml");
    const request = new Request("http://x/", { method: "POST", body: form });
    const bytes = new Uint8Array(await request.arrayBuffer());
    const type = request.headers.get("content-type") ?? "";
    const timestamp = Math.floor(h.clock.now().getTime() / 1000);
    const multipart = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: bytes,
      headers: {
        "content-type": type,
        "webhook-id": "msg_form",
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signStandard(hook.secret, { id: "msg_form", timestamp, body: bytes }),
      },
    });
    expect(multipart.status, await multipart.clone().text()).toBe(201);
  });

  it("answers 401 for a bad or missing signature and stores nothing", async () => {
    const hook = await createHook();
    const other = await createHook();
    const cases: Record<string, string>[] = [
      { "content-type": "application/yaml" },
      await standardHeaders(other.secret, PRIVILEGED),
      { ...(await standardHeaders(hook.secret, PRIVILEGED)), "webhook-id": "msg_other" },
      { ...(await standardHeaders(hook.secret, PRIVILEGED)), "webhook-signature": "v1,AAAA" },
      {
        "content-type": "application/yaml",
        "x-hub-signature-256": await signGithub(other.secret, PRIVILEGED),
      },
      { "content-type": "application/yaml", "x-hub-signature-256": "sha256=zz" },
      // A bearer key is no substitute for the signature.
      { "content-type": "application/yaml", authorization: `Bearer ${ADMIN_KEY}` },
    ];
    for (const headers of cases) {
      const res = await h.call(`/v1/hooks/${hook.id}`, {
        method: "POST",
        key: null,
        body: PRIVILEGED,
        headers,
      });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      const p = await problem(res);
      expect(p.type).toBe("https://kubeguard.dev/problems/unauthorized");
    }
    // The body was signed, then changed.
    const tampered = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: `${PRIVILEGED}\n`,
      headers: await standardHeaders(hook.secret, PRIVILEGED),
    });
    expect(tampered.status).toBe(401);
    expect(await scanCount()).toBe(0);
  });

  it("refuses timestamps older (or newer) than 5 minutes", async () => {
    const hook = await createHook();
    const old = new Date(h.clock.now().getTime() - 301_000);
    const res = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_old", old),
    });
    expect(res.status).toBe(401);
    expect((await problem(res)).detail).toContain("too old");
    const future = new Date(h.clock.now().getTime() + 301_000);
    const ahead = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_future", future),
    });
    expect(ahead.status).toBe(401);
    // Four minutes is within the tolerance.
    const recent = new Date(h.clock.now().getTime() - 240_000);
    const ok = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_recent", recent),
    });
    expect(ok.status).toBe(201);
    expect(await scanCount()).toBe(1);
  });

  it("answers a replayed webhook-id with the first scan and creates no second one", async () => {
    const hook = await createHook();
    const headers = await standardHeaders(hook.secret, PRIVILEGED, "msg_replay");
    const first = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: PRIVILEGED,
      headers,
    });
    expect(first.status).toBe(201);
    const scan = await first.json();
    h.clock.advance(60_000);
    const again = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: PRIVILEGED,
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe(scan.id);
    // Re-signed at a later time, same id: still the same scan.
    const resigned = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: PRIVILEGED,
      headers: await standardHeaders(hook.secret, PRIVILEGED, "msg_replay"),
    });
    expect((await resigned.json()).id).toBe(scan.id);
    // The same id with another body is a conflict.
    const conflict = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_replay"),
    });
    expect(conflict.status).toBe(409);
    // A new id is a new scan; a repeated X-GitHub-Delivery is a replay too.
    const fresh = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: PRIVILEGED,
      headers: await standardHeaders(hook.secret, PRIVILEGED, "msg_new"),
    });
    expect((await fresh.json()).id).not.toBe(scan.id);
    const gh = {
      "content-type": "application/yaml",
      "x-hub-signature-256": await signGithub(hook.secret, HARDENED),
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    };
    const g1 = await (
      await h.call(`/v1/hooks/${hook.id}`, { method: "POST", key: null, body: HARDENED, headers: gh })
    ).json();
    const g2 = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: gh,
    });
    expect((await g2.json()).id).toBe(g1.id);
    expect(await scanCount()).toBe(3);
  });

  it("answers 404 for an unknown or deleted hook, and body errors after the signature", async () => {
    const unknown = await h.call("/v1/hooks/hk_00000000000000000000", {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: { "content-type": "application/yaml" },
    });
    expect(unknown.status).toBe(404);
    const hook = await createHook();
    const text = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: { ...(await standardHeaders(hook.secret, HARDENED, "msg_csv")), "content-type": "text/csv" },
    });
    expect(text.status).toBe(415);
    const query = await h.call(`/v1/hooks/${hook.id}?pssLevel=nope`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_q"),
    });
    expect(query.status).toBe(400);
    const empty = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: "# nothing\n",
      headers: await standardHeaders(hook.secret, "# nothing\n", "msg_empty"),
    });
    expect(empty.status).toBe(422);
    await h.call(`/v1/hooks/${hook.id}`, { method: "DELETE" });
    const gone = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED, "msg_gone"),
    });
    expect(gone.status).toBe(404);
    expect(await scanCount()).toBe(0);
  });

  it("refuses a suspended tenant's hook with 403", async () => {
    const hook = await createHook();
    await h.store.tenants.update("default", { suspended: true }, h.clock.now());
    const res = await h.call(`/v1/hooks/${hook.id}`, {
      method: "POST",
      key: null,
      body: HARDENED,
      headers: await standardHeaders(hook.secret, HARDENED),
    });
    expect(res.status).toBe(403);
    expect((await problem(res)).type).toBe("https://kubeguard.dev/problems/tenant-suspended");
  });
});

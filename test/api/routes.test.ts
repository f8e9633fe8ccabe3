/**
 * Body limits, /v1/evaluate, the registry routes, health, the documents, and the error handler.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { DEFAULT_APP_CONFIG } from "../../src/config.ts";
import { CHECKS } from "../../src/policies/registry.ts";
import { scanInputs } from "../../src/scan/run.ts";
import type { Store } from "../../src/store/index.ts";
import { HARDENED, PRIVILEGED } from "./fixtures.ts";
import { type Harness, harness, KEY, problem, steppingClock, yamlBody } from "./helpers.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function stream(text: string, chunk = 64): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

describe("body limit", () => {
  it("answers 413 when Content-Length is above the limit, before reading", async () => {
    h = await harness({ maxBodyBytes: 1024 });
    for (const path of ["/v1/scans", "/v1/evaluate"]) {
      const res = await h.call(path, yamlBody("x".repeat(10), { "content-length": "1025" }));
      expect(res.status).toBe(413);
      const p = await problem(res);
      expect(p.type).toBe("https://kubeguard.dev/problems/payload-too-large");
      expect(p.detail).toContain("1024");
    }
  });

  it("answers 413 when a body without Content-Length streams past the limit", async () => {
    h = await harness({ maxBodyBytes: 1024 });
    const res = await h.call("/v1/scans", {
      method: "POST",
      headers: { "content-type": "application/yaml" },
      body: stream(PRIVILEGED.repeat(10)),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await (await h.call("/v1/scans")).json()).items).toHaveLength(0);
  });

  it("accepts a streamed body under the limit", async () => {
    h = await harness({ maxBodyBytes: 4096 });
    const res = await h.call("/v1/evaluate", {
      method: "POST",
      headers: { "content-type": "application/yaml" },
      body: stream(PRIVILEGED),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
  });

  it("defaults to 10 MB", () => {
    expect(DEFAULT_APP_CONFIG.maxBodyBytes).toBe(10 * 1024 * 1024);
  });
});

describe("POST /v1/evaluate", () => {
  it("answers the full JSON report and stores nothing", async () => {
    h = await harness();
    const res = await h.call(
      "/v1/evaluate?pssLevel=baseline&failOn=medium",
      yamlBody(`${PRIVILEGED}---\n${HARDENED}`),
    );
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.schemaVersion).toBe(1);
    expect(report.options).toEqual({ pssLevel: "baseline", pssVersion: "latest", failOn: "medium" });
    const expected = scanInputs({
      inputs: [{ file: "manifest.yaml", text: `${PRIVILEGED}---\n${HARDENED}` }],
      options: { pssLevel: "baseline", failOn: "medium" },
    });
    expect(report).toEqual(expected);
    expect((await (await h.call("/v1/scans")).json()).items).toHaveLength(0);
  });

  it("answers 400, 415 and 422 like POST /v1/scans", async () => {
    h = await harness();
    expect((await h.call("/v1/evaluate?pssLevel=x", yamlBody(HARDENED))).status).toBe(400);
    expect(
      (
        await h.call("/v1/evaluate", {
          method: "POST",
          body: HARDENED,
          headers: { "content-type": "text/csv" },
        })
      ).status,
    ).toBe(415);
    expect((await h.call("/v1/evaluate", yamlBody("kind: [\n"))).status).toBe(422);
  });
});

describe("registry routes", () => {
  it("lists every check, gets one by id or alias, and 404s an unknown one", async () => {
    h = await harness();
    const list = await (await h.call("/v1/policies")).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual(CHECKS.map((c) => c.id));
    const one = await (await h.call("/v1/policies/pss.privileged")).json();
    expect(one).toMatchObject({
      id: "pss.privileged",
      scope: "pss",
      pssCheck: "privileged",
      severity: expect.any(String),
    });
    expect(one).not.toHaveProperty("evaluate");
    const aliased = CHECKS.find((c) => c.aliases?.length);
    if (aliased)
      expect((await (await h.call(`/v1/policies/${aliased.aliases?.[0]}`)).json()).id).toBe(aliased.id);
    const missing = await h.call("/v1/policies/pss.nope");
    expect(missing.status).toBe(404);
    await problem(missing);
  });

  it("lists frameworks with their controls and mapped checks", async () => {
    h = await harness();
    const { items } = await (await h.call("/v1/frameworks")).json();
    const pss = items.find((f: { id: string }) => f.id === "pss-baseline");
    const privileged = pss.controls.find((c: { id: string }) => c.id === "privileged");
    expect(privileged.checks).toContain("pss.privileged");
  });
});

describe("health and documents", () => {
  it("answers healthz without a key and 503 when the database is gone", async () => {
    h = await harness();
    const ok = await h.call("/healthz", { key: null });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", database: "ok" });
    await h.store.close();
    const down = await h.call("/healthz", { key: null });
    expect(down.status).toBe(503);
    expect((await problem(down)).type).toBe("https://kubeguard.dev/problems/unavailable");
    h = undefined;
  });

  it("serves the OpenAPI document as JSON and YAML with this server's origin, and the docs page", async () => {
    h = await harness();
    const json = await h.call("http://api.example.test/openapi.json", { key: null });
    expect(json.status).toBe(200);
    const doc = await json.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "http://api.example.test", description: "this server" }]);
    expect(Object.keys(doc.paths)).toContain("/v1/scans/{id}/report");
    const yaml = await h.call("/openapi.yaml", { key: null });
    expect(yaml.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toContain("openapi: 3.1.0");
    const docs = await h.call("/docs", { key: null });
    expect(docs.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await docs.text()).toContain("/openapi.json");
  });
});

describe("errors", () => {
  it("answers unknown routes with a 404 problem", async () => {
    h = await harness();
    const res = await h.call("/nope", { key: null });
    expect(res.status).toBe(404);
    expect((await problem(res)).instance).toBe("/nope");
    // Under /v1 the key is checked first, so unauthenticated callers cannot probe for routes.
    expect((await h.call("/v1/nope", { key: null })).status).toBe(401);
    expect((await h.call("/v1/nope")).status).toBe(404);
  });

  it("turns an unexpected error into a 500 problem without internals, logged with the request id", async () => {
    h = await harness();
    const failing = {
      ...h.store,
      apiKeys: h.store.apiKeys,
      scans: new Proxy(h.store.scans, {
        get(target, prop, receiver) {
          if (prop === "list")
            return () => Promise.reject(new Error("SQLITE_IOERR: disk I/O error at /secret/path"));
          return Reflect.get(target, prop, receiver);
        },
      }),
    } as Store;
    const logs: unknown[] = [];
    const app = createApp({
      store: failing,
      clock: steppingClock(),
      config: DEFAULT_APP_CONFIG,
      log: (m, f) => logs.push({ m, f }),
    });
    const res = await app.request("/v1/scans", {
      headers: { authorization: `Bearer ${KEY}`, "x-request-id": "trace-1" },
    });
    expect(res.status).toBe(500);
    const p = await problem(res);
    expect(p).toMatchObject({ type: "https://kubeguard.dev/problems/internal-error", requestId: "trace-1" });
    expect(JSON.stringify(p)).not.toMatch(/SQLITE|secret/);
    expect(res.headers.get("x-request-id")).toBe("trace-1");
    expect(JSON.stringify(logs)).toContain("trace-1");
    expect(JSON.stringify(logs)).toContain("SQLITE_IOERR");
  });

  it("replaces an insane X-Request-Id", async () => {
    h = await harness();
    const res = await h.call("/healthz", { key: null, headers: { "x-request-id": "bad id with spaces" } });
    expect(res.headers.get("x-request-id")).toMatch(/^req_[A-Za-z0-9]{16}$/);
  });
});

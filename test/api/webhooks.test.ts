/**
 * Outbound webhooks: endpoint registration (secret once, SSRF guard), signed deliveries to a loopback
 * receiver that verifies them and fails on purpose, retries with backoff on an injected clock, the
 * delivery log, and a dead receiver that never holds up the scan request.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BackgroundTasks } from "../../src/api/background.ts";
import { runScheduledTasks } from "../../src/api/scheduled.ts";
import { retryDueDeliveries } from "../../src/api/webhook-dispatch.ts";
import type { AppConfig } from "../../src/config.ts";
import { guardedFetch } from "../../src/server-fetch.ts";
import { MAX_DELIVERY_ATTEMPTS, RETRY_SCHEDULE_MS } from "../../src/webhooks/delivery.ts";
import { HARDENED, PRIVILEGED } from "./fixtures.ts";
import { problem } from "./helpers.ts";
import { type IntegrationHarness, integrationHarness, Receiver, yaml } from "./integrations-helpers.ts";

const LOCAL: Partial<AppConfig> = { webhooks: { allowHttp: true, allowPrivate: true, timeoutMs: 300 } };

let h: IntegrationHarness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  await h?.settle();
  await h?.close();
  h = undefined;
  receiver = undefined;
});

async function setup(config: Partial<AppConfig> = LOCAL) {
  h = await integrationHarness({ config });
  receiver = await new Receiver().start();
  const clock = h.clock;
  receiver.now = () => clock.now();
  return { h, receiver };
}

async function register(
  hh: IntegrationHarness,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string; url: string; events: string[]; format: string }> {
  const res = await hh.call("/v1/webhooks", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function deliveries(hh: IntegrationHarness, id: string, query = "") {
  const res = await hh.call(`/v1/webhooks/${id}/deliveries${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: {
      id: string;
      eventId: string;
      eventType: string;
      scanId: string;
      status: string;
      attempts: number;
      lastStatusCode?: number;
      lastError?: string;
      lastAttemptAt?: string;
      nextAttemptAt?: string;
      createdAt: string;
    }[];
    nextCursor: string | null;
  };
}

describe("POST /v1/webhooks and the endpoint routes", () => {
  it("registers an endpoint, shows the secret once and never lists it", async () => {
    const { h, receiver } = await setup();
    const created = await h.call("/v1/webhooks", {
      method: "POST",
      body: JSON.stringify({
        url: receiver.url,
        events: ["scan.completed", "scan.failed"],
        description: "ops",
      }),
      headers: { "content-type": "application/json" },
    });
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: receiver.url,
      events: ["scan.completed", "scan.failed"],
      format: "standard",
      description: "ops",
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(created.headers.get("location")).toBe(`/v1/webhooks/${endpoint.id}`);
    for (const path of ["/v1/webhooks", `/v1/webhooks/${endpoint.id}`]) {
      const text = await (await h.call(path)).text();
      expect(text).toContain(endpoint.id);
      expect(text).not.toContain("whsec_");
    }
    expect(JSON.stringify(await h.store.audit.list("default", {}, 100))).not.toContain(endpoint.secret);
    const other = await h.otherTenant();
    expect((await h.call(`/v1/webhooks/${endpoint.id}`, { key: other.key })).status).toBe(404);
    expect((await h.call(`/v1/webhooks/${endpoint.id}/deliveries`, { key: other.key })).status).toBe(404);
    expect((await h.call(`/v1/webhooks/${endpoint.id}`, { method: "DELETE", key: other.key })).status).toBe(
      404,
    );
    const read = await h.key(["read"]);
    expect((await h.call("/v1/webhooks", { key: read })).status).toBe(403);
    expect((await h.call(`/v1/webhooks/${endpoint.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.call(`/v1/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it("answers 400 naming the field for bad bodies", async () => {
    const { h, receiver } = await setup();
    for (const body of [
      { url: receiver.url, events: [] },
      { url: receiver.url, events: ["scan.started"] },
      { url: receiver.url, events: ["scan.failed", "scan.failed"] },
      { url: receiver.url, events: ["scan.failed"], format: "teams" },
      { url: "not a url", events: ["scan.failed"] },
      { events: ["scan.failed"] },
    ]) {
      const res = await h.call("/v1/webhooks", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await problem(res)).errors?.[0]?.path).toMatch(/^body/);
    }
  });

  it("refuses http, private, loopback, link-local and internal URLs unless configured", async () => {
    h = await integrationHarness();
    for (const url of [
      "http://hooks.example.com/x",
      "https://127.0.0.1/x",
      "https://[::1]/x",
      "https://10.1.2.3/x",
      "https://169.254.169.254/latest/meta-data/",
      "https://0x7f.1/x",
      "https://localhost/x",
      "https://metadata.google.internal/x",
      "https://kubernetes/x",
      "https://api.default.svc.cluster.local/x",
      "https://user:pw@hooks.example.com/x",
    ]) {
      const res = await h.call("/v1/webhooks", {
        method: "POST",
        body: JSON.stringify({ url, events: ["scan.failed"] }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, url).toBe(400);
      const p = await problem(res);
      expect(p.errors?.[0]?.path).toBe("body.url");
    }
    await register(h, { url: "https://hooks.example.com/kubeguard", events: ["scan.failed"] });
    // http alone does not open private addresses.
    await h.close();
    h = await integrationHarness({
      config: { webhooks: { allowHttp: true, allowPrivate: false, timeoutMs: 300 } },
    });
    const res = await h.call("/v1/webhooks", {
      method: "POST",
      body: JSON.stringify({ url: "http://192.168.1.10/x", events: ["scan.failed"] }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
  });
});

describe("deliveries", () => {
  it("delivers scan.completed for every scan and scan.failed for failed ones, signed the Standard Webhooks way", async () => {
    const { h, receiver } = await setup({ ...LOCAL, publicUrl: "https://kubeguard.example.com" });
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed", "scan.failed"] });
    receiver.secret = endpoint.secret;
    const failing = await (
      await h.call("/v1/scans?repository=github.com/acme/payments&branch=main", yaml(PRIVILEGED))
    ).json();
    await h.settle();
    expect(receiver.requests).toHaveLength(2);
    const passing = await (await h.call("/v1/scans", yaml(HARDENED))).json();
    await h.settle();
    expect(receiver.requests).toHaveLength(3);
    for (const r of receiver.requests) {
      expect(r.verified, r.reason).toBe(true);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["user-agent"]).toMatch(/^kubeguard-webhooks\//);
    }
    const bodies = receiver.requests.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => `${b.type} ${b.data.scanId}`).sort()).toEqual(
      [`scan.completed ${failing.id}`, `scan.failed ${failing.id}`, `scan.completed ${passing.id}`].sort(),
    );
    const failed = bodies.find((b) => b.type === "scan.failed");
    expect(failed).toEqual({
      type: "scan.failed",
      timestamp: failing.completedAt,
      data: {
        scanId: failing.id,
        tenantId: "default",
        createdAt: failing.createdAt,
        verdict: { passed: false, failOn: "high" },
        summary: failing.summary,
        source: { repository: "github.com/acme/payments", branch: "main" },
        links: {
          self: `https://kubeguard.example.com/v1/scans/${failing.id}`,
          report: `https://kubeguard.example.com/v1/scans/${failing.id}/report?format=html`,
        },
      },
    });
    // Each event has its own webhook-id.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(3);
    const log = await deliveries(h, endpoint.id);
    expect(log.items).toHaveLength(3);
    for (const d of log.items)
      expect(d).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200 });
    expect(log.items[0]).not.toHaveProperty("nextAttemptAt");
  });

  it("sends only the subscribed events, and a Slack payload for format slack", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.failed"], format: "slack" });
    receiver.secret = endpoint.secret;
    await h.call("/v1/scans", yaml(HARDENED));
    await h.settle();
    expect(receiver.requests).toHaveLength(0);
    await h.call("/v1/scans?repository=github.com/acme/payments", yaml(PRIVILEGED));
    await h.settle();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.verified).toBe(true);
    const slack = JSON.parse(receiver.requests[0]?.body ?? "{}");
    expect(slack.text).toMatch(/^:x: kubeguard scan failed for github\.com\/acme\/payments/);
    expect(slack.blocks[0]).toMatchObject({ type: "header" });
  });

  it("retries a failure with exponential backoff on the injected clock, with the same webhook-id", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    receiver.secret = endpoint.secret;
    receiver.script.push({ status: 500 }, { status: 503 });
    const scan = await (await h.call("/v1/scans", yaml(HARDENED))).json();
    await h.settle();
    const start = h.clock.now().getTime();
    let [d] = (await deliveries(h, endpoint.id)).items;
    expect(d).toMatchObject({
      scanId: scan.id,
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      nextAttemptAt: new Date(start + RETRY_SCHEDULE_MS[0]!).toISOString(),
    });
    // Not due yet: the scheduler sends nothing.
    h.clock.advance(RETRY_SCHEDULE_MS[0]! - 1);
    expect(await retryDueDeliveries(h.deps)).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
    h.clock.advance(1);
    const [second] = await retryDueDeliveries(h.deps);
    expect(second).toMatchObject({ attempt: 2, ok: false, status: 503 });
    [d] = (await deliveries(h, endpoint.id)).items;
    expect(d).toMatchObject({
      status: "pending",
      attempts: 2,
      lastStatusCode: 503,
      nextAttemptAt: new Date(h.clock.now().getTime() + RETRY_SCHEDULE_MS[1]!).toISOString(),
    });
    h.clock.advance(RETRY_SCHEDULE_MS[1]!);
    // The scheduled tasks include the retries.
    const results = await runScheduledTasks(h.deps);
    expect(results.every((r) => r.ok)).toBe(true);
    [d] = (await deliveries(h, endpoint.id)).items;
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    expect(d).not.toHaveProperty("lastError");
    expect(receiver.requests).toHaveLength(3);
    // Every attempt is signed afresh (its own timestamp) with the same message id.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([d?.eventId]));
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-timestamp"])).size).toBe(3);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it("counts a timeout as a failure and gives up after the last attempt", async () => {
    const { h, receiver } = await setup({
      webhooks: { allowHttp: true, allowPrivate: true, timeoutMs: 100 },
    });
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    receiver.secret = endpoint.secret;
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) receiver.script.push({ delayMs: 2_000, status: 200 });
    await h.call("/v1/scans", yaml(HARDENED));
    await h.settle();
    let [d] = (await deliveries(h, endpoint.id)).items;
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastError: "timed out after 100 ms" });
    expect(d).not.toHaveProperty("lastStatusCode");
    for (const delay of RETRY_SCHEDULE_MS) {
      h.clock.advance(delay);
      await retryDueDeliveries(h.deps);
    }
    [d] = (await deliveries(h, endpoint.id)).items;
    expect(d).toMatchObject({
      status: "failed",
      attempts: MAX_DELIVERY_ATTEMPTS,
      lastError: "timed out after 100 ms",
    });
    expect(d).not.toHaveProperty("nextAttemptAt");
    expect(h.logs.some((l) => l.message === "webhook delivery given up")).toBe(true);
    expect(JSON.stringify(h.logs)).not.toContain(receiver.url);
    h.clock.advance(86_400_000);
    expect(await retryDueDeliveries(h.deps)).toEqual([]);
    expect((await deliveries(h, endpoint.id, "?status=failed")).items).toHaveLength(1);
    expect((await deliveries(h, endpoint.id, "?status=pending")).items).toHaveLength(0);
  });

  it("answers the scan request before a receiver that never answers, and does not fail it", async () => {
    const { h, receiver } = await setup({
      webhooks: { allowHttp: true, allowPrivate: true, timeoutMs: 5_000 },
    });
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed", "scan.failed"] });
    receiver.secret = endpoint.secret;
    receiver.script.push({ hold: true, status: 200 }, { hold: true, status: 200 });
    const res = await h.call("/v1/scans", yaml(PRIVILEGED));
    expect(res.status).toBe(201);
    await receiver.received(2);
    // The scan was answered, and both deliveries are in flight: the receiver has answered nothing.
    expect(receiver.answered).toBe(0);
    const pending = (await deliveries(h, endpoint.id)).items;
    expect(pending.map((d) => d.status)).toEqual(["pending", "pending"]);
    receiver.release();
    await h.settle();
    expect(receiver.answered).toBe(2);
    expect((await deliveries(h, endpoint.id)).items.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("does not fail the scan request for a dead receiver (connection refused)", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    await receiver.close();
    const res = await h.call("/v1/scans", yaml(HARDENED));
    expect(res.status).toBe(201);
    await h.settle();
    const [d] = (await deliveries(h, endpoint.id)).items;
    expect(d?.status).toBe("pending");
    expect(d?.lastError).toMatch(/^network error/);
  });

  it("re-checks the URL at delivery time: a private endpoint is refused once the configuration disallows it", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    const strict = await integrationHarness({ store: h.store });
    strict.clock.set(h.clock.now());
    const res = await strict.call("/v1/scans", yaml(HARDENED));
    expect(res.status).toBe(201);
    await strict.settle();
    const [d] = (await deliveries(h, endpoint.id)).items;
    expect(d?.lastError).toMatch(/^refused URL: URL must use https/);
    expect(receiver.requests).toHaveLength(0);
  });

  it("pages the delivery log newest first", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    receiver.secret = endpoint.secret;
    for (let i = 0; i < 5; i++) {
      await h.call("/v1/scans", yaml(HARDENED));
      h.clock.advance(1000);
    }
    await h.settle();
    const first = await deliveries(h, endpoint.id, "?limit=2");
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await deliveries(h, endpoint.id, `?limit=2&cursor=${first.nextCursor}`);
    const third = await deliveries(h, endpoint.id, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.nextCursor).toBeNull();
    const all = [...first.items, ...second.items, ...third.items];
    expect(all).toHaveLength(5);
    expect(new Set(all.map((d) => d.id)).size).toBe(5);
    const times = all.map((d) => d.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await h.call(`/v1/webhooks/${endpoint.id}/deliveries?cursor=nope`)).status).toBe(400);
  });

  it("deleting an endpoint stops its pending retries", async () => {
    const { h, receiver } = await setup();
    const endpoint = await register(h, { url: receiver.url, events: ["scan.completed"] });
    receiver.script.push({ status: 500 });
    await h.call("/v1/scans", yaml(HARDENED));
    await h.settle();
    expect((await h.call(`/v1/webhooks/${endpoint.id}`, { method: "DELETE" })).status).toBe(204);
    h.clock.advance(RETRY_SCHEDULE_MS[0]!);
    expect(await retryDueDeliveries(h.deps)).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });
});

describe("Node wiring", () => {
  it("tracks background tasks and drains them with a bound", async () => {
    const tasks = new BackgroundTasks();
    let done = false;
    tasks.add(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          done = true;
          resolve();
        }, 20),
      ),
    );
    tasks.add(Promise.reject(new Error("ignored")));
    tasks.add(new Promise(() => {}));
    expect(await tasks.drain(200)).toBe(1);
    expect(done).toBe(true);
  });

  it("guardedFetch refuses names that resolve to private addresses, and connects to the checked one", async () => {
    receiver = await new Receiver().start();
    const port = new URL(receiver.url).port;
    const rebinding = guardedFetch({
      allowPrivate: false,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    await expect(
      rebinding(`http://hooks.example.com:${port}/hook`, { method: "POST", body: "{}" }),
    ).rejects.toThrow(/resolves to 127\.0\.0\.1, a private/);
    await expect(rebinding(`http://127.0.0.1:${port}/hook`, { method: "POST", body: "{}" })).rejects.toThrow(
      /private/,
    );
    expect(receiver.requests).toHaveLength(0);
    // Allowed, the name is connected to the address the resolver gave.
    const allowed = guardedFetch({
      allowPrivate: true,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    const res = await allowed(`http://hooks.example.com:${port}/hook`, {
      method: "POST",
      body: '{"a":1}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(receiver.requests[0]?.body).toBe('{"a":1}');
    expect(receiver.requests[0]?.headers.host).toBe(`hooks.example.com:${port}`);
  });
});

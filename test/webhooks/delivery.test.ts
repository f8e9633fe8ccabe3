/**
 * Outbound deliveries: the signed request and both payload formats, delivery against loopback
 * receivers (one that verifies the signature and can fail on purpose, one that sleeps, one that
 * redirects), failures that never throw, and the retry schedule.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.ts";
import {
  buildDelivery,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  deliver,
  type FetchLike,
  MAX_DELIVERY_ATTEMPTS,
  nextAttemptDelay,
  RETRY_SCHEDULE_MS,
  type ScanSummaryPayload,
  slackMessage,
  type WebhookEvent,
} from "../../src/webhooks/delivery.ts";
import { generateWebhookSecret, verifyStandard } from "../../src/webhooks/standard.ts";

const SECRET = generateWebhookSecret();
const EVENT_TIME = new Date("2026-06-01T12:00:00.000Z");
const ATTEMPT_TIME = new Date("2026-06-01T12:00:03.500Z");

const data: ScanSummaryPayload = {
  scanId: "scn_01HZX",
  tenantId: "t_acme",
  createdAt: EVENT_TIME.toISOString(),
  verdict: { passed: false, failOn: "high" },
  summary: {
    resources: 12,
    findings: 3,
    bySeverity: { critical: 0, high: 1, medium: 0, low: 2, info: 0 },
    suppressed: 1,
    errors: 0,
  },
  source: {
    repository: "acme/shop",
    branch: "main",
    commit: "3f2a9c1d4e5b6a7980f1e2d3c4b5a69788776655",
    pipelineUrl: "https://ci.example.com/acme/shop/pipelines/42",
  },
  links: {
    self: "https://kubeguard.example.com/v1/scans/scn_01HZX",
    report: "https://kubeguard.example.com/r/scn_01HZX",
  },
};

const event: WebhookEvent = { type: "scan.failed", id: "msg_scn_01HZX_wh_1", timestamp: EVENT_TIME, data };
const endpoint = { id: "wh_1", url: "https://hooks.example.com/kubeguard", secret: SECRET };

describe("buildDelivery (standard)", () => {
  it("builds a signed Standard Webhooks request", async () => {
    const d = await buildDelivery(endpoint, event, ATTEMPT_TIME);
    expect(d.url).toBe(endpoint.url);
    expect(d.endpointId).toBe("wh_1");
    expect(d.headers).toEqual({
      "content-type": "application/json",
      "user-agent": `kubeguard-webhooks/${VERSION}`,
      "webhook-id": "msg_scn_01HZX_wh_1",
      "webhook-timestamp": String(Math.floor(ATTEMPT_TIME.getTime() / 1000)),
      "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
    expect(JSON.parse(d.body)).toEqual({ type: "scan.failed", timestamp: "2026-06-01T12:00:00.000Z", data });
    expect(await verifyStandard(SECRET, d.headers, d.body, ATTEMPT_TIME)).toEqual({
      ok: true,
      id: "msg_scn_01HZX_wh_1",
      timestamp: 1780315203,
    });
  });

  it("re-signs every attempt with its own timestamp and keeps the id", async () => {
    const first = await buildDelivery(endpoint, event, ATTEMPT_TIME);
    const later = new Date(ATTEMPT_TIME.getTime() + 2 * 3_600_000);
    const retry = await buildDelivery(endpoint, event, later);
    expect(retry.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(retry.body).toBe(first.body);
    expect(retry.headers["webhook-timestamp"]).not.toBe(first.headers["webhook-timestamp"]);
    expect((await verifyStandard(SECRET, retry.headers, retry.body, later)).ok).toBe(true);
    // the first attempt's signature is stale by then
    expect((await verifyStandard(SECRET, first.headers, first.body, later)).ok).toBe(false);
  });

  it("defaults the attempt time to now", async () => {
    const d = await buildDelivery(endpoint, event);
    expect(Math.abs(Number(d.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
  });

  it("does not verify under another endpoint's secret", async () => {
    const d = await buildDelivery(endpoint, event, ATTEMPT_TIME);
    expect((await verifyStandard(generateWebhookSecret(), d.headers, d.body, ATTEMPT_TIME)).ok).toBe(false);
  });
});

describe("Slack format", () => {
  it("is { text, blocks } and still signed", async () => {
    const d = await buildDelivery({ ...endpoint, format: "slack" }, event, ATTEMPT_TIME);
    const body = JSON.parse(d.body);
    expect(Object.keys(body).sort()).toEqual(["blocks", "text"]);
    expect((await verifyStandard(SECRET, d.headers, d.body, ATTEMPT_TIME)).ok).toBe(true);
    expect(d.headers["content-type"]).toBe("application/json");
  });

  it("says the verdict, where, and the counts by severity", () => {
    const m = slackMessage(event);
    expect(m.text).toBe(":x: kubeguard scan failed for acme/shop@main (3f2a9c1): 3 findings (1 high, 2 low)");
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "kubeguard scan failed", emoji: true },
    });
    const summary = m.blocks[1];
    expect(summary?.type).toBe("section");
    const text = summary?.type === "section" ? (summary.text?.text ?? "") : "";
    expect(text).toContain("*Verdict:* failed (fail on high)");
    expect(text).toContain("critical *0* · high *1* · medium *0* · low *2* · info *0*");
    expect(text).toContain("12 resources · 1 suppressed · 0 errors");
    const fields = m.blocks.find((b) => b.type === "section" && b.fields);
    expect(fields).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Repository*\nacme/shop" },
        { type: "mrkdwn", text: "*Branch*\nmain" },
        { type: "mrkdwn", text: "*Commit*\n`3f2a9c1d4e5b6a7980f1e2d3c4b5a69788776655`" },
      ],
    });
    expect(m.blocks.find((b) => b.type === "context")).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Scan scn_01HZX · 2026-06-01T12:00:00.000Z" }],
    });
    expect(m.blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "View report" },
          url: "https://kubeguard.example.com/r/scn_01HZX",
          action_id: "report",
        },
        {
          type: "button",
          text: { type: "plain_text", text: "Pipeline" },
          url: "https://ci.example.com/acme/shop/pipelines/42",
          action_id: "pipeline",
        },
      ],
    });
  });

  it("handles a passing scan without source or links", () => {
    const m = slackMessage({
      type: "scan.completed",
      id: "msg_2",
      timestamp: EVENT_TIME,
      data: {
        scanId: "scn_2",
        createdAt: EVENT_TIME.toISOString(),
        verdict: { passed: true, failOn: "high" },
        summary: {
          resources: 1,
          findings: 0,
          bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
          suppressed: 0,
          errors: 1,
        },
      },
    });
    expect(m.text).toBe(":white_check_mark: kubeguard scan passed: 0 findings");
    expect(m.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    const section = m.blocks[1];
    expect(section?.type === "section" && section.text?.text).toContain(
      "1 resource · 0 suppressed · 1 error",
    );
  });

  it("falls back to the self link and drops links that are not http(s)", () => {
    const m = slackMessage({
      ...event,
      data: {
        ...data,
        links: { self: "https://kubeguard.example.com/v1/scans/x" },
        source: { repository: "r", pipelineUrl: "javascript:alert(1)" },
      },
    });
    const actions = m.blocks.find((b) => b.type === "actions");
    expect(actions).toEqual({
      type: "actions",
      elements: [
        expect.objectContaining({ url: "https://kubeguard.example.com/v1/scans/x", action_id: "report" }),
      ],
    });
    const none = slackMessage({
      ...event,
      data: { ...data, links: { report: "not a url" }, source: { pipelineUrl: "ftp://x/" } },
    });
    expect(none.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("escapes user-provided values so they cannot inject mrkdwn links or mentions", () => {
    const m = slackMessage({
      ...event,
      data: {
        ...data,
        source: {
          repository: "<https://evil.example|click me> & <!channel>",
          branch: "a>b",
          commit: "<@U123>",
        },
      },
    });
    const all = JSON.stringify(m);
    expect(all).not.toContain("<https://evil");
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<@U123>");
    expect(m.text).toContain("&lt;https://evil.example|click me&gt; &amp; &lt;!channel&gt;@a&gt;b");
  });

  it("keeps within Slack's text limits", () => {
    const long = "x".repeat(5000);
    const m = slackMessage({
      ...event,
      data: { ...data, source: { repository: long, branch: long, commit: long } },
    });
    expect(m.text.length).toBeLessThanOrEqual(3000);
    for (const b of m.blocks) {
      if (b.type === "section")
        for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
      if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Loopback receivers

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
let failNext = 0;

async function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = req.url ?? "/";
  if (url.startsWith("/sleep")) {
    const t = setTimeout(() => res.end("late"), 2000);
    res.on("close", () => clearTimeout(t));
    return;
  }
  if (url === "/500") {
    res.writeHead(500).end("boom");
    return;
  }
  if (url === "/redirect") {
    res.writeHead(302, { location: `${base}/metadata` }).end();
    return;
  }
  if (url === "/metadata") {
    received.push({ headers: req.headers, body: "REDIRECT FOLLOWED" });
    res.writeHead(200).end();
    return;
  }
  if (url === "/slow-body") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("partial");
    const t = setTimeout(() => res.end(), 2000);
    res.on("close", () => clearTimeout(t));
    return;
  }
  // "/receiver": verifies the signature, can fail on purpose
  received.push({ headers: req.headers, body });
  const v = await verifyStandard(
    SECRET,
    {
      "webhook-id": String(req.headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
    },
    body,
    new Date(),
  );
  if (!v.ok) {
    res.writeHead(401).end(v.reason);
    return;
  }
  if (failNext > 0) {
    failNext--;
    res.writeHead(503).end();
    return;
  }
  res.writeHead(204).end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const LOCAL = { allowHttp: true, allowPrivate: true };

describe("deliver", () => {
  it("delivers to a receiver that verifies the signature", async () => {
    received.length = 0;
    const d = await buildDelivery({ ...endpoint, url: `${base}/receiver` }, event);
    const r = await deliver(d, { fetch, guard: LOCAL });
    expect(r).toMatchObject({ ok: true, status: 204 });
    expect(r.error).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["user-agent"]).toBe(`kubeguard-webhooks/${VERSION}`);
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received[0]?.body ?? "")).toMatchObject({
      type: "scan.failed",
      data: { scanId: "scn_01HZX" },
    });
  });

  it("reports a receiver that refuses a bad signature", async () => {
    const d = await buildDelivery(
      { ...endpoint, url: `${base}/receiver`, secret: generateWebhookSecret() },
      event,
    );
    expect(await deliver(d, { fetch })).toMatchObject({ ok: false, status: 401, error: "HTTP 401" });
  });

  it("fails, then succeeds on the retry with a fresh signature", async () => {
    failNext = 1;
    const url = `${base}/receiver`;
    const r1 = await deliver(await buildDelivery({ ...endpoint, url }, event), { fetch });
    expect(r1).toMatchObject({ ok: false, status: 503, error: "HTTP 503" });
    expect(nextAttemptDelay(1)).toBe(10_000);
    const r2 = await deliver(await buildDelivery({ ...endpoint, url }, event), { fetch });
    expect(r2).toMatchObject({ ok: true, status: 204 });
  });

  it("reports a 500", async () => {
    const d = await buildDelivery({ ...endpoint, url: `${base}/500` }, event);
    expect(await deliver(d, { fetch })).toMatchObject({ ok: false, status: 500, error: "HTTP 500" });
  });

  it("times out on a receiver that sleeps, without waiting for it", async () => {
    const d = await buildDelivery({ ...endpoint, url: `${base}/sleep` }, event);
    const t0 = performance.now();
    const r = await deliver(d, { fetch, timeoutMs: 200 });
    const took = performance.now() - t0;
    expect(r).toMatchObject({ ok: false, error: "timed out after 200 ms" });
    expect(r.status).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1500);
  });

  it("does not wait for a slow response body", async () => {
    const d = await buildDelivery({ ...endpoint, url: `${base}/slow-body` }, event);
    const t0 = performance.now();
    const r = await deliver(d, { fetch, timeoutMs: 1000 });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("times out a fetch that ignores the abort signal", async () => {
    const stuck: FetchLike = () => new Promise<Response>(() => undefined);
    const d = await buildDelivery(endpoint, event);
    const r = await deliver(d, { fetch: stuck, timeoutMs: 50 });
    expect(r).toMatchObject({ ok: false, error: "timed out after 50 ms" });
  });

  it("does not follow redirects", async () => {
    received.length = 0;
    const d = await buildDelivery({ ...endpoint, url: `${base}/redirect` }, event);
    const r = await deliver(d, { fetch });
    expect(r).toMatchObject({ ok: false, status: 302, error: "HTTP 302" });
    expect(received).toHaveLength(0);
  });

  it("reports a refused connection as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const d = await buildDelivery({ ...endpoint, url: `http://127.0.0.1:${port}/` }, event);
    const r = await deliver(d, { fetch });
    expect(r.ok).toBe(false);
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/^network error: /);
  });

  it("never throws: a fetch that throws or rejects becomes a result", async () => {
    const d = await buildDelivery(endpoint, event);
    const throwing: FetchLike = () => {
      throw new TypeError("boom");
    };
    expect(await deliver(d, { fetch: throwing })).toMatchObject({ ok: false, error: "network error: boom" });
    const rejecting: FetchLike = () => Promise.reject("weird");
    expect(await deliver(d, { fetch: rejecting })).toMatchObject({
      ok: false,
      error: "network error: weird",
    });
  });

  it("refuses a URL the guard refuses, without calling fetch", async () => {
    let called = false;
    const spy: FetchLike = async () => {
      called = true;
      return new Response(null, { status: 204 });
    };
    const d = await buildDelivery({ ...endpoint, url: `${base}/receiver` }, event);
    const r = await deliver(d, { fetch: spy, guard: {} });
    expect(r).toEqual({ ok: false, error: "refused URL: URL must use https", durationMs: 0 });
    const meta = await buildDelivery({ ...endpoint, url: "https://169.254.169.254/" }, event);
    expect((await deliver(meta, { fetch: spy, guard: {} })).error).toMatch(
      /^refused URL: host 169.254.169.254/,
    );
    expect(called).toBe(false);
  });

  it("sends a POST with the delivery's headers and body, and no redirects, to an injected fetch", async () => {
    let seen: { input: string; init: RequestInit } | undefined;
    const spy: FetchLike = async (input, init) => {
      seen = { input, init };
      return new Response("ok", { status: 200 });
    };
    const d = await buildDelivery(endpoint, event);
    const ticks = [100, 142.6];
    const r = await deliver(d, { fetch: spy, clock: () => ticks.shift() ?? 142.6 });
    expect(r).toEqual({ ok: true, status: 200, durationMs: 43 });
    expect(seen?.input).toBe(endpoint.url);
    expect(seen?.init).toMatchObject({
      method: "POST",
      headers: d.headers,
      body: d.body,
      redirect: "manual",
    });
    expect(seen?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([199, 300, 302, 304, 404, 410, 429, 502])("treats %i as a failure", async (status) => {
    const stub: FetchLike = async () => ({ status, body: null }) as unknown as Response;
    const d = await buildDelivery(endpoint, event);
    expect(await deliver(d, { fetch: stub })).toMatchObject({ ok: false, status, error: `HTTP ${status}` });
  });

  it.each([200, 201, 202, 204, 299])("treats %i as success", async (status) => {
    const stub: FetchLike = async () => ({ status, body: null }) as unknown as Response;
    const d = await buildDelivery(endpoint, event);
    expect(await deliver(d, { fetch: stub })).toMatchObject({ ok: true, status });
  });

  it("has a 5 s default timeout", () => {
    expect(DEFAULT_DELIVERY_TIMEOUT_MS).toBe(5000);
  });
});

describe("nextAttemptDelay", () => {
  it("follows 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, then gives up", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(nextAttemptDelay)).toEqual([
      10_000,
      60_000,
      300_000,
      1_800_000,
      7_200_000,
      18_000_000,
      undefined,
      undefined,
      undefined,
    ]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(7);
    expect(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0)).toBe(27_370_000); // 7 h 36 min 10 s
  });

  it("grows monotonically", () => {
    for (let i = 1; i < RETRY_SCHEDULE_MS.length; i++) {
      expect(RETRY_SCHEDULE_MS[i]!).toBeGreaterThan(RETRY_SCHEDULE_MS[i - 1]!);
    }
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses attempt %d", (n) => {
    expect(() => nextAttemptDelay(n)).toThrow(RangeError);
  });
});

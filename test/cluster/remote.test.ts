/**
 * remoteScan against the real API (createApp on an in-memory libSQL store, served on loopback by
 * @hono/node-server), retries against a loopback fake that answers 503/429 first, network failures,
 * and ciSourceFromEnv for GitHub Actions and GitLab CI.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { ciSourceFromEnv, RemoteError, remoteScan, retryAfterMs } from "../../src/cli/remote.ts";
import { takeSnapshot } from "../../src/cluster/snapshot.ts";
import { DEFAULT_APP_CONFIG } from "../../src/config.ts";
import { createStore, type Store } from "../../src/store/index.ts";
import { openLibsql } from "../../src/store/libsql.ts";
import { startFakeCluster, TOKEN } from "./fake-apiserver.ts";
import { tempDir, writeKubeconfig } from "./helpers.ts";

const KEY = `kg_${"Remote5can".repeat(4)}`;

const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext: { privileged: true }
`;
const SERVICE =
  "apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { ports: [{ port: 80 }] }\n";

const noSleep = async () => {};

describe("remoteScan against the real API on loopback", () => {
  let store: Store;
  let server: ReturnType<typeof serve>;
  let url: string;

  beforeAll(async () => {
    store = createStore(await openLibsql({ url: ":memory:" }));
    await store.tenants.bootstrap(new Date("2026-04-20T10:00:00Z"), KEY);
    const app = createApp({
      store,
      clock: { now: () => new Date() },
      config: DEFAULT_APP_CONFIG,
      log: () => {},
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  });

  it("posts the files, records the source, returns the SARIF report and the verdict", async () => {
    const r = await remoteScan({
      server: url,
      apiKey: KEY,
      inputs: [
        { file: "k8s/web.yaml", text: PRIVILEGED },
        { file: "k8s/svc.yaml", text: SERVICE },
      ],
      options: { pssLevel: "baseline", failOn: "high" },
      source: {
        repository: "acme/shop",
        commit: "9f1c2d3",
        branch: "main",
        pipelineUrl: "https://ci.example.com/1",
      },
      format: "sarif",
    });
    expect(r.passed).toBe(false);
    expect(r.outputFormat).toBe("sarif");
    expect(r.scanUrl).toBe(`${url}/v1/scans/${r.scanId}`);
    const sarif = JSON.parse(r.output);
    expect(sarif.version).toBe("2.1.0");
    const uris = sarif.runs[0].results.map(
      (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain("k8s/web.yaml");
    const stored = await fetch(r.scanUrl, { headers: { authorization: `Bearer ${KEY}` } }).then((x) =>
      x.json(),
    );
    expect(stored.source).toMatchObject({ repository: "acme/shop", commit: "9f1c2d3", branch: "main" });
    expect(stored.options).toMatchObject({ pssLevel: "baseline", failOn: "high" });
  });

  it("fetches JSON for the table format, for the caller to render", async () => {
    const r = await remoteScan({
      server: `${url}/`,
      apiKey: KEY,
      inputs: [{ file: "svc.yaml", text: SERVICE }],
      options: {},
      source: {},
      format: "table",
    });
    expect(r.outputFormat).toBe("json");
    const report = JSON.parse(r.output);
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict.passed).toBe(r.passed);
  });

  it("scans a cluster snapshot through the API, with its metadata", async () => {
    const fake = await startFakeCluster();
    const tmp = tempDir();
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "k.yaml", [
        { name: "prod", server: fake.url, token: TOKEN },
      ]);
      const snapshot = await takeSnapshot({ kubeconfig, env: {} });
      const r = await remoteScan({
        server: url,
        apiKey: KEY,
        inputs: [{ file: "cluster.json", text: JSON.stringify(snapshot) }],
        options: {},
        source: {},
        format: "json",
      });
      const report = JSON.parse(r.output);
      expect(report.snapshot).toMatchObject({ cluster: "prod-cluster", provider: "kubeadm" });
      const checks = new Set(report.findings.map((f: { check: string }) => f.check));
      expect(checks.has("encryption.apiserver-no-encryption-config")).toBe(true);
      expect(checks.has("secrets.plaintext-secret-in-manifest")).toBe(false);
      expect(r.passed).toBe(false);
    } finally {
      await fake.close();
      tmp.cleanup();
    }
  });

  it("returns the same scan for a retried Idempotency-Key", async () => {
    const base = {
      server: url,
      apiKey: KEY,
      inputs: [{ file: "svc.yaml", text: SERVICE }],
      options: {},
      source: {},
      format: "json",
      idempotencyKey: "ci-run-42",
    };
    const a = await remoteScan(base);
    const b = await remoteScan(base);
    expect(b.scanId).toBe(a.scanId);
  });

  it("throws RemoteError with the problem's title and detail for 401 and 422", async () => {
    const bad = await remoteScan({
      server: url,
      apiKey: `kg_${"Wrong0key".repeat(4)}`,
      inputs: [{ file: "svc.yaml", text: SERVICE }],
      options: {},
      source: {},
      format: "json",
    }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RemoteError);
    expect((bad as RemoteError).status).toBe(401);
    expect((bad as Error).message).toMatch(/^POST \/v1\/scans answered 401 Unauthorized: .+/);
    expect((bad as Error).message).toContain("KUBEGUARD_API_KEY");

    const empty = await remoteScan({
      server: url,
      apiKey: KEY,
      inputs: [{ file: "empty.yaml", text: "# nothing here\n" }],
      options: {},
      source: {},
      format: "json",
    }).catch((e: unknown) => e);
    expect((empty as RemoteError).status).toBe(422);
    expect((empty as Error).message).toMatch(/answered 422 No usable document: The body is empty/);
    expect((empty as RemoteError).problem?.type).toMatch(/no-usable-document$/);
  });
});

interface Seen {
  method: string;
  path: string;
  body: string;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
}

/** A loopback server answering from a script of responses, then 201/200 forever. */
async function scripted(script: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        path: req.url ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        contentType: req.headers["content-type"],
      });
      const next = script.shift();
      if (next) {
        res.writeHead(next.status, { "content-type": "application/problem+json", ...next.headers });
        res.end(
          JSON.stringify(
            next.body ?? { title: "Service unavailable", status: next.status, detail: "try later" },
          ),
        );
      } else if (req.method === "POST") {
        res.writeHead(201, { "content-type": "application/json", location: "/v1/scans/scn_1" });
        res.end(JSON.stringify({ id: "scn_1", verdict: { passed: true, failOn: "high" } }));
      } else {
        res.writeHead(200, { "content-type": "application/sarif+json" });
        res.end('{"version":"2.1.0"}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const inputs = [{ file: "a.yaml", text: SERVICE }];

describe("remoteScan retries", () => {
  it("retries a 503 with exponential backoff, resending identical bytes and the same Idempotency-Key", async () => {
    const fake = await scripted([{ status: 503 }, { status: 502 }]);
    const sleeps: number[] = [];
    try {
      const r = await remoteScan({
        server: fake.url,
        apiKey: KEY,
        inputs,
        options: {},
        source: {},
        format: "sarif",
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      expect(r).toMatchObject({ passed: true, scanId: "scn_1", output: '{"version":"2.1.0"}' });
      expect(sleeps).toEqual([1000, 2000]);
      const posts = fake.seen.filter((s) => s.method === "POST");
      expect(posts).toHaveLength(3);
      expect(new Set(posts.map((p) => p.body)).size).toBe(1);
      expect(new Set(posts.map((p) => p.contentType)).size).toBe(1);
      expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
      expect(posts[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(posts[0]?.body).toContain('filename="a.yaml"');
      expect(fake.seen.at(-1)?.path).toBe("/v1/scans/scn_1/report?format=sarif");
    } finally {
      await fake.close();
    }
  });

  it("honours Retry-After on 429", async () => {
    const fake = await scripted([{ status: 429, headers: { "retry-after": "7" } }]);
    const sleeps: number[] = [];
    try {
      await remoteScan({
        server: fake.url,
        apiKey: KEY,
        inputs,
        options: {},
        source: {},
        format: "sarif",
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      expect(sleeps).toEqual([7000]);
    } finally {
      await fake.close();
    }
  });

  it("gives up after maxRetries with the last problem in the message", async () => {
    const fake = await scripted(Array.from({ length: 10 }, () => ({ status: 503 })));
    try {
      const err = await remoteScan({
        server: fake.url,
        apiKey: KEY,
        inputs,
        options: {},
        source: {},
        format: "json",
        maxRetries: 2,
        sleep: noSleep,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as Error).message).toBe("POST /v1/scans answered 503 Service unavailable: try later");
      expect(fake.seen.filter((s) => s.method === "POST")).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });

  it("does not retry a 4xx other than 429", async () => {
    const fake = await scripted([
      { status: 400, body: { title: "Invalid request", status: 400, detail: "pssLevel: bad" } },
    ]);
    try {
      const err = await remoteScan({
        server: fake.url,
        apiKey: KEY,
        inputs,
        options: {},
        source: {},
        format: "json",
        sleep: noSleep,
      }).catch((e: unknown) => e);
      expect((err as Error).message).toBe("POST /v1/scans answered 400 Invalid request: pssLevel: bad");
      expect(fake.seen).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it("throws RemoteError for a server that cannot be reached, after retrying", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    let slept = 0;
    const err = await remoteScan({
      server: `http://127.0.0.1:${port}`,
      apiKey: KEY,
      inputs,
      options: {},
      source: {},
      format: "json",
      sleep: async () => {
        slept++;
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as Error).message).toBe(
      `cannot reach the kubeguard API at http://127.0.0.1:${port}: connection refused`,
    );
    expect(slept).toBe(3);
  });

  it("rejects a server URL that is not http(s) and an answer that is not a scan", async () => {
    await expect(
      remoteScan({ server: "ftp://x", apiKey: KEY, inputs, options: {}, source: {}, format: "json" }),
    ).rejects.toThrow(/--server must be an http\(s\) URL/);
    const fake = await scripted([{ status: 201, body: { hello: "world" } }]);
    try {
      await expect(
        remoteScan({ server: fake.url, apiKey: KEY, inputs, options: {}, source: {}, format: "json" }),
      ).rejects.toThrow(/without a scan id and verdict/);
    } finally {
      await fake.close();
    }
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(
      10_000,
    );
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs("99999")).toBe(120_000);
  });
});

describe("ciSourceFromEnv", () => {
  it("reads GitHub Actions, preferring the pull request's head branch", () => {
    const env = {
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_SHA: "0123abcd",
      GITHUB_REF_NAME: "42/merge",
      GITHUB_HEAD_REF: "feature/x",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "987654",
    };
    expect(ciSourceFromEnv(env)).toEqual({
      repository: "acme/shop",
      commit: "0123abcd",
      branch: "feature/x",
      pipelineUrl: "https://github.com/acme/shop/actions/runs/987654",
    });
    expect(ciSourceFromEnv({ ...env, GITHUB_HEAD_REF: "" }).branch).toBe("42/merge");
  });

  it("reads GitLab CI", () => {
    expect(
      ciSourceFromEnv({
        GITLAB_CI: "true",
        CI_PROJECT_PATH: "acme/platform/shop",
        CI_COMMIT_SHA: "fedcba98",
        CI_COMMIT_REF_NAME: "main",
        CI_PIPELINE_URL: "https://gitlab.example.com/acme/platform/shop/-/pipelines/77",
      }),
    ).toEqual({
      repository: "acme/platform/shop",
      commit: "fedcba98",
      branch: "main",
      pipelineUrl: "https://gitlab.example.com/acme/platform/shop/-/pipelines/77",
    });
  });

  it("returns nothing outside CI", () => {
    expect(ciSourceFromEnv({ HOME: "/home/me" })).toEqual({});
  });
});

/**
 * POST/GET/DELETE /v1/scans and the scan sub-resources, in-process on an in-memory database.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.ts";
import { scanInputs } from "../../src/scan/run.ts";
import type { Finding, ScanReport } from "../../src/scan/types.ts";
import { BROKEN_YAML, HARDENED, HOST_NETWORK, PRIVILEGED } from "./fixtures.ts";
import { type Harness, harness, problem, yamlBody } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

async function createScan(text: string, query = "", headers: Record<string, string> = {}) {
  const res = await h.call(`/v1/scans${query}`, yamlBody(text, headers));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as {
    id: string;
    verdict: { passed: boolean; failOn: string };
    [k: string]: unknown;
  };
}

describe("POST /v1/scans", () => {
  it("stores a YAML scan and answers 201 with Location, summary, scores and verdict", async () => {
    const res = await h.call(
      "/v1/scans?pssLevel=baseline&failOn=critical&repository=github.com/acme/payments&branch=main&commit=4f1c0d7&pipelineUrl=https://ci.example.com/runs/1&labels=team%3Dpayments,env%3Dprod",
      yamlBody(`${PRIVILEGED}---\n${HARDENED}`),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json();
    expect(res.headers.get("location")).toBe(`/v1/scans/${body.id}`);
    expect(body.id).toMatch(/^scn_[A-Za-z0-9]{20}$/);
    // Clock readings before the scan: bootstrap, authentication, the scans-per-day check.
    expect(body.createdAt).toBe("2026-04-20T10:00:03.000Z");
    expect(Date.parse(body.completedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
    expect(body.tool.name).toBe("kubeguard");
    expect(body.options).toEqual({ pssLevel: "baseline", pssVersion: "latest", failOn: "critical" });
    expect(body.source).toEqual({
      repository: "github.com/acme/payments",
      commit: "4f1c0d7",
      branch: "main",
      pipelineUrl: "https://ci.example.com/runs/1",
      labels: { team: "payments", env: "prod" },
    });
    expect(body.summary.resources).toBe(2);
    expect(body.summary.bySeverity.critical).toBeGreaterThanOrEqual(1);
    expect(body.verdict).toEqual({ passed: false, failOn: "critical" });
    expect(body.frameworks.map((f: { id: string }) => f.id)).toContain("pss-baseline");
    for (const f of body.frameworks) expect(f).not.toHaveProperty("controls");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("takes application/x-yaml, text/yaml and a JSON object, array or List", async () => {
    for (const type of ["application/x-yaml", "text/yaml", "application/yaml; charset=utf-8"]) {
      const res = await h.call("/v1/scans", {
        method: "POST",
        body: HARDENED,
        headers: { "content-type": type },
      });
      expect(res.status, type).toBe(201);
    }
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "x" },
      spec: { containers: [{ name: "a", image: "busybox" }] },
    };
    for (const json of [
      pod,
      [pod, { ...pod, metadata: { name: "q" } }],
      { apiVersion: "v1", kind: "List", items: [pod] },
    ]) {
      const res = await h.call("/v1/scans", {
        method: "POST",
        body: JSON.stringify(json, null, 2),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(201);
      expect((await res.json()).summary.resources).toBe(Array.isArray(json) ? 2 : 1);
    }
  });

  it("takes multipart files and reports their names as file paths", async () => {
    const form = new FormData();
    form.append("file", new Blob([PRIVILEGED], { type: "application/yaml" }), "deploy/api.yaml");
    form.append("file", new Blob([HOST_NETWORK], { type: "application/yaml" }), "./batch/sniffer.yaml");
    const res = await h.call("/v1/scans", { method: "POST", body: form });
    expect(res.status).toBe(201);
    const { id, summary } = await res.json();
    expect(summary.resources).toBe(2);
    const report = await (await h.call(`/v1/scans/${id}/report?format=json`)).json();
    const files = new Set(report.findings.map((f: Finding) => f.location.file));
    expect(files).toEqual(new Set(["deploy/api.yaml", "batch/sniffer.yaml"]));
  });

  it("reports a bad document inside the scan and scans the rest", async () => {
    const scan = await createScan(`${PRIVILEGED}---\n${BROKEN_YAML}`);
    expect(scan.summary).toMatchObject({ resources: 1, errors: 1 });
  });

  it("answers 422 with line and column when no document is usable", async () => {
    const res = await h.call("/v1/scans", yamlBody(BROKEN_YAML));
    expect(res.status).toBe(422);
    const p = await problem(res);
    expect(p.type).toBe("https://kubeguard.dev/problems/no-usable-document");
    expect(p.instance).toBe("/v1/scans");
    expect(p.errors?.length).toBeGreaterThan(0);
    const [first] = p.errors ?? [];
    expect(first).toMatchObject({
      file: "manifest.yaml",
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(first?.line).toBeGreaterThanOrEqual(4);
    expect(first?.column).toBeGreaterThanOrEqual(1);
    // Nothing was stored.
    expect((await (await h.call("/v1/scans")).json()).items).toHaveLength(0);
  });

  it("answers 422 for an empty body, a comment-only body, invalid JSON and invalid UTF-8", async () => {
    for (const body of ["", "   \n", "# nothing here\n---\n", "\r\n  # a\r\n...\r\n---"]) {
      const res = await h.call("/v1/scans", yamlBody(body));
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await problem(res)).errors?.[0]).toMatchObject({ line: 1, column: 1 });
    }
    const json = await h.call("/v1/scans", {
      method: "POST",
      body: '{"apiVersion": "v1",\n  "kind": "Pod"\n  "metadata": {}}',
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(422);
    expect((await problem(json)).errors?.[0]).toMatchObject({ file: "manifest.json", line: 3, column: 3 });
    const bytes = new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe]);
    const utf8 = await h.call("/v1/scans", {
      method: "POST",
      body: bytes,
      headers: { "content-type": "application/yaml" },
    });
    expect(utf8.status).toBe(422);
    expect((await problem(utf8)).detail).toMatch(/UTF-8/);
  });

  it("answers 415 for other media types, a missing Content-Type, another charset or a compressed body", async () => {
    const cases: Record<string, string>[] = [
      { "content-type": "text/plain" },
      { "content-type": "application/xml" },
      {},
      { "content-type": "application/yaml; charset=latin1" },
      { "content-type": "application/yaml", "content-encoding": "gzip" },
    ];
    for (const headers of cases) {
      const res = await h.call("/v1/scans", { method: "POST", body: HARDENED, headers });
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect((await problem(res)).type).toBe("https://kubeguard.dev/problems/unsupported-media-type");
    }
  });

  it("answers 400 for a malformed multipart body", async () => {
    const res = await h.call("/v1/scans", {
      method: "POST",
      body: "not multipart at all",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
    });
    expect(res.status).toBe(400);
    await problem(res);
  });

  it("answers 400 naming the parameter for bad query values", async () => {
    const bad: [string, string][] = [
      ["pssLevel=strict", "query.pssLevel"],
      ["pssVersion=1.30", "query.pssVersion"],
      ["failOn=fatal", "query.failOn"],
      ["pipelineUrl=ftp://x", "query.pipelineUrl"],
      ["labels=novalue", "query.labels"],
      ["labels=a%3D1,a%3D2", "query.labels"],
      ["repository=", "query.repository"],
      ["pssLevel=baseline&pssLevel=restricted", "query.pssLevel"],
    ];
    for (const [query, field] of bad) {
      const res = await h.call(`/v1/scans?${query}`, yamlBody(HARDENED));
      expect(res.status, query).toBe(400);
      const p = await problem(res);
      expect(p.type).toBe("https://kubeguard.dev/problems/invalid-request");
      expect(
        p.errors?.map((e) => e.path),
        query,
      ).toContain(field);
      expect(p.detail).toContain(field);
    }
  });

  it("answers 400 for a malformed Idempotency-Key", async () => {
    const res = await h.call("/v1/scans", yamlBody(HARDENED, { "idempotency-key": "has space" }));
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.path).toBe("header.Idempotency-Key");
  });
});

describe("Idempotency-Key", () => {
  it("returns the same scan for a retry with the same body", async () => {
    const headers = { "idempotency-key": "ci-run-1842" };
    const first = await h.call("/v1/scans?branch=main", yamlBody(PRIVILEGED, headers));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await h.call("/v1/scans?branch=main", yamlBody(PRIVILEGED, headers));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const a = await first.json();
    const b = await again.json();
    expect(b).toEqual(a);
    expect(again.headers.get("location")).toBe(`/v1/scans/${a.id}`);
    expect((await (await h.call("/v1/scans")).json()).items).toHaveLength(1);
  });

  it("answers 409 for the same key with a different body or options", async () => {
    const headers = { "idempotency-key": "ci-run-7" };
    expect((await h.call("/v1/scans", yamlBody(PRIVILEGED, headers))).status).toBe(201);
    const otherBody = await h.call("/v1/scans", yamlBody(HARDENED, headers));
    expect(otherBody.status).toBe(409);
    expect((await problem(otherBody)).type).toBe("https://kubeguard.dev/problems/idempotency-key-reused");
    const otherOptions = await h.call("/v1/scans?failOn=low", yamlBody(PRIVILEGED, headers));
    expect(otherOptions.status).toBe(409);
  });

  it("keeps keys per tenant", async () => {
    const other = await h.otherTenant();
    const headers = { "idempotency-key": "shared-key" };
    const a = await (await h.call("/v1/scans", yamlBody(PRIVILEGED, headers))).json();
    const res = await h.call("/v1/scans", { ...yamlBody(HARDENED, headers), key: other.key });
    expect(res.status).toBe(201);
    expect((await res.json()).id).not.toBe(a.id);
  });

  it("resolves concurrent requests with one key to one scan", async () => {
    const headers = { "idempotency-key": "race" };
    const results = await Promise.all(
      [1, 2, 3].map(() => h.call("/v1/scans", yamlBody(PRIVILEGED, headers))),
    );
    const ids = new Set<string>();
    for (const res of results) {
      expect(res.status).toBe(201);
      ids.add((await res.json()).id);
    }
    expect(ids.size).toBe(1);
  });
});

describe("GET /v1/scans", () => {
  it("lists newest first with an opaque cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createScan(HARDENED)).id);
    const first = await (await h.call("/v1/scans?limit=2")).json();
    expect(first.items.map((s: { id: string }) => s.id)).toEqual([ids[4], ids[3]]);
    expect(typeof first.nextCursor).toBe("string");
    const second = await (await h.call(`/v1/scans?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const third = await (await h.call(`/v1/scans?limit=2&cursor=${second.nextCursor}`)).json();
    expect(third.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
  });

  it("filters by repository, branch, commit, passed and since", async () => {
    const a = await createScan(PRIVILEGED, "?repository=r1&branch=main&commit=c1");
    const b = await createScan(HARDENED, "?repository=r1&branch=feature&commit=c2");
    const c = await createScan(HARDENED, "?repository=r2&branch=main&commit=c3");
    const ids = async (q: string) =>
      ((await (await h.call(`/v1/scans?${q}`)).json()).items as { id: string }[]).map((s) => s.id);
    expect(await ids("repository=r1")).toEqual([b.id, a.id]);
    expect(await ids("branch=main")).toEqual([c.id, a.id]);
    expect(await ids("commit=c2")).toEqual([b.id]);
    expect(await ids("passed=false")).toEqual([a.id]);
    expect(await ids("passed=true")).toEqual([c.id, b.id]);
    const bCreated = ((await (await h.call(`/v1/scans/${b.id}`)).json()) as { createdAt: string }).createdAt;
    expect(await ids(`since=${encodeURIComponent(bCreated)}`)).toEqual([c.id, b.id]);
    expect(await ids("since=2026-04-20")).toHaveLength(3);
    expect(await ids("since=2027-01-01T00:00:00Z")).toEqual([]);
  });

  it("answers 400 for bad limits, cursors, booleans and dates", async () => {
    for (const [q, field] of [
      ["limit=0", "query.limit"],
      ["limit=101", "query.limit"],
      ["limit=ten", "query.limit"],
      ["cursor=garbage", "query.cursor"],
      ["passed=yes", "query.passed"],
      ["since=yesterday", "query.since"],
      ["since=2026-02-30", "query.since"],
      ["since=2026-04-31T00:00:00Z", "query.since"],
    ]) {
      const res = await h.call(`/v1/scans?${q}`);
      expect(res.status, q).toBe(400);
      expect((await problem(res)).errors?.map((e) => e.path)).toContain(field);
    }
  });
});

describe("GET and DELETE /v1/scans/{id}", () => {
  it("gets a scan as created and deletes it with its findings", async () => {
    const created = await createScan(PRIVILEGED);
    const got = await h.call(`/v1/scans/${created.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);
    const del = await h.call(`/v1/scans/${created.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    expect((await h.call(`/v1/scans/${created.id}`)).status).toBe(404);
    expect((await h.call(`/v1/scans/${created.id}/findings`)).status).toBe(404);
    expect((await h.call(`/v1/scans/${created.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("answers 404 problems for unknown scans", async () => {
    const res = await h.call("/v1/scans/scn_doesnotexist");
    expect(res.status).toBe(404);
    const p = await problem(res);
    expect(p).toMatchObject({
      type: "https://kubeguard.dev/problems/not-found",
      title: "Not found",
      instance: "/v1/scans/scn_doesnotexist",
    });
  });
});

describe("GET /v1/scans/{id}/findings", () => {
  let scanId: string;
  let all: Finding[];
  beforeEach(async () => {
    scanId = (await createScan(`${PRIVILEGED}---\n${HOST_NETWORK}---\n${HARDENED}`)).id;
    all = ((await (await h.call(`/v1/scans/${scanId}/report?format=json`)).json()) as ScanReport).findings;
    expect(all.length).toBeGreaterThan(4);
  });

  it("pages through every finding in report order", async () => {
    const seen: Finding[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Finding[]; nextCursor: string | null } = await (
        await h.call(`/v1/scans/${scanId}/findings?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("filters by minimum severity, check, namespace, kind and suppressed", async () => {
    const get = async (q: string) =>
      (await (await h.call(`/v1/scans/${scanId}/findings?limit=100&${q}`)).json()).items as Finding[];
    const high = await get("severity=high");
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((f) => f.severity === "high" || f.severity === "critical")).toBe(true);
    expect(high.length).toBe(all.filter((f) => f.severity === "high" || f.severity === "critical").length);
    const privileged = await get("check=pss.privileged");
    expect(privileged.length).toBeGreaterThan(0);
    expect(privileged.every((f) => f.check === "pss.privileged")).toBe(true);
    expect((await get("namespace=batch")).every((f) => f.resource.namespace === "batch")).toBe(true);
    expect((await get("kind=Deployment")).every((f) => f.resource.kind === "Deployment")).toBe(true);
    expect(await get("suppressed=true")).toEqual(all.filter((f) => f.suppressed));
    expect(await get("suppressed=false")).toEqual(all.filter((f) => !f.suppressed));
    expect(await get("kind=Deployment&severity=critical&check=pss.privileged")).toEqual(
      all.filter(
        (f) => f.resource.kind === "Deployment" && f.severity === "critical" && f.check === "pss.privileged",
      ),
    );
  });

  it("answers 400 for a bad severity or cursor", async () => {
    expect((await h.call(`/v1/scans/${scanId}/findings?severity=urgent`)).status).toBe(400);
    expect((await h.call(`/v1/scans/${scanId}/findings?cursor=${btoa('["scans",[1,"x"]]')}`)).status).toBe(
      400,
    );
  });
});

describe("GET /v1/scans/{id}/report", () => {
  it("serves exactly the engine's JSON report", async () => {
    const text = `${PRIVILEGED}---\n${HARDENED}---\n${BROKEN_YAML}`;
    const { id } = await createScan(text, "?pssLevel=baseline");
    const res = await h.call(`/v1/scans/${id}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("vary")).toBe("Accept");
    const expected = scanInputs({
      inputs: [{ file: "manifest.yaml", text }],
      options: { pssLevel: "baseline" },
      now: new Date("2026-04-20T10:00:02Z"),
    });
    const body = await res.text();
    expect(JSON.parse(body)).toEqual(expected);
    // Byte for byte what the CLI's JSON renderer writes for the same scan.
    expect(body).toBe(renderReport(expected, "json"));
  });

  it("serves SARIF, JUnit, Markdown and HTML by format or Accept", async () => {
    const { id } = await createScan(PRIVILEGED);
    const expectations: [string, RegExp][] = [
      ["sarif", /^application\/sarif\+json/],
      ["junit", /^application\/xml/],
      ["markdown", /^text\/markdown/],
      ["html", /^text\/html/],
      ["json", /^application\/json/],
    ];
    for (const [format, type] of expectations) {
      const res = await h.call(`/v1/scans/${id}/report?format=${format}`);
      expect(res.status, format).toBe(200);
      expect(res.headers.get("content-type"), format).toMatch(type);
      expect(res.headers.get("content-disposition")).toContain(`kubeguard-${id}.`);
    }
    const sarif = await (
      await h.call(`/v1/scans/${id}/report`, { headers: { accept: "application/sarif+json" } })
    ).json();
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const html = await h.call(`/v1/scans/${id}/report`, {
      headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" },
    });
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const junit = await (
      await h.call(`/v1/scans/${id}/report`, { headers: { accept: "application/xml" } })
    ).text();
    expect(junit).toMatch(/^<\?xml/);
    // A format the API does not serve falls back to JSON.
    const plain = await h.call(`/v1/scans/${id}/report`, { headers: { accept: "image/png" } });
    expect(plain.headers.get("content-type")).toMatch(/^application\/json/);
    // The stored scan renders the same JUnit every time (its own timestamp, not now).
    const again = await (await h.call(`/v1/scans/${id}/report?format=junit`)).text();
    expect(again).toBe(await (await h.call(`/v1/scans/${id}/report?format=junit`)).text());
  });

  it("answers 400 for an unknown format and 404 for an unknown scan", async () => {
    const { id } = await createScan(HARDENED);
    expect((await h.call(`/v1/scans/${id}/report?format=table`)).status).toBe(400);
    expect((await h.call("/v1/scans/scn_nope/report?format=sarif")).status).toBe(404);
  });
});

describe("GET /v1/scans/{id}/diff", () => {
  it("classifies findings as new, fixed and unchanged by fingerprint", async () => {
    const base = await createScan(`${PRIVILEGED}---\n${HARDENED}`, "?branch=main");
    // The head moves the Deployment down (lines change), drops nothing from it and adds the host-network pod.
    const head = await createScan(`${HARDENED}---\n${PRIVILEGED}---\n${HOST_NETWORK}`, "?branch=feature");
    const res = await h.call(`/v1/scans/${head.id}/diff?base=${base.id}`);
    expect(res.status).toBe(200);
    const diff = await res.json();
    expect(diff.scan.id).toBe(head.id);
    expect(diff.base.id).toBe(base.id);
    expect(diff.fixed).toEqual([]);
    expect(diff.unchanged.length).toBeGreaterThan(0);
    expect(diff.new.length).toBeGreaterThan(0);
    expect(diff.new.every((f: Finding) => f.resource.name === "sniffer")).toBe(true);
    expect(diff.unchanged.every((f: Finding) => f.resource.name !== "sniffer")).toBe(true);
    expect(diff.summary).toEqual({ new: diff.new.length, fixed: 0, unchanged: diff.unchanged.length });
    expect(diff.verdict).toEqual({ passed: false, failOn: "high" });

    const back = await (await h.call(`/v1/scans/${base.id}/diff?base=${head.id}`)).json();
    expect(back.new).toEqual([]);
    expect(back.fixed.length).toBe(diff.new.length);
    expect(back.verdict.passed).toBe(true);
    const lenient = await (await h.call(`/v1/scans/${head.id}/diff?base=${base.id}&failOn=none`)).json();
    expect(lenient.verdict).toEqual({ passed: true, failOn: "none" });
  });

  it("answers 400 without base and 404 for an unknown base", async () => {
    const { id } = await createScan(HARDENED);
    const missing = await h.call(`/v1/scans/${id}/diff`);
    expect(missing.status).toBe(400);
    expect((await problem(missing)).errors?.[0]?.path).toBe("query.base");
    const unknown = await h.call(`/v1/scans/${id}/diff?base=scn_nope`);
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).detail).toContain("scn_nope");
  });
});

/**
 * The Worker in workerd with D1: the first request bootstraps the tenant `default` with the key from
 * KUBEGUARD_BOOTSTRAP_KEY; a scan posted through the worker is stored in D1 and its SARIF report read back.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const BASE = "http://kubeguard.test";

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/api:v2.31.0
          securityContext:
            privileged: true
`;

/** Many small Pods: enough findings that D1 inserts must be chunked under 100 parameters. */
function pods(n: number): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: batch\nspec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: busybox\n`,
  ).join("---\n");
}

describe("worker on D1", () => {
  const auth = { authorization: `Bearer ${env.KUBEGUARD_BOOTSTRAP_KEY}` };

  it("answers health and refuses a request without a key", async () => {
    const health = await exports.default.fetch(`${BASE}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
    const res = await exports.default.fetch(`${BASE}/v1/scans`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("stores a scan and serves its SARIF report", async () => {
    const created = await exports.default.fetch(`${BASE}/v1/scans?repository=github.com/acme/payments`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/yaml", "idempotency-key": "worker-1" },
      body: MANIFEST,
    });
    expect(created.status).toBe(201);
    const scan = (await created.json()) as { id: string; verdict: { passed: boolean } };
    expect(scan.verdict.passed).toBe(false);
    expect(created.headers.get("location")).toBe(`/v1/scans/${scan.id}`);

    const res = await exports.default.fetch(`${BASE}/v1/scans/${scan.id}/report`, {
      headers: { ...auth, accept: "application/sarif+json" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/sarif+json");
    const sarif = (await res.json()) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const [run] = sarif.runs;
    expect(run?.tool.driver.name).toBe("kubeguard");
    const privileged = run?.results.find((r) => r.ruleId === "pss.privileged");
    expect(privileged?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("manifest.yaml");
    expect(privileged?.locations[0]?.physicalLocation.region.startLine).toBe(13);

    const replay = await exports.default.fetch(`${BASE}/v1/scans?repository=github.com/acme/payments`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/yaml", "idempotency-key": "worker-1" },
      body: MANIFEST,
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(scan.id);
  });

  it("writes a large scan atomically in chunks and pages its findings", async () => {
    const created = await exports.default.fetch(`${BASE}/v1/scans`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/yaml" },
      body: pods(40),
    });
    expect(created.status).toBe(201);
    const { id, summary } = (await created.json()) as {
      id: string;
      summary: { resources: number; findings: number; suppressed: number };
    };
    expect(summary.resources).toBe(40);
    const report = (await (
      await exports.default.fetch(`${BASE}/v1/scans/${id}/report?format=json`, { headers: auth })
    ).json()) as {
      findings: unknown[];
      resources: unknown[];
    };
    expect(report.resources).toHaveLength(40);
    expect(report.findings.length).toBe(summary.findings + summary.suppressed);
    expect(report.findings.length).toBeGreaterThan(40);
    const page = (await (
      await exports.default.fetch(`${BASE}/v1/scans/${id}/findings?limit=5&severity=high`, { headers: auth })
    ).json()) as {
      items: unknown[];
      nextCursor: string | null;
    };
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toEqual(expect.any(String));
    const del = await exports.default.fetch(`${BASE}/v1/scans/${id}`, { method: "DELETE", headers: auth });
    expect(del.status).toBe(204);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

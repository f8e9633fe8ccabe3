/**
 * The integrations on workerd with D1: a signed inbound hook stores a scan, and the admission webhook
 * (key in the URL) answers an AdmissionReview whose decision, written through `waitUntil`, is listed.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signStandard } from "../../src/webhooks/standard.ts";

const BASE = "http://kubeguard.test";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:1.27.2
      securityContext:
        privileged: true
`;

describe("integrations on D1", () => {
  const admin = { authorization: `Bearer ${env.KUBEGUARD_BOOTSTRAP_KEY}` };

  it("stores a scan posted to a signed inbound hook, once per webhook-id", async () => {
    const created = await exports.default.fetch(`${BASE}/v1/hooks`, { method: "POST", headers: admin });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string };
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "content-type": "application/yaml",
      "webhook-id": "msg_worker_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signStandard(hook.secret, { id: "msg_worker_1", timestamp, body: POD }),
    };
    const url = `${BASE}/v1/hooks/${hook.id}?repository=github.com/acme/shop`;
    const res = await exports.default.fetch(url, { method: "POST", headers, body: POD });
    expect(res.status).toBe(201);
    const scan = (await res.json()) as {
      id: string;
      verdict: { passed: boolean };
      source: { repository: string };
    };
    expect(scan.verdict.passed).toBe(false);
    expect(scan.source.repository).toBe("github.com/acme/shop");
    const replay = await exports.default.fetch(url, { method: "POST", headers, body: POD });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(scan.id);
    const unsigned = await exports.default.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/yaml" },
      body: POD,
    });
    expect(unsigned.status).toBe(401);
    const got = await exports.default.fetch(`${BASE}/v1/scans/${scan.id}`, { headers: admin });
    expect(got.status).toBe(200);
  });

  it("answers an AdmissionReview with the key in the URL and records the decision", async () => {
    const keyRes = await exports.default.fetch(`${BASE}/v1/keys`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ name: "cluster", scopes: ["admission"] }),
    });
    expect(keyRes.status).toBe(201);
    const { key } = (await keyRes.json()) as { key: string };
    const review = {
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: "d1d1d1d1-0000-4000-8000-000000000001",
        kind: { group: "", version: "v1", kind: "Pod" },
        resource: { group: "", version: "v1", resource: "pods" },
        name: "web",
        namespace: "shop",
        operation: "CREATE",
        userInfo: { username: "alice" },
        object: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "web", namespace: "shop" },
          spec: { containers: [{ name: "app", image: "nginx", securityContext: { privileged: true } }] },
        },
      },
    };
    const res = await exports.default.fetch(`${BASE}/v1/admission/${key}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(review),
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      response: { uid: string; allowed: boolean; status: { message: string } };
    };
    expect(out.response.uid).toBe(review.request.uid);
    expect(out.response.allowed).toBe(false);
    expect(out.response.status.message).toMatch(
      /^pods "web" is forbidden: violates PodSecurity "baseline:latest"/,
    );

    // The insert runs after the answer (waitUntil): poll the log briefly.
    let items: { uid: string; allowed: boolean }[] = [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      const list = await exports.default.fetch(`${BASE}/v1/admission/decisions`, { headers: admin });
      items = ((await list.json()) as { items: typeof items }).items;
      if (items.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(items).toEqual([expect.objectContaining({ uid: review.request.uid, allowed: false })]);
  });
});

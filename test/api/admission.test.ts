/**
 * The admission webhook over HTTP: AdmissionReview in, AdmissionReview out with the same uid, PSA
 * messages, the key in the header or the URL, only admission keys, 400 for malformed reviews, dry runs
 * not recorded, the decision log, and the ValidatingWebhookConfiguration.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { redactPath } from "../../src/api/credentials.ts";
import { forgetKey, KEY_CACHE_TTL_MS } from "../../src/api/key-cache.ts";
import { problem } from "./helpers.ts";
import { ADMIN_KEY, type IntegrationHarness, integrationHarness } from "./integrations-helpers.ts";

let h: IntegrationHarness;
let admission: string;
beforeEach(async () => {
  h = await integrationHarness();
  admission = await h.key(["admission"]);
});
afterEach(async () => {
  await h.settle();
  await h.close();
});

const privileged = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "shop" },
  spec: { containers: [{ name: "app", image: "nginx", securityContext: { privileged: true } }] },
};
const plain = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "api", namespace: "shop" },
  spec: { containers: [{ name: "app", image: "nginx" }] },
};

let serial = 0;
function review(object: Record<string, unknown>, over: Record<string, unknown> = {}) {
  serial++;
  const kind = (object.kind as string) ?? "Pod";
  const group = kind === "Pod" ? "" : "apps";
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `00000000-0000-0000-0000-${String(serial).padStart(12, "0")}`,
      kind: { group, version: "v1", kind },
      resource: { group, version: "v1", resource: `${kind.toLowerCase()}s` },
      name: (object.metadata as { name?: string }).name,
      namespace: (object.metadata as { namespace?: string }).namespace ?? "shop",
      operation: "CREATE",
      userInfo: { username: "alice" },
      object,
      ...over,
    },
  };
}

function post(body: unknown, key: string | null = admission, path = "/v1/admission") {
  return h.call(path, {
    method: "POST",
    key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
}

type Decisions = {
  items: {
    uid: string;
    allowed: boolean;
    namespace: string;
    name: string;
    message?: string;
    warnings: string[];
    exempt?: string;
    enforce?: string;
    keyId: string;
    operation: string;
    kind: string;
    username: string;
  }[];
  nextCursor: string | null;
};

async function decisions(query = ""): Promise<Decisions> {
  await h.settle();
  const res = await h.call(`/v1/admission/decisions${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe("POST /v1/admission", () => {
  it("denies a privileged Pod with the built-in controller's message and the same uid", async () => {
    const body = review(privileged);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      response: {
        uid: body.request.uid,
        allowed: false,
        status: {
          code: 403,
          reason: "Forbidden",
          message:
            'pods "web" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
        },
        auditAnnotations: {
          "enforce-policy": "baseline:latest",
          "audit-violations": expect.stringMatching(
            /^would violate PodSecurity "restricted:latest": privileged/,
          ),
        },
      },
    });
  });

  it("allows a baseline Pod with the restricted warning", async () => {
    const body = review(plain);
    const out = await (await post(body)).json();
    expect(out.response).toMatchObject({ uid: body.request.uid, allowed: true });
    expect(out.response.warnings[0]).toMatch(
      /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    expect(out.response).not.toHaveProperty("status");
  });

  it("applies the tenant's admission settings", async () => {
    await h.store.settings.put(
      "default",
      {
        admission: {
          enforce: { level: "restricted", version: "latest" },
          namespaces: { legacy: { enforce: { level: "privileged", version: "latest" } } },
          exemptions: { usernames: ["system:serviceaccount:kube-system:ci"] },
        },
      },
      "test",
      h.clock.now(),
    );
    const restricted = await (await post(review(plain))).json();
    h.clock.advance(1000);
    expect(restricted.response.allowed).toBe(false);
    expect(restricted.response.status.message).toMatch(
      /^pods "api" is forbidden: violates PodSecurity "restricted:latest": /,
    );
    const legacy = await (
      await post(review({ ...privileged, metadata: { name: "old", namespace: "legacy" } }))
    ).json();
    h.clock.advance(1000);
    expect(legacy.response.allowed).toBe(true);
    const exempt = await (
      await post(review(privileged, { userInfo: { username: "system:serviceaccount:kube-system:ci" } }))
    ).json();
    expect(exempt.response).toMatchObject({ allowed: true, auditAnnotations: { exempt: "user" } });
    const log = await decisions();
    expect(log.items.map((d) => d.exempt ?? null)).toEqual(["user", null, null]);
  });

  it("applies a settings change made through PUT /v1/settings at once, despite the settings cache", async () => {
    const first = await (await post(review(plain))).json();
    expect(first.response.allowed).toBe(true); // default enforce is baseline
    const put = await h.call("/v1/settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ admission: { enforce: { level: "restricted", version: "latest" } } }),
    });
    expect(put.status).toBe(200);
    const second = await (await post(review(plain))).json();
    expect(second.response.allowed).toBe(false);
  });

  it("takes the key as the last path segment, verified like a bearer key", async () => {
    const body = review(privileged);
    const res = await post(body, null, `/v1/admission/${admission}`);
    expect(res.status).toBe(200);
    expect((await res.json()).response.uid).toBe(body.request.uid);
    const wrong = await post(body, null, `/v1/admission/${admission.slice(0, -1)}x`);
    expect(wrong.status).toBe(401);
    const p = await problem(wrong);
    expect(p.instance).toBe("/v1/admission/<redacted>");
    expect(JSON.stringify(p)).not.toContain(admission.slice(0, -1));
  });

  it("trusts a verified admission key for a few seconds: revocation applies within KEY_CACHE_TTL_MS, at once after forgetKey", async () => {
    const body = review(plain);
    expect((await post(body)).status).toBe(200);
    const { keyId } = (await h.store.apiKeys.verify(admission, h.clock.now()))!;
    await h.store.apiKeys.revoke("default", keyId, h.clock.now());
    // Revoked in the database; this instance verified it a moment ago.
    expect((await post(body)).status).toBe(200);
    h.clock.advance(KEY_CACHE_TTL_MS);
    expect((await post(body)).status).toBe(401);
    expect((await post(body, null, `/v1/admission/${admission}`)).status).toBe(401);
    // The routes that revoke keys call forgetKey: no delay on this instance.
    const second = await h.key(["admission"]);
    expect((await post(body, second)).status).toBe(200);
    const { keyId: secondId } = (await h.store.apiKeys.verify(second, h.clock.now()))!;
    await h.store.apiKeys.revoke("default", secondId, h.clock.now());
    forgetKey(h.store, secondId);
    expect((await post(body, second)).status).toBe(401);
    // Other routes never use the cache.
    const read = await h.key(["read"]);
    expect((await h.call("/v1/admission/decisions", { key: read })).status).toBe(200);
    const { keyId: readId } = (await h.store.apiKeys.verify(read, h.clock.now()))!;
    await h.store.apiKeys.revoke("default", readId, h.clock.now());
    expect((await h.call("/v1/admission/decisions", { key: read })).status).toBe(401);
  });

  it("accepts only admission keys, and admission keys nothing else", async () => {
    const body = review(plain);
    expect((await post(body, null)).status).toBe(401);
    for (const scopes of [["admin"], ["scan"], ["read"]] as const) {
      const key = scopes[0] === "admin" ? ADMIN_KEY : await h.key([...scopes]);
      const res = await post(body, key);
      expect(res.status, scopes[0]).toBe(403);
      expect((await problem(res)).type).toBe("https://kubeguard.dev/problems/insufficient-scope");
      expect((await post(body, null, `/v1/admission/${key}`)).status).toBe(403);
    }
    expect((await h.call("/v1/scans", { key: admission })).status).toBe(403);
    expect((await h.call("/v1/admission/decisions", { key: admission })).status).toBe(403);
  });

  it("answers 400 for a malformed review, never an allow", async () => {
    const good = review(privileged);
    const bad: [string, unknown][] = [
      ["not JSON", "{"],
      ["empty", {}],
      ["wrong apiVersion", { ...good, apiVersion: "admission.k8s.io/v1beta1" }],
      ["no uid", { ...good, request: { ...good.request, uid: undefined } }],
      ["no request", { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" }],
      ["no object", { ...good, request: { ...good.request, object: undefined } }],
      [
        "no pod spec",
        {
          ...good,
          request: { ...good.request, object: { apiVersion: "v1", kind: "Pod", metadata: { name: "x" } } },
        },
      ],
    ];
    for (const [what, body] of bad) {
      const res = await post(body);
      expect(res.status, what).toBe(400);
      const p = await problem(res);
      expect(p.type).toBe("https://kubeguard.dev/problems/invalid-request");
      expect(p.errors?.[0]?.path, what).toMatch(/^body/);
    }
    const yaml = await h.call("/v1/admission", {
      method: "POST",
      key: admission,
      body: "apiVersion: admission.k8s.io/v1",
      headers: { "content-type": "application/yaml" },
    });
    expect(yaml.status).toBe(415);
    expect((await decisions()).items).toEqual([]);
  });

  it("honours dryRun: answered, not recorded", async () => {
    const dry = await (await post(review(privileged, { dryRun: true }))).json();
    expect(dry.response.allowed).toBe(false);
    await post(review(plain));
    const log = await decisions();
    expect(log.items).toHaveLength(1);
    expect(log.items[0]?.name).toBe("api");
  });

  it("records every other decision and lists them newest first with filters and a cursor", async () => {
    const uids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = review({ ...privileged, metadata: { name: `bad-${i}`, namespace: "shop" } });
      uids.push(body.request.uid);
      await post(body);
      h.clock.advance(1000);
    }
    await post(review({ ...plain, metadata: { name: "good", namespace: "web" } }));
    h.clock.advance(1000);
    // An operation that is not evaluated is recorded as ignored.
    await post(review(plain, { operation: "DELETE" }));
    const all = await decisions();
    expect(all.items.map((d) => d.name)).toEqual(["api", "good", "bad-2", "bad-1", "bad-0"]);
    const { keyId } = (await h.store.apiKeys.verify(admission, h.clock.now()))!;
    expect(all.items[2]).toMatchObject({
      uid: uids[2],
      keyId,
      operation: "CREATE",
      kind: "Pod",
      namespace: "shop",
      username: "alice",
      allowed: false,
      enforce: "baseline:latest",
      message: expect.stringMatching(/^pods "bad-2" is forbidden/),
      warnings: [],
    });
    expect(all.items[1]?.warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest"/);
    expect(all.items[0]).toMatchObject({ operation: "DELETE", exempt: "ignored", allowed: true });
    expect((await decisions("?allowed=false")).items.map((d) => d.name)).toEqual(["bad-2", "bad-1", "bad-0"]);
    expect((await decisions("?namespace=web")).items.map((d) => d.name)).toEqual(["good"]);
    const page1 = await decisions("?limit=2");
    const page2 = await decisions(`?limit=2&cursor=${page1.nextCursor}`);
    const page3 = await decisions(`?limit=2&cursor=${page2.nextCursor}`);
    expect([...page1.items, ...page2.items, ...page3.items].map((d) => d.name)).toEqual(
      all.items.map((d) => d.name),
    );
    expect(page3.nextCursor).toBeNull();
    expect((await h.call("/v1/admission/decisions?allowed=maybe")).status).toBe(400);
    // Another tenant sees none of them.
    const other = await h.otherTenant();
    expect((await (await h.call("/v1/admission/decisions", { key: other.key })).json()).items).toEqual([]);
  });

  it("writes the decisions of concurrent requests in one batch", async () => {
    const batches: number[] = [];
    const record = h.store.admission.record.bind(h.store.admission);
    h.store.admission.record = async (rows) => {
      batches.push(rows.length);
      return record(rows);
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(review({ ...plain, metadata: { name: `p${i}` } }))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect((await decisions("?limit=100")).items).toHaveLength(8);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(8);
    expect(batches.length).toBeLessThan(8);
  });

  it("keeps the token out of problem documents and logs", () => {
    expect(redactPath("/v1/admission/kg_abcdefghijklmnopqrstuvwxyz0123456789")).toBe(
      "/v1/admission/<redacted>",
    );
    expect(redactPath("/v1/admission/decisions")).toBe("/v1/admission/decisions");
  });

  it("redacts the token of a path that matches no route", async () => {
    const res = await h.call(`/v1/admission/${admission}/extra`, { method: "GET", key: null });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const text = await res.text();
    expect(text).not.toContain(admission);
    const get = await h.call(`/v1/admission/${admission}`, { method: "GET", key: null });
    expect(await get.text()).not.toContain(admission);
  });
});

describe("GET /v1/admission/config", () => {
  it("serves a ValidatingWebhookConfiguration for the tenant with the key placeholder", async () => {
    await h.store.settings.put(
      "default",
      { admission: { exemptions: { namespaces: ["monitoring"] } } },
      "test",
      h.clock.now(),
    );
    const res = await h.call("/v1/admission/config");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/yaml");
    const text = await res.text();
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(admission);
    expect(text).toContain("# failurePolicy decides what happens when kubeguard cannot answer");
    const doc = parse(text);
    expect(doc).toMatchObject({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "kubeguard" },
    });
    const [webhook] = doc.webhooks;
    expect(webhook).toMatchObject({
      name: "pod-security.kubeguard.dev",
      admissionReviewVersions: ["v1"],
      sideEffects: "NoneOnDryRun",
      timeoutSeconds: 5,
      failurePolicy: "Ignore",
      clientConfig: { url: "http://localhost/v1/admission/<ADMISSION_KEY>" },
      namespaceSelector: {
        matchExpressions: [
          { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "monitoring"] },
        ],
      },
    });
    const resources = webhook.rules.flatMap((r: { resources: string[] }) => r.resources);
    expect(resources).toEqual(
      expect.arrayContaining([
        "pods",
        "deployments",
        "replicasets",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
        "replicationcontrollers",
      ]),
    );
    for (const rule of webhook.rules) expect(rule.operations).toEqual(["CREATE", "UPDATE"]);
  });

  it("uses the configured public URL and the failurePolicy asked for", async () => {
    await h.close();
    h = await integrationHarness({ config: { publicUrl: "https://kubeguard.example.com" } });
    const doc = parse(await (await h.call("/v1/admission/config?failurePolicy=Fail")).text());
    expect(doc.webhooks[0].failurePolicy).toBe("Fail");
    expect(doc.webhooks[0].clientConfig.url).toBe(
      "https://kubeguard.example.com/v1/admission/<ADMISSION_KEY>",
    );
    expect((await h.call("/v1/admission/config?failurePolicy=Maybe")).status).toBe(400);
    expect((await h.call("/v1/admission/config", { key: null })).status).toBe(401);
  });
});

/**
 * The authorisation matrix over every route of the generated OpenAPI document, so a route registered
 * later (the integrations routes too) is covered as soon as it is in ROUTES:
 * - tenant routes (`bearerAuth: [scope]`): no key, a wrong, revoked or expired key, and the platform
 *   token → 401; a key without the scope → 403 `insufficient-scope`; a suspended tenant's key → 403
 *   `tenant-suspended`; another tenant's object → 404; a key with exactly the scope → not refused;
 * - admin routes (`platformToken`): no token, a wrong token, a tenant admin key → 401; the admin API
 *   off → 404; the platform token → not refused;
 * - public routes and routes with a credential of their own (a signature, a token in the path) are
 *   listed explicitly; any other route without security fails the classification.
 * The scope a route needs is read from its `security` in the document, so the documentation and the
 * enforcement are checked against each other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathCredential } from "../../src/api/credentials.ts";
import { buildOpenApiDocument } from "../../src/api/openapi.ts";
import type { Scope } from "../../src/auth/keys.ts";
import { DEFAULT_TENANCY } from "../../src/config.ts";
import { HARDENED } from "./fixtures.ts";
import { type Harness, harness, KEY, manualClock, problem } from "./helpers.ts";

const PLATFORM_TOKEN = `pt_${"Pl4tf0rm".repeat(5)}`;
const PROBLEMS = "https://kubeguard.dev/problems/";

/** Routes anyone may call. */
const PUBLIC = ["GET /healthz", "GET /openapi.yaml", "GET /openapi.json", "GET /docs"];
/** `{id}` routes whose object is not a tenant's (the check registry). */
const GLOBAL_OBJECTS = ["/v1/policies/{id}"];

type Json = Record<string, unknown>;
type Schema = Json & { $ref?: string; example?: unknown; properties?: Record<string, Schema>; type?: string };
type Parameter = { name: string; in: string; required?: boolean; example?: unknown; schema?: Schema };
type Operation = {
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown }> };
};

const doc = buildOpenApiDocument();
const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;

interface Route {
  method: string;
  path: string;
  label: string;
  op: Operation;
  kind: "public" | "own" | "tenant" | "platform" | "unclassified";
  scope?: Scope;
}

const routes: Route[] = [];
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [m, op] of Object.entries(item as Record<string, Operation>)) {
    const method = m.toUpperCase();
    const label = `${method} ${path}`;
    const security = op.security ?? [];
    const bearer = security.find((s) => "bearerAuth" in s)?.bearerAuth;
    let kind: Route["kind"] = "unclassified";
    let scope: Scope | undefined;
    if (PUBLIC.includes(label)) kind = "public";
    else if (pathCredential(method, path.replace(/\{[^}]+\}/g, "x_1"))) kind = "own";
    else if (security.some((s) => "platformToken" in s)) kind = "platform";
    else if (bearer && bearer.length === 1) {
      kind = "tenant";
      scope = bearer[0] as Scope;
    }
    routes.push({ method, path, label, op, kind, ...(scope ? { scope } : {}) });
  }
}
const tenantRoutes = routes.filter((r) => r.kind === "tenant");
const platformRoutes = routes.filter((r) => r.kind === "platform");

// ---------------------------------------------------------------- request building from the document

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return resolve(schemas[schema.$ref.replace("#/components/schemas/", "")]);
}

/** An example value of a schema: its example, else one built from its properties' examples. */
function exampleOf(schema: Schema | undefined): unknown {
  const s = resolve(schema);
  if (!s) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.type === "array" && s.items) {
    const item = exampleOf(s.items as Schema);
    return item === undefined ? undefined : [item];
  }
  if (s.properties) {
    const out: Json = {};
    for (const [k, v] of Object.entries(s.properties)) {
      const e = exampleOf(v);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  return undefined;
}

/** A body the route's document describes, preferring JSON, else YAML. */
function bodyFor(op: Operation): { contentType: string; body: string } | undefined {
  const content = op.requestBody?.content;
  if (!content) return undefined;
  if (content["application/json"]) {
    const c = content["application/json"];
    const value = c.example ?? exampleOf(c.schema) ?? {};
    // A manifest body: send a real manifest rather than the schema's placeholder.
    if (content["application/yaml"]?.example) return { contentType: "application/yaml", body: HARDENED };
    return { contentType: "application/json", body: JSON.stringify(value) };
  }
  const yaml = content["application/yaml"];
  if (yaml) return { contentType: "application/yaml", body: String(yaml.example ?? HARDENED) };
  const [type, c] = Object.entries(content)[0] ?? [];
  return type ? { contentType: type, body: JSON.stringify(c?.example ?? {}) } : undefined;
}

/** The concrete URL: `{id}` → id, required query parameters from their examples (`base` → id). */
function urlFor(route: Route, id = "x_missing"): string {
  let url = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
  const query = (route.op.parameters ?? [])
    .filter((p) => p.in === "query" && p.required)
    .map(
      (p) =>
        `${p.name}=${encodeURIComponent(p.name === "base" ? id : String(p.example ?? p.schema?.example ?? "x"))}`,
    );
  if (query.length) url += `?${query.join("&")}`;
  return url;
}

function requestInit(route: Route, authorization?: string): RequestInit & { key: null } {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  const init: RequestInit & { key: null } = { method: route.method, headers, key: null };
  const body = bodyFor(route.op);
  if (body && route.method !== "GET" && route.method !== "DELETE") {
    headers["content-type"] = body.contentType;
    init.body = body.body;
  }
  return init;
}

/** The collection path of an `{id}` route (`/v1/scans/{id}/report` → `/v1/scans`). */
function collectionOf(path: string): string {
  return path.slice(0, path.indexOf("/{"));
}

// ---------------------------------------------------------------- fixtures

let h: Harness;
let off: Harness;
const clock = manualClock();
const keys = {} as Record<
  Scope | "revoked" | "expired" | "other" | "otherAdmission" | "suspended" | "suspendedAdmission",
  string
>;

beforeAll(async () => {
  // High request limits: the matrix makes hundreds of requests with each key in one minute.
  const tenancy = { ...DEFAULT_TENANCY, requestsPerMinute: 1_000_000, scansPerDay: 1_000_000 };
  h = await harness({ platformToken: PLATFORM_TOKEN, tenancy }, { clock });
  off = await harness({ tenancy }, { clock });
  const now = clock.now();
  const make = async (tenantId: string, scopes: Scope[], extra: { expiresAt?: Date } = {}) =>
    (await h.store.apiKeys.create(tenantId, { name: scopes.join("+"), scopes, ...extra }, now)).key;
  keys.admin = KEY;
  keys.scan = await make("default", ["scan"]);
  keys.read = await make("default", ["read"]);
  keys.admission = await make("default", ["admission"]);
  const revoked = await h.store.apiKeys.create("default", { name: "revoked", scopes: ["admin"] }, now);
  await h.store.apiKeys.revoke("default", revoked.keyId, now);
  keys.revoked = revoked.key;
  keys.expired = await make("default", ["admin", "admission"], {
    expiresAt: new Date(now.getTime() + 60_000),
  });
  const other = await h.store.tenants.create({ name: "other" }, now);
  keys.other = await make(other.id, ["admin"]);
  keys.otherAdmission = await make(other.id, ["admission"]);
  const suspended = await h.store.tenants.create({ name: "suspended" }, now);
  keys.suspended = await make(suspended.id, ["admin"]);
  keys.suspendedAdmission = await make(suspended.id, ["admission"]);
  await h.store.tenants.update(suspended.id, { suspended: true }, now);
  // The expired key expires; everything below happens two minutes later.
  clock.advance(120_000);
});
afterAll(async () => {
  await h.close();
  await off.close();
});

/** Creates an object of the default tenant in `collection` through its POST, as the document describes it. */
async function createObject(collection: string): Promise<string> {
  const create = routes.find((r) => r.method === "POST" && r.path === collection);
  if (!create) throw new Error(`no POST ${collection} to create an object for the matrix`);
  const res = await h.call(collection, requestInit(create, `Bearer ${KEY}`));
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id)
    throw new Error(
      `POST ${collection} → ${res.status} ${JSON.stringify(body)}: fix the example or add an override`,
    );
  return body.id;
}

/** A key of the default tenant with the scope, and one lacking it. */
function keyLacking(scope: Scope): string {
  return { read: keys.admission, scan: keys.read, admin: keys.scan, admission: keys.admin }[scope];
}

function expectProblem(res: Response, status: number, code: string) {
  return problem(res).then((p) => {
    expect(res.status).toBe(status);
    expect(p.type).toBe(`${PROBLEMS}${code}`);
    return p;
  });
}

// ---------------------------------------------------------------- the matrix

describe("route classification", () => {
  it("puts every documented operation in exactly one class", () => {
    const unclassified = routes.filter((r) => r.kind === "unclassified").map((r) => r.label);
    // A route here has no security, or a bearerAuth without exactly one scope: declare
    // `security: scopeSecurity(scope)` (tenant), `[{ platformToken: [] }]` (admin) or list it above.
    expect(unclassified).toEqual([]);
    expect(
      routes
        .filter((r) => r.kind === "public")
        .map((r) => r.label)
        .sort(),
    ).toEqual([...PUBLIC].sort());
    expect(tenantRoutes.length).toBeGreaterThanOrEqual(20);
    expect(platformRoutes.map((r) => r.label).sort()).toEqual(
      [
        "POST /v1/admin/tenants",
        "GET /v1/admin/tenants",
        "GET /v1/admin/tenants/{id}",
        "PATCH /v1/admin/tenants/{id}",
        "DELETE /v1/admin/tenants/{id}",
        "POST /v1/admin/tenants/{id}/keys",
      ].sort(),
    );
  });

  it("documents the scope of each tenant route in its 403 response", () => {
    for (const r of tenantRoutes) {
      const forbidden = (r.op as { responses?: Record<string, { description?: string }> }).responses?.["403"];
      expect(forbidden?.description, r.label).toContain(`\`${r.scope}\``);
    }
  });

  it("needs `read` to read, `scan` to scan and delete scans, `admin` to manage", () => {
    const scopeOf = (label: string) => routes.find((r) => r.label === label)?.scope;
    for (const label of [
      "GET /v1/scans",
      "GET /v1/scans/{id}",
      "GET /v1/scans/{id}/findings",
      "GET /v1/scans/{id}/report",
      "GET /v1/scans/{id}/diff",
      "GET /v1/policies",
      "GET /v1/policies/{id}",
      "GET /v1/frameworks",
    ])
      expect(scopeOf(label), label).toBe("read");
    for (const label of ["POST /v1/scans", "DELETE /v1/scans/{id}", "POST /v1/evaluate"])
      expect(scopeOf(label), label).toBe("scan");
    for (const label of [
      "POST /v1/keys",
      "GET /v1/keys",
      "DELETE /v1/keys/{id}",
      "GET /v1/settings",
      "PUT /v1/settings",
      "GET /v1/audit",
    ])
      expect(scopeOf(label), label).toBe("admin");
  });
});

describe.each(tenantRoutes.map((r) => [r.label, r] as const))("%s", (_label, route) => {
  const scope = route.scope as Scope;
  const url = () => urlFor(route);
  const refused: [string, () => string | undefined][] = [
    ["no key", () => undefined],
    ["a wrong key", () => `Bearer kg_${"Wr0ngKey".repeat(5)}`],
    ["a revoked key", () => `Bearer ${keys.revoked}`],
    ["an expired key", () => `Bearer ${keys.expired}`],
    ["the platform token", () => `Bearer ${PLATFORM_TOKEN}`],
  ];
  for (const [label, authorization] of refused) {
    it(`${label} → 401`, async () => {
      const res = await h.call(url(), requestInit(route, authorization()));
      await expectProblem(res, 401, "unauthorized");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="kubeguard"/);
    });
  }

  it(`a key without "${scope}" → 403 insufficient-scope`, async () => {
    const res = await h.call(url(), requestInit(route, `Bearer ${keyLacking(scope)}`));
    const p = await expectProblem(res, 403, "insufficient-scope");
    expect(p.detail).toContain(`"${scope}"`);
  });

  it("a suspended tenant's key → 403 tenant-suspended", async () => {
    const key = scope === "admission" ? keys.suspendedAdmission : keys.suspended;
    await expectProblem(await h.call(url(), requestInit(route, `Bearer ${key}`)), 403, "tenant-suspended");
  });

  if (route.path.includes("{") && !GLOBAL_OBJECTS.includes(route.path)) {
    it("another tenant's object → 404", async () => {
      const id = await createObject(collectionOf(route.path));
      const key = scope === "admission" ? keys.otherAdmission : keys.other;
      await expectProblem(
        await h.call(urlFor(route, id), requestInit(route, `Bearer ${key}`)),
        404,
        "not-found",
      );
      // The owner with exactly the scope is let through (and the object is still there for it).
      const own = await h.call(urlFor(route, id), requestInit(route, `Bearer ${keys[scope]}`));
      expect([401, 403, 404], `${route.label} for its owner → ${own.status}`).not.toContain(own.status);
    });
  } else {
    it(`a key with exactly "${scope}" is let through`, async () => {
      const res = await h.call(url(), requestInit(route, `Bearer ${keys[scope]}`));
      expect([401, 403], `${route.label} → ${res.status}`).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });
  }
});

describe.each(platformRoutes.map((r) => [r.label, r] as const))("%s", (_label, route) => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await h.store.tenants.create({ name: "throwaway" }, clock.now())).id;
  });
  const url = () => urlFor(route, tenantId);

  for (const [label, authorization] of [
    ["no token", undefined],
    ["a wrong token", `Bearer ${PLATFORM_TOKEN.slice(0, -1)}X`],
    ["a tenant admin key", `Bearer ${KEY}`],
    ["the token in another scheme", `Basic ${btoa(`platform:${PLATFORM_TOKEN}`)}`],
  ] as const) {
    it(`${label} → 401`, async () => {
      const res = await h.call(url(), requestInit(route, authorization));
      const p = await expectProblem(res, 401, "unauthorized");
      expect(JSON.stringify(p)).not.toContain(PLATFORM_TOKEN);
    });
  }

  it("the admin API off (no KUBEGUARD_PLATFORM_TOKEN) → 404 even with a token", async () => {
    await expectProblem(
      await off.call(url(), requestInit(route, `Bearer ${PLATFORM_TOKEN}`)),
      404,
      "not-found",
    );
    await expectProblem(await off.call(url(), requestInit(route)), 404, "not-found");
  });

  it("the platform token is let through", async () => {
    const res = await h.call(url(), requestInit(route, `Bearer ${PLATFORM_TOKEN}`));
    expect([401, 403, 404], `${route.label} → ${res.status}`).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});

describe("the admin API off", () => {
  it("answers 404 for any /v1/admin path, as for a path that does not exist", async () => {
    for (const path of ["/v1/admin", "/v1/admin/tenants", "/v1/admin/nothing/here"]) {
      const res = await off.call(path, { key: null, headers: { authorization: `Bearer ${PLATFORM_TOKEN}` } });
      const p = await expectProblem(res, 404, "not-found");
      expect(p.detail).toBe(`No route for GET ${path}.`);
    }
  });
});

/**
 * openapi.yaml is generated from the route definitions: it must equal what the generator writes now,
 * describe every route the app serves, and document problems and security on every operation.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pathCredential } from "../../src/api/credentials.ts";
import { buildOpenApiDocument, openApiYaml } from "../../src/api/openapi.ts";

const committed = readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8");
const doc = buildOpenApiDocument();

type Operation = {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
};

function operations(): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>))
      out.push([method, path, op]);
  }
  return out;
}

describe("openapi.yaml", () => {
  it("is what `npm run openapi` generates (run it after changing a route)", () => {
    expect(committed).toBe(openApiYaml(doc));
  });

  it("parses as OpenAPI 3.1 with a license url and the bearer scheme", () => {
    const parsed = parse(committed);
    expect(parsed.openapi).toBe("3.1.0");
    expect(parsed.info.license).toEqual({
      name: "Apache-2.0",
      url: "https://www.apache.org/licenses/LICENSE-2.0",
    });
    expect(parsed.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every endpoint of the issue", () => {
    const listed = operations().map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(listed.sort()).toEqual(
      [
        "POST /v1/scans",
        "GET /v1/scans",
        "GET /v1/scans/{id}",
        "DELETE /v1/scans/{id}",
        "GET /v1/scans/{id}/findings",
        "GET /v1/scans/{id}/report",
        "GET /v1/scans/{id}/diff",
        "POST /v1/evaluate",
        "GET /v1/policies",
        "GET /v1/policies/{id}",
        "GET /v1/frameworks",
        // Tenancy (issue 5).
        "POST /v1/keys",
        "GET /v1/keys",
        "DELETE /v1/keys/{id}",
        "GET /v1/settings",
        "PUT /v1/settings",
        "GET /v1/audit",
        "POST /v1/admin/tenants",
        "GET /v1/admin/tenants",
        "GET /v1/admin/tenants/{id}",
        "PATCH /v1/admin/tenants/{id}",
        "DELETE /v1/admin/tenants/{id}",
        "POST /v1/admin/tenants/{id}/keys",
        // Integrations (issue 5).
        "POST /v1/hooks",
        "GET /v1/hooks",
        "DELETE /v1/hooks/{id}",
        "POST /v1/hooks/{id}",
        "POST /v1/webhooks",
        "GET /v1/webhooks",
        "GET /v1/webhooks/{id}",
        "DELETE /v1/webhooks/{id}",
        "GET /v1/webhooks/{id}/deliveries",
        "POST /v1/admission",
        "POST /v1/admission/{token}",
        "GET /v1/admission/decisions",
        "GET /v1/admission/config",
        "GET /healthz",
        "GET /openapi.json",
        "GET /openapi.yaml",
        "GET /docs",
      ].sort(),
    );
  });

  it("gives every /v1 operation its security (a tenant scope, or the platform token), 401, 429 and 500 problems, and a unique operationId", () => {
    const ids = new Set<string>();
    for (const [method, path, op] of operations()) {
      expect(op.operationId, `${method} ${path}`).toBeTruthy();
      expect(ids.has(op.operationId ?? "")).toBe(false);
      ids.add(op.operationId ?? "");
      if (!path.startsWith("/v1/")) continue;
      // Routes with their own credential (a signature, a token in the path) declare what they like.
      if (pathCredential(method.toUpperCase(), path)) continue;
      if (path.startsWith("/v1/admin/")) {
        expect(op.security, `${method} ${path}`).toEqual([{ platformToken: [] }]);
        for (const status of ["401", "500"])
          expect(Object.keys(op.responses[status]?.content ?? {}), `${method} ${path} ${status}`).toEqual([
            "application/problem+json",
          ]);
        continue;
      }
      // The scope the route needs, as OpenAPI 3.1 allows for non-OAuth schemes (role names).
      expect(op.security, `${method} ${path}`).toEqual([
        { bearerAuth: [expect.stringMatching(/^(admin|scan|read|admission)$/)] },
      ]);
      for (const status of ["401", "403", "429", "500"]) {
        expect(Object.keys(op.responses[status]?.content ?? {}), `${method} ${path} ${status}`).toEqual([
          "application/problem+json",
        ]);
      }
    }
  });

  it("documents the report media types", () => {
    const report = doc.paths?.["/v1/scans/{id}/report"]?.get as Operation;
    expect(Object.keys(report.responses["200"]?.content ?? {}).sort()).toEqual(
      [
        "application/json",
        "application/sarif+json",
        "application/xml",
        "text/html; charset=utf-8",
        "text/markdown; charset=utf-8",
      ].sort(),
    );
  });
});

/**
 * GET /v1/scans/{id} — one scan of the caller's tenant; another tenant's scan is a 404.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { presentScan } from "../../present.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import { IdParams, ScanSchema } from "../../schemas.ts";
import type { App } from "../../types.ts";

/** The OpenAPI definition of GET /v1/scans/{id}. */
export const route = createRoute({
  method: "get",
  path: "/v1/scans/{id}",
  operationId: "getScan",
  tags: ["scans"],
  summary: "Get a scan",
  description: "The scan's summary, options, source, framework scores and verdict.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: { params: IdParams },
  responses: {
    200: { description: "The scan.", content: { "application/json": { schema: ScanSchema } } },
    ...scopeProblemResponse("read"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** The 404 for a scan the tenant does not have (whether or not another tenant has it). */
export function scanNotFound(id: string): ApiProblem {
  return new ApiProblem("not-found", `No scan ${id} in this tenant.`);
}

/** Registers GET /v1/scans/{id} on the app. */
export function registerGetScan(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const scan = await c.var.deps.store.scans.get(c.var.auth.tenantId, id);
    if (!scan) throw scanNotFound(id);
    return c.json(presentScan(scan), 200);
  });
}

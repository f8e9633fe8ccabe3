/**
 * DELETE /v1/scans/{id} — removes a scan with its findings, resources and idempotency keys at once.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import { IdParams } from "../../schemas.ts";
import type { App } from "../../types.ts";
import { scanNotFound } from "./get.ts";

/** The OpenAPI definition of DELETE /v1/scans/{id}. */
export const route = createRoute({
  method: "delete",
  path: "/v1/scans/{id}",
  operationId: "deleteScan",
  tags: ["scans"],
  summary: "Delete a scan",
  description: "Deletes the scan, its findings and resources in one transaction.",
  security: scopeSecurity("scan"),
  middleware: [requireScope("scan")] as const,
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted." },
    ...scopeProblemResponse("scan"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers DELETE /v1/scans/{id} on the app. */
export function registerDeleteScan(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await c.var.deps.store.scans.delete(c.var.auth.tenantId, id))) throw scanNotFound(id);
    return c.body(null, 204);
  });
}

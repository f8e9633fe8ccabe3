/**
 * POST /v1/evaluate — scan manifests and answer the full JSON report; nothing is stored.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { bodyInputs, scanBody } from "../../manifests.ts";
import { manifestBody } from "../../middleware/body-limit.ts";
import { scanQuota } from "../../middleware/rate-limit.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import { MANIFEST_REQUEST_BODY, ScanReportSchema, scanOptionsQuery } from "../../schemas.ts";
import type { App } from "../../types.ts";

/** The OpenAPI definition of POST /v1/evaluate. */
export const route = createRoute({
  method: "post",
  path: "/v1/evaluate",
  operationId: "evaluate",
  tags: ["evaluate"],
  summary: "Scan manifests without storing anything",
  description:
    "Takes the same bodies and options as `POST /v1/scans` and answers the full JSON report (`schemaVersion` 1). Nothing is stored. The tenant settings (`GET /v1/settings`) apply where the query gives no option. Counts against the key's scans per day.",
  security: scopeSecurity("scan"),
  middleware: [requireScope("scan"), scanQuota(), manifestBody()] as const,
  request: { query: z.object(scanOptionsQuery), body: MANIFEST_REQUEST_BODY },
  responses: {
    200: { description: "The JSON report.", content: { "application/json": { schema: ScanReportSchema } } },
    ...scopeProblemResponse("scan"),
    ...problemResponses(400, 401, 413, 415, 422, 429, 500),
  },
});

/** Registers POST /v1/evaluate on the app. */
export function registerEvaluate(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const options = {
      ...(q.pssLevel ? { pssLevel: q.pssLevel } : {}),
      ...(q.pssVersion ? { pssVersion: q.pssVersion } : {}),
      ...(q.failOn ? { failOn: q.failOn } : {}),
    };
    const inputs = await bodyInputs(c.var.body);
    const settings = (await c.var.deps.store.settings.get(c.var.auth.tenantId))?.settings;
    const report = await scanBody(
      c.var.deps,
      c.var.scanGate,
      inputs,
      options,
      c.var.deps.clock.now(),
      settings,
    );
    return c.json(report, 200);
  });
}

/**
 * POST /v1/scans — scan manifests and store the result for the caller's tenant. An `Idempotency-Key`
 * makes CI retries safe: the same key with the same request returns the same scan; with a different
 * request it is a 409.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { manifestBody } from "../../middleware/body-limit.ts";
import { scanQuota } from "../../middleware/rate-limit.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { presentScan, scanPath } from "../../present.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import { createStoredScan, scanOptionsOf, scanSourceOf } from "../../scan-create.ts";
import { MANIFEST_REQUEST_BODY, ScanSchema, scanOptionsQuery, scanSourceQuery } from "../../schemas.ts";
import type { App } from "../../types.ts";

const query = z.object({ ...scanOptionsQuery, ...scanSourceQuery });

/** The OpenAPI definition of POST /v1/scans. */
export const route = createRoute({
  method: "post",
  path: "/v1/scans",
  operationId: "createScan",
  tags: ["scans"],
  summary: "Scan manifests and store the scan",
  description:
    "Scans the body and stores the result for the caller's tenant: the summary, per-framework scores and verdict, and the findings and resources the reports are rendered from. The raw upload is not stored. Problems inside individual documents are reported in the scan (`summary.errors`); a body with nothing usable is a 422.",
  security: scopeSecurity("scan"),
  middleware: [requireScope("scan"), scanQuota(), manifestBody()] as const,
  request: {
    query,
    headers: z.object({
      "Idempotency-Key": z
        .string()
        .min(1)
        .max(255)
        .regex(/^[\x21-\x7e]+$/, { message: "must be 1-255 visible ASCII characters" })
        .optional()
        .openapi({
          param: {
            description:
              "Makes retries safe: a retry with the same key and the same request (body, Content-Type and scan options) returns the first scan; the same key with a different request is a 409.",
          },
          example: "ci-run-1842",
        }),
    }),
    body: MANIFEST_REQUEST_BODY,
  },
  responses: {
    201: {
      description: "The scan was stored (or, for a retried Idempotency-Key, had been).",
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: "The scan's URL.", example: "/v1/scans/scn_5ZQ9cM0cTq3y8bVhUo2K" }),
        "Idempotent-Replayed": z.enum(["true"]).optional().openapi({
          description: "Present when this answer replays an earlier request with the same Idempotency-Key.",
        }),
      }),
      content: { "application/json": { schema: ScanSchema } },
    },
    ...scopeProblemResponse("scan"),
    ...problemResponses(400, 401, 409, 413, 415, 422, 429, 500),
  },
});

/** Registers POST /v1/scans on the app. */
export function registerCreateScan(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const idempotencyKey = c.req.valid("header")["Idempotency-Key"];
    // The work is shared with signed inbound hooks (POST /v1/hooks/{id}): see scan-create.ts.
    const result = await createStoredScan(
      { deps: c.var.deps, scanGate: c.var.scanGate, background: c.var.background },
      {
        tenantId: c.var.auth.tenantId,
        body: c.var.body,
        options: scanOptionsOf(q),
        source: scanSourceOf(q),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    );
    if (result.status === "conflict") {
      throw new ApiProblem(
        "idempotency-key-reused",
        `Idempotency-Key ${idempotencyKey} was used with a different request.`,
      );
    }
    c.header("Location", scanPath(result.scan.id));
    if (result.status === "replayed") c.header("Idempotent-Replayed", "true");
    return c.json(presentScan(result.scan), 201);
  });
}

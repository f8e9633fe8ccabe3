/**
 * GET /v1/scans/{id}/diff?base={otherId} — findings new, fixed and unchanged against a base scan, so a
 * pipeline can fail only on what a pull request introduces.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { diffFindings } from "../../../diff.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import { FailOnSchema, FindingSchema, IdParams, VerdictSchema } from "../../../schemas.ts";
import type { App } from "../../../types.ts";
import { scanNotFound } from "../get.ts";

const ScanRefSchema = z.object({ id: z.string(), createdAt: z.iso.datetime() });

/** The OpenAPI definition of GET /v1/scans/{id}/diff. */
export const route = createRoute({
  method: "get",
  path: "/v1/scans/{id}/diff",
  operationId: "diffScans",
  tags: ["scans"],
  summary: "Compare a scan with a base scan",
  description:
    "Pairs findings by fingerprint (check, resource and field path; never the line). `new` are in this scan only, `fixed` in the base only, `unchanged` in both. The verdict fails only on new, unsuppressed findings at or above `failOn`.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    params: IdParams,
    query: z.object({
      base: z
        .string()
        .min(1)
        .max(64)
        .openapi({
          param: { description: "The scan to compare against (e.g. the target branch's latest)." },
          example: "scn_1aB2cD3eF4gH5iJ6kL7m",
        }),
      failOn: FailOnSchema.optional().openapi({
        param: { description: "Threshold for the diff verdict (default: this scan's failOn)." },
      }),
    }),
  },
  responses: {
    200: {
      description: "The difference.",
      content: {
        "application/json": {
          schema: z
            .object({
              scan: ScanRefSchema,
              base: ScanRefSchema,
              summary: z.object({
                new: z.number().int(),
                fixed: z.number().int(),
                unchanged: z.number().int(),
              }),
              verdict: VerdictSchema,
              new: z.array(FindingSchema),
              fixed: z.array(FindingSchema),
              unchanged: z.array(FindingSchema),
            })
            .openapi("ScanDiff"),
        },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

/** Registers GET /v1/scans/{id}/diff on the app. */
export function registerDiffScans(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const { scans } = c.var.deps.store;
    const { tenantId } = c.var.auth;
    const [head, base] = await Promise.all([scans.get(tenantId, id), scans.get(tenantId, q.base)]);
    if (!head) throw scanNotFound(id);
    if (!base) throw scanNotFound(q.base);
    const [headFindings, baseFindings] = await Promise.all([
      scans.allFindings(tenantId, id),
      scans.allFindings(tenantId, q.base),
    ]);
    const diff = diffFindings(baseFindings ?? [], headFindings ?? [], q.failOn ?? head.verdict.failOn);
    return c.json(
      {
        scan: { id: head.id, createdAt: head.createdAt.toISOString() },
        base: { id: base.id, createdAt: base.createdAt.toISOString() },
        summary: { new: diff.new.length, fixed: diff.fixed.length, unchanged: diff.unchanged.length },
        verdict: diff.verdict,
        new: diff.new,
        fixed: diff.fixed,
        unchanged: diff.unchanged,
      },
      200,
    );
  });
}

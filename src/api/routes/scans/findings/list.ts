/**
 * GET /v1/scans/{id}/findings — a scan's findings in report order, filtered and paginated.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { canonicalCheckId } from "../../../../policies/registry.ts";
import { decodeCursor, encodeCursor } from "../../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import {
  cursorQuery,
  FindingSchema,
  IdParams,
  limitQuery,
  pageSchema,
  queryBoolean,
  SeveritySchema,
} from "../../../schemas.ts";
import type { App } from "../../../types.ts";
import { scanNotFound } from "../get.ts";

const filterText = (description: string, example: string) =>
  z.string().min(1).max(253).optional().openapi({ param: { description }, example });

/** The OpenAPI definition of GET /v1/scans/{id}/findings. */
export const route = createRoute({
  method: "get",
  path: "/v1/scans/{id}/findings",
  operationId: "listScanFindings",
  tags: ["scans"],
  summary: "List a scan's findings",
  description:
    "Findings in report order (file, line, column, check). Suppressed findings are included unless filtered out.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    params: IdParams,
    query: z.object({
      limit: limitQuery,
      cursor: cursorQuery,
      severity: SeveritySchema.optional().openapi({
        param: { description: "Minimum severity: `high` gives high and critical findings." },
      }),
      check: filterText("Only this check (an ID or an alias).", "pss.privileged"),
      namespace: filterText("Only findings on resources in this namespace.", "payments"),
      kind: filterText("Only findings on resources of this kind.", "Deployment"),
      suppressed: queryBoolean
        .optional()
        .openapi({ param: { description: "Only suppressed (`true`) or unsuppressed (`false`) findings." } }),
    }),
  },
  responses: {
    200: {
      description: "A page of findings.",
      content: {
        "application/json": {
          schema: pageSchema(FindingSchema, "FindingPage"),
        },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

const isOrdinal = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Registers GET /v1/scans/{id}/findings on the app. */
export function registerListScanFindings(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const after = q.cursor ? decodeCursor("findings", q.cursor, isOrdinal) : undefined;
    const page = await c.var.deps.store.scans.findings(
      c.var.auth.tenantId,
      id,
      {
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.check ? { check: canonicalCheckId(q.check) } : {}),
        ...(q.namespace ? { namespace: q.namespace } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.suppressed !== undefined ? { suppressed: q.suppressed } : {}),
      },
      q.limit,
      after,
    );
    if (!page) throw scanNotFound(id);
    return c.json(
      { items: page.items, nextCursor: page.next !== undefined ? encodeCursor("findings", page.next) : null },
      200,
    );
  });
}

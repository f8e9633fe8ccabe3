/**
 * GET /v1/scans — the tenant's scans, newest first, with cursor pagination and filters.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { ScanCursor } from "../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { presentScan } from "../../present.ts";
import { problemResponses } from "../../problem.ts";
import { cursorQuery, limitQuery, pageSchema, queryBoolean, ScanSchema } from "../../schemas.ts";
import type { App } from "../../types.ts";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = z.iso.datetime({ offset: true });

/** The instant `since` names, or undefined when it is not a real RFC 3339 date-time or date. */
function parseSince(v: string): Date | undefined {
  if (!DATE_ONLY.test(v) && !isoDateTime.safeParse(v).success) return undefined;
  const at = new Date(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v);
  // Date accepts 2026-02-30 as March 2nd; a calendar date must come back unchanged.
  if (Number.isNaN(at.getTime())) return undefined;
  const day = v.slice(0, 10);
  const asUtc = new Date(`${day}T00:00:00Z`);
  return asUtc.toISOString().slice(0, 10) === day ? at : undefined;
}

const sinceQuery = z
  .string()
  .transform((v, ctx) => {
    const at = parseSince(v);
    if (!at) {
      ctx.issues.push({
        code: "custom",
        message: "must be an RFC 3339 date-time (2026-04-20T10:00:00Z) or a date (2026-04-20)",
        input: v,
      });
      return z.NEVER;
    }
    return at;
  })
  .optional()
  .openapi({
    type: "string",
    param: {
      description:
        "Only scans created at or after this instant (RFC 3339 date-time, or a date for its UTC midnight).",
    },
    example: "2026-04-01T00:00:00Z",
  });

const filterText = (description: string, example: string) =>
  z.string().min(1).max(512).optional().openapi({ param: { description }, example });

/** The OpenAPI definition of GET /v1/scans. */
export const route = createRoute({
  method: "get",
  path: "/v1/scans",
  operationId: "listScans",
  tags: ["scans"],
  summary: "List scans",
  description:
    "The caller's tenant's scans, newest first. Pass `nextCursor` back as `cursor` for the next page.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    query: z.object({
      limit: limitQuery,
      cursor: cursorQuery,
      repository: filterText("Only scans of this repository.", "github.com/acme/payments"),
      branch: filterText("Only scans of this branch.", "main"),
      commit: filterText("Only scans of this commit.", "4f1c0d7e9b8a6c5d4e3f2a1b0c9d8e7f6a5b4c3d"),
      passed: queryBoolean
        .optional()
        .openapi({ param: { description: "Only passed (`true`) or failed (`false`) verdicts." } }),
      since: sinceQuery,
    }),
  },
  responses: {
    200: {
      description: "A page of scans.",
      content: {
        "application/json": {
          schema: pageSchema(ScanSchema, "ScanPage"),
        },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 429, 500),
  },
});

/** Registers GET /v1/scans on the app. */
export function registerListScans(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    let after: ScanCursor | undefined;
    if (q.cursor) {
      const [createdAt, id] = decodeCursor("scans", q.cursor, isTimeIdCursor);
      after = { createdAt, id };
    }
    const page = await c.var.deps.store.scans.list(
      c.var.auth.tenantId,
      {
        ...(q.repository ? { repository: q.repository } : {}),
        ...(q.branch ? { branch: q.branch } : {}),
        ...(q.commit ? { commit: q.commit } : {}),
        ...(q.passed !== undefined ? { passed: q.passed } : {}),
        ...(q.since ? { since: q.since } : {}),
      },
      q.limit,
      after,
    );
    return c.json(
      {
        items: page.items.map(presentScan),
        nextCursor: page.next ? encodeCursor("scans", [page.next.createdAt, page.next.id]) : null,
      },
      200,
    );
  });
}

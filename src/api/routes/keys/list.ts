/**
 * GET /v1/keys — the tenant's API keys, revoked ones included: prefix, scopes, dates, never the key.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { KeyCursor } from "../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import { cursorQuery, limitQuery, pageSchema } from "../../schemas.ts";
import type { App } from "../../types.ts";
import { KeySchema, presentKey } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/keys. */
export const route = createRoute({
  method: "get",
  path: "/v1/keys",
  operationId: "listKeys",
  tags: ["keys"],
  summary: "List API keys",
  description:
    "The tenant's keys, newest first, revoked ones included: id, name, prefix, scopes, created, expires, last used (to the minute) and revoked. Never the key or its hash. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { query: z.object({ limit: limitQuery, cursor: cursorQuery }) },
  responses: {
    200: {
      description: "A page of keys.",
      content: {
        "application/json": {
          schema: pageSchema(KeySchema, "KeyPage"),
        },
      },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 429, 500),
  },
});

/** Registers GET /v1/keys on the app. */
export function registerListKeys(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    let after: KeyCursor | undefined;
    if (q.cursor) {
      const [createdAt, id] = decodeCursor("keys", q.cursor, isTimeIdCursor);
      after = { createdAt, id };
    }
    const page = await c.var.deps.store.apiKeys.list(c.var.auth.tenantId, q.limit, after);
    return c.json(
      {
        items: page.items.map(presentKey),
        nextCursor: page.next ? encodeCursor("keys", [page.next.createdAt, page.next.id]) : null,
      },
      200,
    );
  });
}

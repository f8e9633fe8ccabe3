/**
 * GET /v1/admin/tenants — every tenant, oldest first, with cursor pagination.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { TenantCursor } from "../../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../../cursor.ts";
import { cursorQuery, limitQuery, pageSchema } from "../../../schemas.ts";
import type { App } from "../../../types.ts";
import { PLATFORM_AUTH, platformProblemResponses, presentTenant, TenantSchema } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/admin/tenants. */
export const route = createRoute({
  method: "get",
  path: "/v1/admin/tenants",
  operationId: "adminListTenants",
  tags: ["admin"],
  summary: "List tenants",
  description:
    "Every tenant, oldest first, with its suspension state and the limits in force. Platform token only.",
  security: PLATFORM_AUTH,
  request: { query: z.object({ limit: limitQuery, cursor: cursorQuery }) },
  responses: {
    200: {
      description: "A page of tenants.",
      content: {
        "application/json": {
          schema: pageSchema(TenantSchema, "TenantPage"),
        },
      },
    },
    ...platformProblemResponses(400, 401, 404, 500),
  },
});

/** Registers GET /v1/admin/tenants on the app. */
export function registerAdminListTenants(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    let after: TenantCursor | undefined;
    if (q.cursor) {
      const [createdAt, id] = decodeCursor("tenants", q.cursor, isTimeIdCursor);
      after = { createdAt, id };
    }
    const { store, config } = c.var.deps;
    const page = await store.tenants.list(q.limit, after);
    return c.json(
      {
        items: page.items.map((t) => presentTenant(t, config.tenancy)),
        nextCursor: page.next ? encodeCursor("tenants", [page.next.createdAt, page.next.id]) : null,
      },
      200,
    );
  });
}

/**
 * DELETE /v1/admin/tenants/{id} — deletes a tenant and all its data in one transaction.
 */
import { createRoute } from "@hono/zod-openapi";
import { forgetTenant } from "../../../key-cache.ts";
import type { App } from "../../../types.ts";
import { PLATFORM_AUTH, platformProblemResponses, TenantIdParams, tenantNotFound } from "./schemas.ts";

/** The OpenAPI definition of DELETE /v1/admin/tenants/{id}. */
export const route = createRoute({
  method: "delete",
  path: "/v1/admin/tenants/{id}",
  operationId: "adminDeleteTenant",
  tags: ["admin"],
  summary: "Delete a tenant and its data",
  description:
    "Deletes the tenant and everything it owns in one transaction: API keys (they stop working at once), scans with their findings and resources, idempotency keys, settings, audit log, inbound hooks, webhook endpoints and deliveries, admission decisions. It cannot be undone. Platform token only.",
  security: PLATFORM_AUTH,
  request: { params: TenantIdParams },
  responses: {
    204: { description: "Deleted." },
    ...platformProblemResponses(401, 404, 500),
  },
});

/** Registers DELETE /v1/admin/tenants/{id} on the app. */
export function registerAdminDeleteTenant(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store } = c.var.deps;
    if (!(await store.tenants.delete(id))) throw tenantNotFound(id);
    forgetTenant(store, id);
    return c.body(null, 204);
  });
}

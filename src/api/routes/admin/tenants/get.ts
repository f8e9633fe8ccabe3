/**
 * GET /v1/admin/tenants/{id} — one tenant.
 */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../../types.ts";
import {
  PLATFORM_AUTH,
  platformProblemResponses,
  presentTenant,
  TenantIdParams,
  TenantSchema,
  tenantNotFound,
} from "./schemas.ts";

/** The OpenAPI definition of GET /v1/admin/tenants/{id}. */
export const route = createRoute({
  method: "get",
  path: "/v1/admin/tenants/{id}",
  operationId: "adminGetTenant",
  tags: ["admin"],
  summary: "Get a tenant",
  description: "The tenant with its suspension state and the limits in force. Platform token only.",
  security: PLATFORM_AUTH,
  request: { params: TenantIdParams },
  responses: {
    200: { description: "The tenant.", content: { "application/json": { schema: TenantSchema } } },
    ...platformProblemResponses(401, 404, 500),
  },
});

/** Registers GET /v1/admin/tenants/{id} on the app. */
export function registerAdminGetTenant(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store, config } = c.var.deps;
    const tenant = await store.tenants.get(id);
    if (!tenant) throw tenantNotFound(id);
    return c.json(presentTenant(tenant, config.tenancy), 200);
  });
}

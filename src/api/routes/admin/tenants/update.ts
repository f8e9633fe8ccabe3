/**
 * PATCH /v1/admin/tenants/{id} — suspend or restore a tenant, rename it, or change its limits. Each
 * change is recorded in the tenant's own audit log with the actor `platform`.
 */
import { createRoute } from "@hono/zod-openapi";
import { forgetTenant } from "../../../key-cache.ts";
import { smallBody } from "../../../middleware/small-body.ts";
import type { App } from "../../../types.ts";
import {
  limitsPatch,
  PLATFORM_AUTH,
  platformProblemResponses,
  presentTenant,
  TenantIdParams,
  TenantSchema,
  tenantAuditEntries,
  tenantNotFound,
  UpdateTenantBody,
} from "./schemas.ts";

/** The OpenAPI definition of PATCH /v1/admin/tenants/{id}. */
export const route = createRoute({
  method: "patch",
  path: "/v1/admin/tenants/{id}",
  operationId: "adminUpdateTenant",
  tags: ["admin"],
  summary: "Suspend, restore or re-limit a tenant",
  description:
    "`suspended: true` makes every request with the tenant's keys a 403 `tenant-suspended` at once (its data stays); `false` restores it. `rateLimit` and `retention` set the tenant's limits; `null` resets one to the deployment default. Each change is recorded in the tenant's audit log (`tenant.suspended`, `tenant.unsuspended`, `tenant.renamed`, `tenant.limits-updated`, actor `platform`). Platform token only.",
  security: PLATFORM_AUTH,
  middleware: [smallBody()] as const,
  request: {
    params: TenantIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateTenantBody } } },
  },
  responses: {
    200: {
      description: "The tenant after the change.",
      content: { "application/json": { schema: TenantSchema } },
    },
    ...platformProblemResponses(400, 401, 404, 413, 415, 500),
  },
});

/** Registers PATCH /v1/admin/tenants/{id} on the app. */
export function registerAdminUpdateTenant(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const { store, clock, config } = c.var.deps;
    const now = clock.now();
    const tenant = await store.tenants.update(
      id,
      {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.suspended !== undefined ? { suspended: body.suspended } : {}),
        ...limitsPatch(body),
      },
      now,
      (before, after) => tenantAuditEntries(before, after, now),
    );
    if (!tenant) throw tenantNotFound(id);
    forgetTenant(store, id);
    return c.json(presentTenant(tenant, config.tenancy), 200);
  });
}

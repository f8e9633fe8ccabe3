/**
 * POST /v1/admin/tenants — the platform operator creates a tenant (then its first key with
 * `POST /v1/admin/tenants/{id}/keys`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { PLATFORM_ACTOR } from "../../../../store/index.ts";
import { smallBody } from "../../../middleware/small-body.ts";
import type { App } from "../../../types.ts";
import {
  CreateTenantBody,
  limitsPatch,
  PLATFORM_AUTH,
  platformProblemResponses,
  presentTenant,
  TenantSchema,
} from "./schemas.ts";

/** The OpenAPI definition of POST /v1/admin/tenants. */
export const route = createRoute({
  method: "post",
  path: "/v1/admin/tenants",
  operationId: "adminCreateTenant",
  tags: ["admin"],
  summary: "Create a tenant",
  description:
    "Creates a tenant, optionally with its own rate limits and retention (otherwise the deployment defaults apply). The tenant has no key yet: create one with `POST /v1/admin/tenants/{id}/keys`. Platform token only.",
  security: PLATFORM_AUTH,
  middleware: [smallBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateTenantBody } } } },
  responses: {
    201: {
      description: "The tenant.",
      headers: z.object({
        Location: z.string().openapi({ example: "/v1/admin/tenants/tnt_7Kd2mQ9xV4pLs0cRt8Yb" }),
      }),
      content: { "application/json": { schema: TenantSchema } },
    },
    ...platformProblemResponses(400, 401, 404, 413, 415, 500),
  },
});

/** Path of a tenant in the admin API. */
export function tenantPath(id: string): string {
  return `/v1/admin/tenants/${encodeURIComponent(id)}`;
}

/** Registers POST /v1/admin/tenants on the app. */
export function registerAdminCreateTenant(app: App) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { store, clock, config } = c.var.deps;
    const tenant = await store.tenants.create({ name: body.name, ...limitsPatch(body) }, clock.now(), {
      actor: PLATFORM_ACTOR,
      action: "tenant.created",
    });
    c.header("Location", tenantPath(tenant.id));
    return c.json(presentTenant(tenant, config.tenancy), 201);
  });
}

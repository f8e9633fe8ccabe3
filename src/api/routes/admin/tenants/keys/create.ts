/**
 * POST /v1/admin/tenants/{id}/keys — the platform operator creates an API key for a tenant (its first
 * admin key, typically); the key is in the answer once.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { PLATFORM_ACTOR } from "../../../../../store/index.ts";
import { smallBody } from "../../../../middleware/small-body.ts";
import type { App } from "../../../../types.ts";
import {
  CreatedKeySchema,
  CreateKeyBody,
  checkKeyRequest,
  keyAuditDetails,
  presentCreatedKey,
} from "../../../keys/schemas.ts";
import { PLATFORM_AUTH, platformProblemResponses, TenantIdParams, tenantNotFound } from "../schemas.ts";

/** The OpenAPI definition of POST /v1/admin/tenants/{id}/keys. */
export const route = createRoute({
  method: "post",
  path: "/v1/admin/tenants/{id}/keys",
  operationId: "adminCreateTenantKey",
  tags: ["admin"],
  summary: "Create an API key for a tenant",
  description:
    "Creates a key for the tenant with any scopes and answers it in clear, once. Recorded in the tenant's audit log as `key.created` by `platform`. Platform token only.",
  security: PLATFORM_AUTH,
  middleware: [smallBody()] as const,
  request: {
    params: TenantIdParams,
    body: { required: true, content: { "application/json": { schema: CreateKeyBody } } },
  },
  responses: {
    201: {
      description: "The key, in clear (shown once).",
      headers: z.object({ Location: z.string().openapi({ example: "/v1/keys" }) }),
      content: { "application/json": { schema: CreatedKeySchema } },
    },
    ...platformProblemResponses(400, 401, 404, 413, 415, 500),
  },
});

/** Registers POST /v1/admin/tenants/{id}/keys on the app. */
export function registerAdminCreateTenantKey(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store, clock } = c.var.deps;
    const now = clock.now();
    const input = checkKeyRequest(c.req.valid("json"), now);
    if (!(await store.tenants.get(id))) throw tenantNotFound(id);
    const created = await store.apiKeys.create(id, input, now, {
      actor: PLATFORM_ACTOR,
      action: "key.created",
      details: keyAuditDetails(input),
    });
    c.header("Location", "/v1/keys");
    c.header("Cache-Control", "no-store");
    return c.json(presentCreatedKey(created), 201);
  });
}

/**
 * POST /v1/keys — a tenant admin creates an API key for the tenant; the key is in the answer once and
 * never again. A key cannot grant scopes its creator lacks.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { smallBody } from "../../middleware/small-body.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import {
  CreatedKeySchema,
  CreateKeyBody,
  checkKeyRequest,
  keyAuditDetails,
  presentCreatedKey,
} from "./schemas.ts";

/** The OpenAPI definition of POST /v1/keys. */
export const route = createRoute({
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  tags: ["keys"],
  summary: "Create an API key",
  description:
    "Creates a key for the caller's tenant and answers it in clear, once: only its prefix and a hash are stored. `scopes` may not include a scope the calling key lacks (an `admin` key may also create `admission` keys). Recorded in the audit log as `key.created`. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin"), smallBody()] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: CreateKeyBody } } },
  },
  responses: {
    201: {
      description: "The key, in clear (shown once).",
      headers: z.object({
        Location: z.string().openapi({ description: "The keys collection.", example: "/v1/keys" }),
      }),
      content: { "application/json": { schema: CreatedKeySchema } },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 413, 415, 429, 500),
  },
});

/** Registers POST /v1/keys on the app. */
export function registerCreateKey(app: App) {
  app.openapi(route, async (c) => {
    const { store, clock } = c.var.deps;
    const { tenantId, keyId, scopes } = c.var.auth;
    const now = clock.now();
    const input = checkKeyRequest(c.req.valid("json"), now, scopes);
    const created = await store.apiKeys.create(tenantId, input, now, {
      actor: keyId,
      action: "key.created",
      details: keyAuditDetails(input),
    });
    c.header("Location", "/v1/keys");
    c.header("Cache-Control", "no-store");
    return c.json(presentCreatedKey(created), 201);
  });
}

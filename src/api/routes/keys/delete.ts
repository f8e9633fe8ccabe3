/**
 * DELETE /v1/keys/{id} — revokes one of the tenant's keys at once: the next request with it is a 401.
 */
import { createRoute } from "@hono/zod-openapi";
import { forgetKey } from "../../key-cache.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { KeyIdParams } from "./schemas.ts";

/** The OpenAPI definition of DELETE /v1/keys/{id}. */
export const route = createRoute({
  method: "delete",
  path: "/v1/keys/{id}",
  operationId: "revokeKey",
  tags: ["keys"],
  summary: "Revoke an API key",
  description:
    "Revokes the key at once: every later request with it gets 401. The key stays listed with `revokedAt`. Revoking a revoked key changes nothing. Another tenant's key is a 404. Recorded in the audit log as `key.revoked`. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { params: KeyIdParams },
  responses: {
    204: { description: "Revoked." },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers DELETE /v1/keys/{id} on the app. */
export function registerRevokeKey(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store, clock } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    const found = await store.apiKeys.revoke(tenantId, id, clock.now(), {
      actor: keyId,
      action: "key.revoked",
    });
    if (!found) throw new ApiProblem("not-found", `No API key ${id} in this tenant.`);
    // The admission hot path's short cache on this instance (key-cache.ts) forgets it at once too.
    forgetKey(store, id);
    return c.body(null, 204);
  });
}

/**
 * DELETE /v1/hooks/{id} — delete an inbound hook; requests signed with its secret are refused from now on.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { HookIdParams } from "./schemas.ts";

/** The OpenAPI definition of DELETE /v1/hooks/{id}. */
export const route = createRoute({
  method: "delete",
  path: "/v1/hooks/{id}",
  operationId: "deleteHook",
  tags: ["hooks"],
  summary: "Delete an inbound hook",
  description:
    "Deletes the hook at once: later requests to its URL get 404. Scans it created are kept. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { params: HookIdParams },
  responses: {
    204: { description: "Deleted." },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers DELETE /v1/hooks/{id} on the app. */
export function registerDeleteHook(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store, clock } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    const audit = store.audit.statement(tenantId, {
      actor: keyId,
      action: "hook.deleted",
      target: id,
      at: clock.now(),
    });
    if (!(await store.hooks.delete(tenantId, id, [audit])))
      throw new ApiProblem("not-found", `No inbound hook ${id} in this tenant.`);
    return c.body(null, 204);
  });
}

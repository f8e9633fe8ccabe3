/**
 * DELETE /v1/webhooks/{id} — remove an outbound webhook endpoint with its delivery log; pending
 * retries stop.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { WebhookIdParams, webhookNotFound } from "./schemas.ts";

/** The OpenAPI definition of DELETE /v1/webhooks/{id}. */
export const route = createRoute({
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  tags: ["webhooks"],
  summary: "Delete an outbound webhook endpoint",
  description:
    "Deletes the endpoint and its delivery log in one transaction; pending retries stop. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { params: WebhookIdParams },
  responses: {
    204: { description: "Deleted." },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers DELETE /v1/webhooks/{id} on the app. */
export function registerDeleteWebhook(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { store, clock } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    const audit = store.audit.statement(tenantId, {
      actor: keyId,
      action: "webhook.deleted",
      target: id,
      at: clock.now(),
    });
    if (!(await store.webhooks.deleteEndpoint(tenantId, id, [audit]))) throw webhookNotFound(id);
    return c.body(null, 204);
  });
}

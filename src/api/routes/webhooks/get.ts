/**
 * GET /v1/webhooks/{id} — one outbound webhook endpoint of the tenant, without its secret.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { presentEndpoint, WebhookEndpointSchema, WebhookIdParams, webhookNotFound } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/webhooks/{id}. */
export const route = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}",
  operationId: "getWebhook",
  tags: ["webhooks"],
  summary: "Get an outbound webhook endpoint",
  description: "The endpoint's URL, events and format; never its secret. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { params: WebhookIdParams },
  responses: {
    200: { description: "The endpoint.", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers GET /v1/webhooks/{id} on the app. */
export function registerGetWebhook(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const endpoint = await c.var.deps.store.webhooks.getEndpoint(c.var.auth.tenantId, id);
    if (!endpoint) throw webhookNotFound(id);
    return c.json(presentEndpoint(endpoint), 200);
  });
}

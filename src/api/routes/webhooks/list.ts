/**
 * GET /v1/webhooks — the tenant's outbound webhook endpoints, newest first, without their secrets.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { presentEndpoint, WebhookEndpointSchema } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/webhooks. */
export const route = createRoute({
  method: "get",
  path: "/v1/webhooks",
  operationId: "listWebhooks",
  tags: ["webhooks"],
  summary: "List outbound webhook endpoints",
  description:
    "The tenant's endpoints (at most 20), newest first; secrets are never listed. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  responses: {
    200: {
      description: "The endpoints.",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(WebhookEndpointSchema) }).openapi("WebhookEndpointList"),
        },
      },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 429, 500),
  },
});

/** Registers GET /v1/webhooks on the app. */
export function registerListWebhooks(app: App) {
  app.openapi(route, async (c) => {
    const endpoints = await c.var.deps.store.webhooks.listEndpoints(c.var.auth.tenantId);
    return c.json({ items: endpoints.map(presentEndpoint) }, 200);
  });
}

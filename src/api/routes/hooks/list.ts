/**
 * GET /v1/hooks — the tenant's inbound hooks, newest first, without their secrets.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { HookSchema, presentHook } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/hooks. */
export const route = createRoute({
  method: "get",
  path: "/v1/hooks",
  operationId: "listHooks",
  tags: ["hooks"],
  summary: "List inbound hooks",
  description:
    "The tenant's inbound hooks (at most 100), newest first; secrets are never listed. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  responses: {
    200: {
      description: "The hooks.",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(HookSchema) }).openapi("InboundHookList"),
        },
      },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 429, 500),
  },
});

/** Registers GET /v1/hooks on the app. */
export function registerListHooks(app: App) {
  app.openapi(route, async (c) => {
    const hooks = await c.var.deps.store.hooks.list(c.var.auth.tenantId);
    return c.json({ items: hooks.map((h) => presentHook(h, c.var.deps.config)) }, 200);
  });
}

/**
 * GET /v1/settings — the tenant's policy settings (`.kubeguard.yaml` schema); `{}` before any were set.
 */
import { createRoute } from "@hono/zod-openapi";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { SettingsSchema } from "./schemas.ts";

/** The OpenAPI definition of GET /v1/settings. */
export const route = createRoute({
  method: "get",
  path: "/v1/settings",
  operationId: "getSettings",
  tags: ["settings"],
  summary: "Get the tenant settings",
  description:
    "The tenant's policy settings, in the `.kubeguard.yaml` schema; `{}` when none were set. `Last-Modified` says when they were last written. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  responses: {
    200: { description: "The settings.", content: { "application/json": { schema: SettingsSchema } } },
    ...scopeProblemResponse("admin"),
    ...problemResponses(401, 429, 500),
  },
});

/** Registers GET /v1/settings on the app. */
export function registerGetSettings(app: App) {
  app.openapi(route, async (c) => {
    const stored = await c.var.deps.store.settings.get(c.var.auth.tenantId);
    if (stored) c.header("Last-Modified", stored.updatedAt.toUTCString());
    return c.json(stored?.settings ?? {}, 200);
  });
}

/**
 * GET /healthz — liveness and database reachability; no key needed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { VERSION } from "../../../version.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";

/** The OpenAPI definition of GET /healthz. */
export const route = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "health",
  tags: ["meta"],
  summary: "Health check",
  description: "Answers 200 when the service and its database answer, 503 otherwise. No API key needed.",
  security: [],
  responses: {
    200: {
      description: "Healthy.",
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.literal("ok"),
              version: z.string().openapi({ example: VERSION }),
              database: z.literal("ok"),
            })
            .openapi("Health"),
        },
      },
    },
    ...problemResponses(500, 503),
  },
});

/** Registers GET /healthz on the app. */
export function registerHealth(app: App) {
  app.openapi(route, async (c) => {
    try {
      await c.var.deps.store.ping();
    } catch {
      throw new ApiProblem("unavailable", "The database does not answer.");
    }
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok" as const, version: VERSION, database: "ok" as const }, 200);
  });
}

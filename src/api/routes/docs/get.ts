/**
 * GET /docs — an interactive API reference (Scalar) over /openapi.json. No key needed.
 */
import { createRoute } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { App, AppEnv } from "../../types.ts";

/** The OpenAPI definition of GET /docs. */
export const route = createRoute({
  method: "get",
  path: "/docs",
  operationId: "getDocs",
  tags: ["meta"],
  summary: "Interactive API reference",
  description: "An HTML page that renders /openapi.json and lets you try requests. No API key needed.",
  security: [],
  responses: {
    200: { description: "The reference page.", content: { "text/html": { schema: { type: "string" } } } },
  },
});

/** Registers GET /docs on the app. */
export function registerDocs(app: App) {
  const page = Scalar<AppEnv>({ url: "/openapi.json", pageTitle: "kubeguard API" });
  app.openapi(route, async (c) => (await page(c, async () => {})) as Response);
}

/**
 * GET /v1/frameworks — the compliance frameworks, their controls and the checks mapped to each.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { FRAMEWORKS } from "../../../policies/frameworks.ts";
import { CHECKS } from "../../../policies/registry.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";

const FrameworkSchema = z
  .object({
    id: z.string().openapi({ example: "pss-restricted" }),
    title: z.string(),
    description: z.string(),
    url: z.string(),
    controls: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        checks: z.array(z.string()).openapi({ description: "IDs of the checks mapped to this control." }),
      }),
    ),
  })
  .openapi("Framework");

/** Frameworks with, per control, the checks whose `frameworks` map names it. Computed once. */
const PRESENTED = FRAMEWORKS.map((f) => ({
  id: f.id,
  title: f.title,
  description: f.description,
  url: f.url,
  controls: f.controls.map((control) => ({
    id: control.id,
    title: control.title,
    checks: CHECKS.filter((check) => check.frameworks[f.id] === control.id).map((check) => check.id),
  })),
}));

/** The OpenAPI definition of GET /v1/frameworks. */
export const route = createRoute({
  method: "get",
  path: "/v1/frameworks",
  operationId: "listFrameworks",
  tags: ["frameworks"],
  summary: "List compliance frameworks",
  description:
    "Pod Security Standards, NSA/CISA, CIS and the microservices-hardening guide, with their controls.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  responses: {
    200: {
      description: "Every framework.",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(FrameworkSchema) }).openapi("FrameworkList"),
        },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(401, 429, 500),
  },
});

/** Registers GET /v1/frameworks on the app. */
export function registerListFrameworks(app: App) {
  app.openapi(route, (c) => c.json({ items: PRESENTED }, 200));
}

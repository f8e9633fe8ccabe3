/**
 * GET /v1/policies/{id} — one check by ID or alias.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getCheck } from "../../../policies/registry.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { PolicySchema, presentPolicy } from "./list.ts";

/** The OpenAPI definition of GET /v1/policies/{id}. */
export const route = createRoute({
  method: "get",
  path: "/v1/policies/{id}",
  operationId: "getPolicy",
  tags: ["policies"],
  summary: "Get a check",
  description: "One check by its ID or one of its aliases; the answer carries the canonical ID.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(128)
        .openapi({
          param: { name: "id", in: "path", description: "Check ID or alias." },
          example: "pss.privileged",
        }),
    }),
  },
  responses: {
    200: { description: "The check.", content: { "application/json": { schema: PolicySchema } } },
    ...scopeProblemResponse("read"),
    ...problemResponses(401, 404, 429, 500),
  },
});

/** Registers GET /v1/policies/{id} on the app. */
export function registerGetPolicy(app: App) {
  app.openapi(route, (c) => {
    const { id } = c.req.valid("param");
    const check = getCheck(id);
    if (!check) throw new ApiProblem("not-found", `No check ${id}.`);
    return c.json(presentPolicy(check), 200);
  });
}

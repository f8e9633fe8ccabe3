/**
 * GET /v1/policies — every check in the registry with its metadata.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { CHECKS } from "../../../policies/registry.ts";
import type { Check } from "../../../policies/types.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import { SeveritySchema } from "../../schemas.ts";
import type { App } from "../../types.ts";

export const PolicySchema = z
  .object({
    id: z.string().openapi({ example: "pss.privileged" }),
    aliases: z.array(z.string()).optional(),
    scope: z.enum(["pss", "resource", "cluster"]).openapi({
      description:
        "`pss`: Pod Security Standards check; `resource`: one object at a time; `cluster`: the whole inventory.",
    }),
    title: z.string().openapi({ example: "Privileged containers" }),
    severity: SeveritySchema,
    description: z.string(),
    remediation: z.string(),
    references: z.array(z.object({ title: z.string(), url: z.string() })),
    frameworks: z.record(z.string(), z.string()).openapi({
      description: "Control ID of this check in each framework it belongs to.",
      example: { "pss-baseline": "privileged", cis: "5.2.2" },
    }),
    pssCheck: z.string().optional().openapi({ example: "privileged" }),
    pssLevel: z.enum(["baseline", "restricted"]).optional(),
  })
  .openapi("Policy");

/** A check's public metadata (no evaluate function). */
export function presentPolicy(check: Check) {
  return {
    id: check.id,
    ...(check.aliases?.length ? { aliases: check.aliases } : {}),
    scope: check.scope,
    title: check.title,
    severity: check.severity,
    description: check.description,
    remediation: check.remediation,
    references: check.references,
    frameworks: check.frameworks as Record<string, string>,
    ...(check.pssCheck ? { pssCheck: check.pssCheck } : {}),
    ...(check.pssLevel ? { pssLevel: check.pssLevel } : {}),
  };
}

/** The OpenAPI definition of GET /v1/policies. */
export const route = createRoute({
  method: "get",
  path: "/v1/policies",
  operationId: "listPolicies",
  tags: ["policies"],
  summary: "List every check",
  description: "The check registry: IDs, severities, descriptions, remediation and framework mappings.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  responses: {
    200: {
      description: "Every check, in registry order.",
      content: {
        "application/json": { schema: z.object({ items: z.array(PolicySchema) }).openapi("PolicyList") },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(401, 429, 500),
  },
});

/** Registers GET /v1/policies on the app. */
export function registerListPolicies(app: App) {
  app.openapi(route, (c) => c.json({ items: CHECKS.map(presentPolicy) }, 200));
}

/**
 * GET /v1/admission/decisions — the tenant's recorded admission decisions, newest first, with cursor
 * pagination and filters.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { AdmissionDecisionRecord, DecisionCursor } from "../../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import { cursorQuery, limitQuery, pageSchema, queryBoolean } from "../../../schemas.ts";
import type { App } from "../../../types.ts";

const AdmissionDecisionSchema = z
  .object({
    id: z.string().openapi({ example: "adm_2Xc7Vb1Nm9Lk4Jh8Gf3D" }),
    uid: z.string().openapi({
      description: "The AdmissionReview request uid.",
      example: "705ab4f5-6393-11e8-b7cc-42010a800002",
    }),
    keyId: z.string().openapi({ description: "The admission key that asked." }),
    operation: z.string().openapi({ example: "CREATE" }),
    kind: z.string().openapi({ example: "Pod" }),
    namespace: z.string().openapi({ example: "payments" }),
    name: z.string().openapi({ example: "web" }),
    username: z.string().openapi({ example: "system:serviceaccount:kube-system:replicaset-controller" }),
    allowed: z.boolean(),
    enforce: z
      .string()
      .optional()
      .openapi({ description: "`<level>:<version>` enforced, when evaluated.", example: "baseline:latest" }),
    message: z.string().optional().openapi({ description: "Why it was denied." }),
    warnings: z.array(z.string()),
    exempt: z.enum(["namespace", "user", "runtimeClass", "ignored"]).optional().openapi({
      description:
        "Why it was allowed unevaluated: an exemption, or `ignored` (a kind, operation or subresource not evaluated).",
    }),
    at: z.iso.datetime().openapi({ example: "2026-04-20T10:15:00.000Z" }),
  })
  .openapi("AdmissionDecision");

/** The OpenAPI definition of GET /v1/admission/decisions. */
export const route = createRoute({
  method: "get",
  path: "/v1/admission/decisions",
  operationId: "listAdmissionDecisions",
  tags: ["admission"],
  summary: "List admission decisions",
  description:
    "The decisions the admission webhook made for the tenant (dry runs are not recorded), newest first. Pass `nextCursor` back as `cursor` for the next page. Needs the `read` scope.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    query: z.object({
      limit: limitQuery,
      cursor: cursorQuery,
      allowed: queryBoolean
        .optional()
        .openapi({ param: { description: "Only allowed (`true`) or denied (`false`) requests." } }),
      namespace: z
        .string()
        .min(1)
        .max(253)
        .optional()
        .openapi({ param: { description: "Only requests in this namespace." }, example: "payments" }),
    }),
  },
  responses: {
    200: {
      description: "A page of decisions.",
      content: {
        "application/json": {
          schema: pageSchema(AdmissionDecisionSchema, "AdmissionDecisionPage"),
        },
      },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 429, 500),
  },
});

function present(d: AdmissionDecisionRecord) {
  return {
    id: d.id,
    uid: d.uid,
    keyId: d.keyId,
    operation: d.operation,
    kind: d.kind,
    namespace: d.namespace,
    name: d.name,
    username: d.username,
    allowed: d.allowed,
    ...(d.enforce !== undefined ? { enforce: d.enforce } : {}),
    ...(d.message !== undefined ? { message: d.message } : {}),
    warnings: d.warnings,
    ...(d.exempt !== undefined
      ? { exempt: d.exempt as "namespace" | "user" | "runtimeClass" | "ignored" }
      : {}),
    at: d.at.toISOString(),
  };
}

/** Registers GET /v1/admission/decisions on the app. */
export function registerListAdmissionDecisions(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    let after: DecisionCursor | undefined;
    if (q.cursor) {
      const [at, id] = decodeCursor("decisions", q.cursor, isTimeIdCursor);
      after = { at, id };
    }
    const page = await c.var.deps.store.admission.list(
      c.var.auth.tenantId,
      {
        ...(q.allowed !== undefined ? { allowed: q.allowed } : {}),
        ...(q.namespace ? { namespace: q.namespace } : {}),
      },
      q.limit,
      after,
    );
    return c.json(
      {
        items: page.items.map(present),
        nextCursor: page.next ? encodeCursor("decisions", [page.next.at, page.next.id]) : null,
      },
      200,
    );
  });
}

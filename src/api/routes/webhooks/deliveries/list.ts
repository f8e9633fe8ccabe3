/**
 * GET /v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first: each event with its
 * status, attempt count, last answer or error and next attempt.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { DeliveryCursor } from "../../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import { cursorQuery, limitQuery, pageSchema } from "../../../schemas.ts";
import type { App } from "../../../types.ts";
import { presentDelivery, WebhookDeliverySchema, WebhookIdParams, webhookNotFound } from "../schemas.ts";

/** The OpenAPI definition of GET /v1/webhooks/{id}/deliveries. */
export const route = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: ["webhooks"],
  summary: "List an endpoint's deliveries",
  description:
    "The delivery log, newest first: one entry per event sent to this endpoint, with its status, the number of attempts, the last HTTP status or error, and when the next attempt is due. Pass `nextCursor` back as `cursor` for the next page. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: {
    params: WebhookIdParams,
    query: z.object({
      limit: limitQuery,
      cursor: cursorQuery,
      status: z
        .enum(["pending", "succeeded", "failed"])
        .optional()
        .openapi({ param: { description: "Only deliveries with this status." } }),
    }),
  },
  responses: {
    200: {
      description: "A page of deliveries.",
      content: {
        "application/json": {
          schema: pageSchema(WebhookDeliverySchema, "WebhookDeliveryPage"),
        },
      },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

/** Registers GET /v1/webhooks/{id}/deliveries on the app. */
export function registerListWebhookDeliveries(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const { store } = c.var.deps;
    const { tenantId } = c.var.auth;
    let after: DeliveryCursor | undefined;
    if (q.cursor) {
      const [createdAt, last] = decodeCursor("deliveries", q.cursor, isTimeIdCursor);
      after = { createdAt, id: last };
    }
    if (!(await store.webhooks.getEndpoint(tenantId, id))) throw webhookNotFound(id);
    const page = await store.webhooks.listDeliveries(
      tenantId,
      id,
      q.status ? { status: q.status } : {},
      q.limit,
      after,
    );
    return c.json(
      {
        items: page.items.map(presentDelivery),
        nextCursor: page.next ? encodeCursor("deliveries", [page.next.createdAt, page.next.id]) : null,
      },
      200,
    );
  });
}

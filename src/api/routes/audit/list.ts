/**
 * GET /v1/audit — the tenant's audit log, newest first: who (key id, or `platform`) did which
 * administrative action on what, when. Append-only: there is no route to change or delete an entry.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { AuditCursor } from "../../../store/index.ts";
import { decodeCursor, encodeCursor, isTimeIdCursor } from "../../cursor.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { problemResponses } from "../../problem.ts";
import { cursorQuery, limitQuery, pageSchema } from "../../schemas.ts";
import type { App } from "../../types.ts";

const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: "aud_0mo71giw0000Xq3vT9cLp2" }),
    at: z.iso.datetime().openapi({ example: "2026-04-20T10:15:00.000Z" }),
    actor: z.string().openapi({
      description: "The API key id that acted, or `platform` for the platform operator.",
      example: "key_8sQ2bL0mYt6wXc4RjV1e",
    }),
    action: z.string().openapi({
      description:
        "`key.created`, `key.revoked`, `settings.updated`, `tenant.created`, `tenant.suspended`, `tenant.unsuspended`, `tenant.limits-updated`, `hook.created`, `hook.deleted`, `webhook.created`, `webhook.deleted`, …",
      example: "key.created",
    }),
    target: z.string().openapi({ description: "What was acted on.", example: "key_3Hc9vT1pQm7xL0sNd4Kw" }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "Non-secret particulars.", example: { name: "ci", scopes: ["scan"] } }),
  })
  .openapi("AuditEntry");

const filterText = (description: string, example: string) =>
  z.string().min(1).max(128).optional().openapi({ param: { description }, example });

/** The OpenAPI definition of GET /v1/audit. */
export const route = createRoute({
  method: "get",
  path: "/v1/audit",
  operationId: "listAudit",
  tags: ["audit"],
  summary: "List the audit log",
  description:
    "Administrative actions on the tenant, newest first: keys created and revoked, settings updated, hooks and webhooks created and deleted, and the platform operator's actions (suspension, limits). Append-only: no route changes or deletes an entry, and no entry holds a secret. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: {
    query: z.object({
      limit: limitQuery,
      cursor: cursorQuery,
      action: filterText("Only entries of this action.", "key.created"),
      actor: filterText("Only entries of this actor (a key id, or `platform`).", "platform"),
    }),
  },
  responses: {
    200: {
      description: "A page of audit entries.",
      content: {
        "application/json": {
          schema: pageSchema(AuditEntrySchema, "AuditPage"),
        },
      },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 429, 500),
  },
});

/** Registers GET /v1/audit on the app. */
export function registerListAudit(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    let after: AuditCursor | undefined;
    if (q.cursor) {
      const [at, id] = decodeCursor("audit", q.cursor, isTimeIdCursor);
      after = { at, id };
    }
    const page = await c.var.deps.store.audit.list(
      c.var.auth.tenantId,
      { ...(q.action ? { action: q.action } : {}), ...(q.actor ? { actor: q.actor } : {}) },
      q.limit,
      after,
    );
    return c.json(
      {
        items: page.items.map((e) => ({ ...e, at: e.at.toISOString() })),
        nextCursor: page.next ? encodeCursor("audit", [page.next.at, page.next.id]) : null,
      },
      200,
    );
  });
}

/**
 * POST /v1/webhooks — register an outbound webhook endpoint for scan events. The URL must be https
 * (http only with `KUBEGUARD_WEBHOOK_ALLOW_HTTP`) and must not name a private, loopback, link-local or
 * internal host (unless `KUBEGUARD_WEBHOOK_ALLOW_PRIVATE`), so a tenant cannot make the service call
 * into its own network. The signing secret is answered once.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { newId } from "../../../store/crypto.ts";
import { MAX_ENDPOINTS_PER_TENANT } from "../../../store/webhooks.ts";
import { sealSecret } from "../../../webhooks/secret-box.ts";
import { generateWebhookSecret } from "../../../webhooks/standard.ts";
import { checkWebhookUrl } from "../../../webhooks/url-guard.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { endpointSecretContext } from "../../webhook-dispatch.ts";
import {
  CreatedWebhookEndpointSchema,
  presentEndpoint,
  WebhookEventSchema,
  WebhookFormatSchema,
  webhookPath,
} from "./schemas.ts";

const CreateWebhookBody = z
  .object({
    url: z.string().min(1).max(2048).openapi({ example: "https://hooks.example.com/kubeguard" }),
    events: z
      .array(WebhookEventSchema)
      .min(1)
      .max(2)
      .refine((events) => new Set(events).size === events.length, { message: "events must not repeat" }),
    format: WebhookFormatSchema.optional().openapi({ description: "Default `standard`." }),
    description: z.string().min(1).max(256).optional().openapi({ example: "Security channel" }),
  })
  .strict()
  .openapi("CreateWebhookEndpoint");

/** The OpenAPI definition of POST /v1/webhooks. */
export const route = createRoute({
  method: "post",
  path: "/v1/webhooks",
  operationId: "createWebhook",
  tags: ["webhooks"],
  summary: "Register an outbound webhook endpoint",
  description:
    "Registers an endpoint for `scan.completed` and/or `scan.failed` and answers its signing secret once. Every delivery is a POST signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with that secret, retried with exponential backoff (10 s, 1 min, 5 min, 30 min, 2 h, 5 h) on a non-2xx answer, a network error or a timeout, and logged (`GET /v1/webhooks/{id}/deliveries`). Deliveries run after the scan is answered: a slow or dead receiver never slows or fails a scan request. The URL must use https and must not name a private, loopback, link-local or internal host. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateWebhookBody } } } },
  responses: {
    201: {
      description: "The endpoint, with its secret (shown once).",
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: "The endpoint's URL.", example: "/v1/webhooks/whk_8Vn2pQ5sXc1Lm9Tz4Rb7" }),
      }),
      content: { "application/json": { schema: CreatedWebhookEndpointSchema } },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 415, 429, 500),
  },
});

/** Registers POST /v1/webhooks on the app. */
export function registerCreateWebhook(app: App) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { store, clock, config } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    const check = checkWebhookUrl(body.url, config.webhooks);
    if (!check.ok) {
      throw new ApiProblem("invalid-request", `Invalid body: body.url: ${check.reason}`, {
        errors: [{ path: "body.url", message: check.reason }],
      });
    }
    if ((await store.webhooks.countEndpoints(tenantId)) >= MAX_ENDPOINTS_PER_TENANT) {
      throw new ApiProblem(
        "invalid-request",
        `A tenant has at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first.`,
      );
    }
    const now = clock.now();
    const id = newId("whk");
    const secret = generateWebhookSecret();
    const format = body.format ?? "standard";
    const endpoint = await store.webhooks.createEndpoint(
      tenantId,
      {
        id,
        url: check.url.href,
        events: body.events,
        format,
        storedSecret: await sealSecret(secret, endpointSecretContext(tenantId, id), config.secretKey),
        ...(body.description ? { description: body.description } : {}),
      },
      now,
      [
        // The URL is not audited: incoming-webhook URLs (Slack's) are secrets themselves.
        store.audit.statement(tenantId, {
          actor: keyId,
          action: "webhook.created",
          target: id,
          at: now,
          details: { events: body.events, format, host: check.url.host },
        }),
      ],
    );
    c.header("Location", webhookPath(id));
    c.header("Cache-Control", "no-store");
    return c.json({ ...presentEndpoint(endpoint), secret }, 201);
  });
}

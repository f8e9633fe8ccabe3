/**
 * The wire form of outbound webhook endpoints and their deliveries, shared by their routes. The secret
 * appears only in the answer to `POST /v1/webhooks`.
 */
import { z } from "@hono/zod-openapi";
import type { WebhookDeliveryRecord, WebhookEndpoint } from "../../../store/index.ts";
import { WEBHOOK_EVENT_TYPES } from "../../../webhooks/delivery.ts";
import { ApiProblem } from "../../problem.ts";

export const WebhookIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "id", in: "path", description: "Webhook endpoint id." },
      example: "whk_8Vn2pQ5sXc1Lm9Tz4Rb7",
    }),
});

export const WebhookEventSchema = z.enum(WEBHOOK_EVENT_TYPES).openapi("WebhookEvent", {
  description: "`scan.completed`: every stored scan; `scan.failed`: a stored scan whose verdict failed.",
  example: "scan.failed",
});

export const WebhookFormatSchema = z.enum(["standard", "slack"]).openapi("WebhookFormat", {
  description:
    "`standard`: `{ type, timestamp, data }` JSON; `slack`: a Slack incoming-webhook message (`text` and `blocks`). Both are signed the Standard Webhooks way.",
  example: "standard",
});

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: "whk_8Vn2pQ5sXc1Lm9Tz4Rb7" }),
    url: z.string().openapi({ example: "https://hooks.example.com/kubeguard" }),
    events: z.array(WebhookEventSchema),
    format: WebhookFormatSchema,
    description: z.string().optional().openapi({ example: "Security channel" }),
    createdAt: z.iso.datetime().openapi({ example: "2026-04-20T10:15:00.000Z" }),
  })
  .openapi("WebhookEndpoint");

export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description:
      "The signing secret, shown once (`whsec_` + base64 of 32 random bytes): verify `webhook-signature` with it.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwJ1y2Zx3Wv4U=",
  }),
}).openapi("CreatedWebhookEndpoint");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ example: "dlv_3Hs9Lq1Vx7Zc5Np2Bm8K" }),
    eventId: z.string().openapi({
      description: "The `webhook-id` header, the same on every attempt.",
      example: "msg_7Yt2Kc9Qm4Xv1Ln8Rb5S",
    }),
    eventType: WebhookEventSchema,
    scanId: z.string().openapi({ example: "scn_5ZQ9cM0cTq3y8bVhUo2K" }),
    status: z.enum(["pending", "succeeded", "failed"]).openapi({
      description:
        "`pending` (not sent yet, or waiting for a retry), `succeeded` (a 2xx answer), `failed` (given up after the last attempt).",
    }),
    attempts: z.number().int().min(0).openapi({ example: 2 }),
    lastStatusCode: z
      .number()
      .int()
      .optional()
      .openapi({ description: "HTTP status of the last answer.", example: 500 }),
    lastError: z.string().optional().openapi({ example: "HTTP 500" }),
    lastAttemptAt: z.iso.datetime().optional(),
    nextAttemptAt: z.iso
      .datetime()
      .optional()
      .openapi({ description: "When the next attempt is due (pending only)." }),
    createdAt: z.iso.datetime(),
  })
  .openapi("WebhookDelivery");

/** The path of an endpoint. */
export function webhookPath(id: string): string {
  return `/v1/webhooks/${encodeURIComponent(id)}`;
}

/** The `WebhookEndpoint` representation. */
export function presentEndpoint(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    format: e.format,
    ...(e.description !== undefined ? { description: e.description } : {}),
    createdAt: e.createdAt.toISOString(),
  };
}

/** The `WebhookDelivery` representation. */
export function presentDelivery(d: WebhookDeliveryRecord) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    scanId: d.scanId,
    status: d.status,
    attempts: d.attempts,
    ...(d.lastStatusCode !== undefined ? { lastStatusCode: d.lastStatusCode } : {}),
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
    ...(d.lastAttemptAt ? { lastAttemptAt: d.lastAttemptAt.toISOString() } : {}),
    ...(d.status === "pending" && d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}),
    createdAt: d.createdAt.toISOString(),
  };
}

/** The 404 for an endpoint the tenant does not have (whether or not another tenant has it). */
export function webhookNotFound(id: string): ApiProblem {
  return new ApiProblem("not-found", `No webhook endpoint ${id} in this tenant.`);
}

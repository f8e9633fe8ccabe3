/**
 * POST /v1/hooks — create an inbound hook: a URL other platforms post manifests to, authenticated by
 * an HMAC signature with the secret returned here once.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { newId } from "../../../store/crypto.ts";
import { MAX_HOOKS_PER_TENANT } from "../../../store/hooks.ts";
import { sealSecret } from "../../../webhooks/secret-box.ts";
import { generateWebhookSecret } from "../../../webhooks/standard.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { CreatedHookSchema, hookPath, hookSecretContext, presentHook } from "./schemas.ts";

const CreateHookBody = z
  .object({
    description: z.string().min(1).max(256).optional().openapi({ example: "Argo CD rendered manifests" }),
  })
  .strict()
  .openapi("CreateInboundHook");

/** The OpenAPI definition of POST /v1/hooks. */
export const route = createRoute({
  method: "post",
  path: "/v1/hooks",
  operationId: "createHook",
  tags: ["hooks"],
  summary: "Create an inbound hook",
  description:
    "Creates an inbound hook and answers its secret, once: it is never shown again. Senders post manifests to the hook's `url`, signed with the secret (see `POST /v1/hooks/{id}`). Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin")] as const,
  request: {
    body: { required: false, content: { "application/json": { schema: CreateHookBody } } },
  },
  responses: {
    201: {
      description: "The hook, with its secret (shown once).",
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: "The hook's URL.", example: "/v1/hooks/hk_4Qm8cT2xV9pLr7sKd1Ny" }),
      }),
      content: { "application/json": { schema: CreatedHookSchema } },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 415, 429, 500),
  },
});

/** Registers POST /v1/hooks on the app. */
export function registerCreateHook(app: App) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { store, clock, config } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    if ((await store.hooks.count(tenantId)) >= MAX_HOOKS_PER_TENANT) {
      throw new ApiProblem(
        "invalid-request",
        `A tenant has at most ${MAX_HOOKS_PER_TENANT} inbound hooks; delete one first.`,
      );
    }
    const now = clock.now();
    const id = newId("hk");
    const secret = generateWebhookSecret();
    const hook = await store.hooks.create(
      tenantId,
      {
        id,
        storedSecret: await sealSecret(secret, hookSecretContext(id), config.secretKey),
        ...(body.description ? { description: body.description } : {}),
      },
      now,
      [
        store.audit.statement(tenantId, {
          actor: keyId,
          action: "hook.created",
          target: id,
          at: now,
          ...(body.description ? { details: { description: body.description } } : {}),
        }),
      ],
    );
    c.header("Location", hookPath(id));
    c.header("Cache-Control", "no-store");
    return c.json({ ...presentHook(hook, config), secret }, 201);
  });
}

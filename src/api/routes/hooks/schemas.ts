/**
 * The wire form of inbound hooks, shared by their routes. The secret appears only in the answer to
 * `POST /v1/hooks`.
 */
import { z } from "@hono/zod-openapi";
import type { AppConfig } from "../../../config.ts";
import type { InboundHook } from "../../../store/index.ts";

export const HookIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "id", in: "path", description: "Hook id." },
      example: "hk_4Qm8cT2xV9pLr7sKd1Ny",
    }),
});

export const HookSchema = z
  .object({
    id: z.string().openapi({ example: "hk_4Qm8cT2xV9pLr7sKd1Ny" }),
    url: z.string().openapi({
      description:
        "Where to post manifests: absolute when the deployment knows its public URL (`KUBEGUARD_PUBLIC_URL`), else the path.",
      example: "https://kubeguard.example.com/v1/hooks/hk_4Qm8cT2xV9pLr7sKd1Ny",
    }),
    description: z.string().optional().openapi({ example: "Argo CD rendered manifests" }),
    createdAt: z.iso.datetime().openapi({ example: "2026-04-20T10:15:00.000Z" }),
    lastUsedAt: z.iso
      .datetime()
      .optional()
      .openapi({ description: "When a signed request last created or replayed a scan." }),
  })
  .openapi("InboundHook");

export const CreatedHookSchema = HookSchema.extend({
  secret: z.string().openapi({
    description:
      "The signing secret, shown once: `whsec_` + base64 of 32 random bytes. Standard Webhooks senders use it as is; for `X-Hub-Signature-256` (GitHub style) the HMAC key is this whole string as text.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwJ1y2Zx3Wv4U=",
  }),
}).openapi("CreatedInboundHook");

/** The path of a hook. */
export function hookPath(id: string): string {
  return `/v1/hooks/${encodeURIComponent(id)}`;
}

/** The `InboundHook` representation. */
export function presentHook(hook: InboundHook, config: AppConfig) {
  return {
    id: hook.id,
    url: `${config.publicUrl ?? ""}${hookPath(hook.id)}`,
    ...(hook.description !== undefined ? { description: hook.description } : {}),
    createdAt: hook.createdAt.toISOString(),
    ...(hook.lastUsedAt ? { lastUsedAt: hook.lastUsedAt.toISOString() } : {}),
  };
}

/** The additional data a hook's secret is sealed with (secret-box.ts). */
export function hookSecretContext(id: string): string {
  return `hook:${id}`;
}

/**
 * PUT /v1/settings — replaces the tenant's policy settings with a document in the `.kubeguard.yaml`
 * schema (JSON, or the YAML file itself), validated exactly as the CLI validates the file.
 */
import { createRoute } from "@hono/zod-openapi";
import { forgetAdmissionSettings } from "../../admission.ts";
import { readLimited } from "../../middleware/body-limit.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { SMALL_BODY_BYTES, smallBody } from "../../middleware/small-body.ts";
import { problemResponses } from "../../problem.ts";
import type { App } from "../../types.ts";
import { changedKeys, parseSettingsBody, SETTINGS_REQUEST_BODY, SettingsSchema } from "./schemas.ts";

/** The OpenAPI definition of PUT /v1/settings. */
export const route = createRoute({
  method: "put",
  path: "/v1/settings",
  operationId: "putSettings",
  tags: ["settings"],
  summary: "Replace the tenant settings",
  description:
    "Replaces the tenant's policy settings. The body is validated with the `.kubeguard.yaml` schema: an unknown key, a bad value or an unknown check ID is a 400 whose `errors[]` names each (`body.checks.disabled.0`). Scans and evaluations started afterwards use the new settings where their query gives no option; each stored scan records the settings it ran with (`settings` on `GET /v1/scans/{id}`), and exemptions from settings suppress findings with source `settings`. Recorded in the audit log as `settings.updated` with the top-level keys that changed. Needs the `admin` scope.",
  security: scopeSecurity("admin"),
  middleware: [requireScope("admin"), smallBody()] as const,
  request: { body: SETTINGS_REQUEST_BODY },
  responses: {
    200: {
      description: "The settings now in force.",
      content: { "application/json": { schema: SettingsSchema } },
    },
    ...scopeProblemResponse("admin"),
    ...problemResponses(400, 401, 413, 415, 429, 500),
  },
});

/** Registers PUT /v1/settings on the app. */
export function registerPutSettings(app: App) {
  app.openapi(route, async (c) => {
    const { store, clock } = c.var.deps;
    const { tenantId, keyId } = c.var.auth;
    const bytes = await readLimited(c.req.raw.body, SMALL_BODY_BYTES);
    const settings = parseSettingsBody(c.req.header("content-type") ?? "", bytes);
    const before = (await store.settings.get(tenantId))?.settings ?? {};
    const stored = await store.settings.put(tenantId, settings, keyId, clock.now(), {
      action: "settings.updated",
      details: { changed: changedKeys(before, settings) },
    });
    // This instance's admission path caches settings briefly; a change takes effect here at once.
    forgetAdmissionSettings(store, tenantId);
    c.header("Last-Modified", stored.updatedAt.toUTCString());
    return c.json(stored.settings, 200);
  });
}

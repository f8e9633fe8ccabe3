/**
 * GET /v1/admission/config — the `ValidatingWebhookConfiguration` that points a cluster at this
 * service's admission webhook for the calling tenant, as YAML, with a placeholder for the admission key.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ADMISSION_KEY_PLACEHOLDER, admissionWebhookConfiguration } from "../../../admission.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import type { App } from "../../../types.ts";

/** The OpenAPI definition of GET /v1/admission/config. */
export const route = createRoute({
  method: "get",
  path: "/v1/admission/config",
  operationId: "getAdmissionConfig",
  tags: ["admission"],
  summary: "Get the ValidatingWebhookConfiguration",
  description: `A \`ValidatingWebhookConfiguration\` (YAML) for the calling tenant: the service URL (\`KUBEGUARD_PUBLIC_URL\`, else this request's origin) in the key-in-the-URL form with the placeholder \`${ADMISSION_KEY_PLACEHOLDER}\` (never a real key), rules for Pods and the pod controllers (CREATE, UPDATE), \`admissionReviewVersions: ["v1"]\`, \`sideEffects: NoneOnDryRun\`, \`timeoutSeconds: 5\`, \`failurePolicy\` (Ignore unless asked otherwise, with a comment on the trade-off), and a namespaceSelector excluding \`kube-system\` and the namespaces the tenant's settings exempt. Needs the \`read\` scope.`,
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    query: z.object({
      failurePolicy: z
        .enum(["Ignore", "Fail"])
        .default("Ignore")
        .openapi({ param: { description: "The `failurePolicy` to write (default `Ignore`)." } }),
    }),
  },
  responses: {
    200: {
      description: "The configuration, ready for `kubectl apply` once the key is filled in.",
      content: { "application/yaml": { schema: z.string().openapi({ description: "YAML." }) } },
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 429, 500),
  },
});

/** Registers GET /v1/admission/config on the app. */
export function registerGetAdmissionConfig(app: App) {
  app.openapi(route, async (c) => {
    const { failurePolicy } = c.req.valid("query");
    const { store, config } = c.var.deps;
    const { tenantId } = c.var.auth;
    const settings = await store.settings.get(tenantId);
    const yaml = admissionWebhookConfiguration({
      baseUrl: config.publicUrl ?? new URL(c.req.url).origin,
      tenantId,
      failurePolicy,
      exemptNamespaces: settings?.settings.admission?.exemptions?.namespaces ?? [],
    });
    c.header("Cache-Control", "no-store");
    return c.body(yaml, 200, { "Content-Type": "application/yaml" });
  });
}

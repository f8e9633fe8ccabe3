/**
 * POST /v1/admission and POST /v1/admission/{token} — the Kubernetes validating admission webhook: an
 * `admission.k8s.io/v1` AdmissionReview in, an AdmissionReview with the same `uid` out, decided per the
 * tenant's admission settings (src/admission/review.ts). The key needs the `admission` scope (and only
 * an admission key is accepted); the `{token}` form carries it as the last path segment, for API
 * servers configured with a URL, and is verified exactly like a bearer key by the auth middleware
 * (credentials.ts; the path is never logged). A malformed review is a 400, never an allow. Dry runs are
 * answered but not recorded (`sideEffects: NoneOnDryRun`); every other decision is recorded after the
 * answer, batched with concurrent ones.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { reviewAdmission } from "../../../admission/review.ts";
import { admissionSettingsFor, decisionRecorder } from "../../admission.ts";
import { parseContentType, readBodyLimited } from "../../middleware/body-limit.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../middleware/scope.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import type { App, AppEnv } from "../../types.ts";

const GroupVersionKind = z.object({ group: z.string(), version: z.string(), kind: z.string() });

const AdmissionReviewRequestSchema = z
  .object({
    apiVersion: z.literal("admission.k8s.io/v1"),
    kind: z.literal("AdmissionReview"),
    request: z.object({
      uid: z.string(),
      kind: GroupVersionKind,
      resource: z.object({ group: z.string(), version: z.string(), resource: z.string() }),
      subResource: z.string().optional(),
      name: z.string().optional(),
      namespace: z.string().optional(),
      operation: z.enum(["CREATE", "UPDATE", "DELETE", "CONNECT"]),
      userInfo: z.object({ username: z.string().optional() }).optional(),
      object: z.record(z.string(), z.unknown()).nullable().optional(),
      oldObject: z.record(z.string(), z.unknown()).nullable().optional(),
      dryRun: z.boolean().optional(),
    }),
  })
  .openapi("AdmissionReviewRequest", {
    description:
      "An `admission.k8s.io/v1` AdmissionReview as the API server sends it (other fields are ignored).",
    example: {
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
        kind: { group: "", version: "v1", kind: "Pod" },
        resource: { group: "", version: "v1", resource: "pods" },
        name: "web",
        namespace: "payments",
        operation: "CREATE",
        userInfo: { username: "system:serviceaccount:kube-system:replicaset-controller" },
        object: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "web", namespace: "payments" },
          spec: {
            containers: [{ name: "app", image: "nginx:1.27.2", securityContext: { privileged: true } }],
          },
        },
        dryRun: false,
      },
    },
  });

const AdmissionReviewResponseSchema = z
  .object({
    apiVersion: z.literal("admission.k8s.io/v1"),
    kind: z.literal("AdmissionReview"),
    response: z.object({
      uid: z.string().openapi({ description: "The request's uid." }),
      allowed: z.boolean(),
      status: z
        .object({ code: z.number().int(), reason: z.string(), message: z.string() })
        .optional()
        .openapi({ description: "Why a request is denied (code 403, reason Forbidden)." }),
      warnings: z
        .array(z.string())
        .optional()
        .openapi({ description: "Shown to the client (kubectl prints them)." }),
      auditAnnotations: z.record(z.string(), z.string()).optional(),
    }),
  })
  .openapi("AdmissionReviewResponse", {
    example: {
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      response: {
        uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
        allowed: false,
        status: {
          code: 403,
          reason: "Forbidden",
          message:
            'pods "web" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
        },
        auditAnnotations: {
          "enforce-policy": "baseline:latest",
          "audit-violations":
            'would violate PodSecurity "restricted:latest": privileged (container "app" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
        },
      },
    },
  });

const DESCRIPTION = `The Kubernetes validating admission webhook. Takes an \`admission.k8s.io/v1\` AdmissionReview for Pods and the pod controllers (CREATE and UPDATE) and answers an AdmissionReview with the same \`uid\`: the Pod Security Standards evaluated per the tenant's \`admission\` settings (\`enforce\` denies Pods with the built-in controller's message, \`warn\` adds warnings, \`audit\` adds audit annotations; controllers are only warned; per-namespace levels, PSA-style exemptions by username, namespace and runtime class, and optionally other kubeguard checks at or above a severity). Other kinds, operations and subresources are allowed unevaluated. Every decision is recorded for the tenant (\`GET /v1/admission/decisions\`) except dry runs. A malformed review is a 400, never an allow; the API server then applies the webhook's \`failurePolicy\`. Needs a key with the \`admission\` scope (no other key is accepted).`;

const responses = {
  200: {
    description: "The decision.",
    content: { "application/json": { schema: AdmissionReviewResponseSchema } },
  },
  ...scopeProblemResponse("admission"),
  ...problemResponses(400, 401, 413, 415, 429, 500),
};

// Documented only: the body is read raw under the body limit and checked by reviewAdmission.
const requestBody = {
  required: true,
  description: "The AdmissionReview (at most the configured body limit).",
  content: { "application/json": { schema: { $ref: "#/components/schemas/AdmissionReviewRequest" } } },
};

/** The OpenAPI definition of POST /v1/admission. */
export const route = createRoute({
  method: "post",
  path: "/v1/admission",
  operationId: "reviewAdmission",
  tags: ["admission"],
  summary: "Decide an AdmissionReview",
  description: DESCRIPTION,
  security: scopeSecurity("admission"),
  middleware: [requireScope("admission")] as const,
  request: { body: requestBody },
  responses,
});

/** The OpenAPI definition of POST /v1/admission/{token}. */
export const tokenRoute = createRoute({
  method: "post",
  path: "/v1/admission/{token}",
  operationId: "reviewAdmissionWithToken",
  tags: ["admission"],
  summary: "Decide an AdmissionReview (key in the URL)",
  description: `${DESCRIPTION}\n\nThis form takes the admission key as the last path segment instead of the \`Authorization\` header, since an API server's webhook client is easiest to configure with a URL (see \`GET /v1/admission/config\`). The key is verified exactly like a bearer key, and the path is never logged.`,
  security: [],
  middleware: [requireScope("admission")] as const,
  request: {
    params: z.object({
      token: z.string().openapi({
        param: { name: "token", in: "path", description: "An API key with the `admission` scope." },
        example: "kg_4fQ0vX8aLm2Nc7Rt1Kp9Zs3Bw6Yd5Hj0Ue4Gi8Oq",
      }),
    }),
    body: requestBody,
  },
  responses,
});

const decoder = new TextDecoder("utf-8", { fatal: true });

async function review(c: Context<AppEnv>) {
  const { deps } = c.var;
  const mediaType = parseContentType(c.req.header("content-type") ?? "").mediaType;
  if (mediaType !== "application/json") {
    throw new ApiProblem(
      "unsupported-media-type",
      `${mediaType ? `Content-Type ${mediaType} is not accepted` : "Content-Type is missing"}; send application/json.`,
    );
  }
  const bytes = await readBodyLimited(c);
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new ApiProblem("invalid-request", "Invalid body: not a JSON document.", {
      errors: [{ path: "body", message: "not a JSON document" }],
    });
  }
  const { tenantId, keyId } = c.var.auth;
  const now = deps.clock.now();
  const outcome = reviewAdmission(body, await admissionSettingsFor(deps, tenantId), now);
  if (!outcome.ok) {
    const errors = outcome.errors.map((e) => ({
      path: e.path ? `body.${e.path}` : "body",
      message: e.message,
    }));
    throw new ApiProblem("invalid-request", `Invalid body: ${outcome.detail}.`, { errors });
  }
  if (!outcome.decision.dryRun)
    c.var.background(
      decisionRecorder(deps.store).add({ tenantId, keyId, decision: outcome.decision, at: now }),
    );
  return c.json(outcome.review, 200);
}

/** Registers POST /v1/admission on the app. */
export function registerReviewAdmission(app: App) {
  app.openAPIRegistry.register("AdmissionReviewRequest", AdmissionReviewRequestSchema);
  app.openapi(route, (c) => review(c));
}

/** Registers POST /v1/admission/{token} on the app. */
export function registerReviewAdmissionWithToken(app: App) {
  app.openapi(tokenRoute, (c) => review(c));
}

/**
 * zod schemas of the HTTP contract shared by several routes. They are the single source of
 * openapi.yaml: request parts are validated with them, responses are documented by them.
 */
import { z } from "@hono/zod-openapi";
import { FRAMEWORK_IDS, SEVERITIES } from "../policies/types.ts";
import { configSchema, failOnSchema, pssLevelSchema, pssVersionSchema } from "../scan/config.ts";

export const SeveritySchema = z.enum(SEVERITIES).openapi("Severity", { example: "high" });
export const FailOnSchema = failOnSchema.openapi("FailOn", {
  description: "The lowest severity that fails the verdict; `none` never fails.",
  example: "high",
});
export const PssLevelSchema = pssLevelSchema.openapi("PssLevel", { example: "restricted" });
export const PssVersionSchema = pssVersionSchema.openapi("PssVersion", {
  description: "`latest` or `v1.N` (for example `v1.30`).",
  example: "latest",
});

// ---------------------------------------------------------------- query parameters

/** `true` / `false` in a query string. */
export const queryBoolean = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .openapi({ type: "boolean" });

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/;
const MAX_LABELS = 32;

/**
 * Parses `labels=k=v,k2=v2`: up to 32 pairs, keys like Kubernetes label keys (1–63 of [A-Za-z0-9._/-],
 * alphanumeric at both ends), values up to 256 characters without a comma (may be empty).
 * Returns an error message instead of throwing.
 */
export function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  const pairs = text.split(",");
  if (pairs.length > MAX_LABELS) return `at most ${MAX_LABELS} labels`;
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 0) return `"${pair}" is not key=value`;
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!LABEL_KEY.test(key))
      return `label key "${key}" must be 1-63 characters of [A-Za-z0-9._/-], alphanumeric at both ends`;
    if (value.length > 256) return `label ${key}: the value is longer than 256 characters`;
    if (Object.hasOwn(labels, key)) return `label ${key} is given twice`;
    labels[key] = value;
  }
  return labels;
}

const labelsQuery = z
  .string()
  .transform((v, ctx) => {
    const parsed = parseLabels(v);
    if (typeof parsed === "string") {
      ctx.issues.push({ code: "custom", message: parsed, input: v });
      return z.NEVER;
    }
    return parsed;
  })
  .openapi({
    type: "string",
    param: { description: "Labels stored with the scan: comma-separated `key=value` pairs (at most 32)." },
    example: "team=payments,env=prod",
  });

/** pssLevel, pssVersion, failOn: shared by `POST /v1/scans` and `POST /v1/evaluate`. */
export const scanOptionsQuery = {
  pssLevel: PssLevelSchema.optional().openapi({
    param: { description: "PSS level findings are reported for (default `restricted`)." },
  }),
  pssVersion: PssVersionSchema.optional().openapi({
    param: { description: "PSS version: `latest` (default) or `v1.N`." },
  }),
  failOn: FailOnSchema.optional().openapi({
    param: { description: "Lowest severity that fails the verdict (default `high`)." },
  }),
};

const text = (max: number, description: string, example: string) =>
  z.string().min(1).max(max).optional().openapi({ param: { description }, example });

/** Source metadata recorded with a stored scan. */
export const scanSourceQuery = {
  repository: text(512, "Repository the manifests come from.", "github.com/acme/payments"),
  commit: text(128, "Commit the manifests were rendered from.", "4f1c0d7e9b8a6c5d4e3f2a1b0c9d8e7f6a5b4c3d"),
  branch: text(256, "Branch the pipeline ran on.", "main"),
  pipelineUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional()
    .openapi({
      param: { description: "Link to the pipeline run (http or https)." },
      example: "https://ci.example.com/runs/1842",
    }),
  labels: labelsQuery.optional(),
};

export const limitQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .openapi({ param: { description: "Page size, 1–100 (default 20)." }, example: 20 });

export const cursorQuery = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .openapi({ param: { description: "`nextCursor` of the previous page; opaque." } });

export const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "id", in: "path", description: "Scan id." },
      example: "scn_5ZQ9cM0cTq3y8bVhUo2K",
    }),
});

// ---------------------------------------------------------------- report pieces

export const ResourceRefSchema = z
  .object({
    apiVersion: z.string().openapi({ example: "apps/v1" }),
    kind: z.string().openapi({ example: "Deployment" }),
    namespace: z.string().optional().openapi({ example: "payments" }),
    name: z.string().openapi({ example: "api" }),
  })
  .openapi("ResourceRef");

export const SuppressionSchema = z
  .object({
    source: z.enum(["annotation", "config", "settings"]),
    reason: z.string(),
    until: z.string().optional().openapi({ description: "YYYY-MM-DD, when the exemption expires." }),
  })
  .openapi("Suppression");

export const FindingSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "Stable fingerprint: check, resource identity and path, never the line." }),
    check: z.string().openapi({ example: "pss.privileged" }),
    severity: SeveritySchema,
    title: z.string().openapi({ example: "Privileged containers" }),
    message: z
      .string()
      .openapi({ example: 'privileged (container "app" must not set securityContext.privileged=true)' }),
    resource: ResourceRefSchema,
    path: z.string().openapi({ example: "spec.template.spec.containers[0].securityContext.privileged" }),
    location: z.object({
      file: z.string().openapi({ example: "deploy.yaml" }),
      line: z.number().int().min(1).openapi({ example: 24 }),
      column: z.number().int().min(1).openapi({ example: 15 }),
    }),
    suppressed: z.boolean(),
    suppression: SuppressionSchema.optional(),
    pssCheck: z
      .string()
      .optional()
      .openapi({ description: "Upstream Pod Security Admission check ID.", example: "privileged" }),
  })
  .openapi("Finding");

export const ScanOptionsSchema = z
  .object({ pssLevel: PssLevelSchema, pssVersion: PssVersionSchema, failOn: FailOnSchema })
  .openapi("ScanOptions");

export const ScanSummarySchema = z
  .object({
    resources: z.number().int().openapi({ example: 12 }),
    findings: z.number().int().openapi({ description: "Unsuppressed findings.", example: 7 }),
    bySeverity: z.object({
      critical: z.number().int(),
      high: z.number().int(),
      medium: z.number().int(),
      low: z.number().int(),
      info: z.number().int(),
    }),
    suppressed: z.number().int(),
    errors: z.number().int().openapi({ description: "Input errors (documents that could not be read)." }),
  })
  .openapi("ScanSummary");

export const VerdictSchema = z
  .object({ passed: z.boolean(), failOn: FailOnSchema })
  .openapi("Verdict", { example: { passed: false, failOn: "high" } });

const FrameworkIdSchema = z.enum(FRAMEWORK_IDS).openapi("FrameworkId");

export const FrameworkScoreSchema = z
  .object({
    id: FrameworkIdSchema,
    title: z.string(),
    score: z.number().nullable().openapi({
      description: "Percent of applicable controls passed, one decimal; null when none applies.",
    }),
    passed: z.number().int(),
    failed: z.number().int(),
    suppressed: z.number().int(),
    notApplicable: z.number().int(),
  })
  .openapi("FrameworkScore");

const ControlResultSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(["passed", "failed", "suppressed", "not-applicable"]),
    checks: z.array(z.string()),
    findings: z.number().int(),
    suppressed: z.number().int(),
  })
  .openapi("ControlResult");

const FrameworkResultSchema = FrameworkScoreSchema.extend({ controls: z.array(ControlResultSchema) }).openapi(
  "FrameworkResult",
);

const PssLevelResultSchema = z.object({
  allowed: z.boolean(),
  violations: z.array(z.object({ check: z.string(), reason: z.string(), detail: z.string() })),
  message: z.string(),
});

const ResourceReportSchema = ResourceRefSchema.extend({
  source: z.object({ file: z.string(), document: z.number().int(), line: z.number().int() }),
  pss: z
    .object({
      version: z.string(),
      level: PssLevelSchema,
      baseline: PssLevelResultSchema,
      restricted: PssLevelResultSchema,
    })
    .optional(),
}).openapi("ResourceReport");

const IngestErrorSchema = z
  .object({
    file: z.string(),
    document: z.number().int().optional(),
    line: z.number().int(),
    column: z.number().int(),
    message: z.string(),
    path: z.string().optional(),
  })
  .openapi("InputError");

const SnapshotMetaSchema = z
  .object({
    cluster: z.string().optional(),
    capturedAt: z.string().optional(),
    serverVersion: z.string().optional(),
    provider: z.string().optional(),
    warnings: z.array(z.string()).optional(),
  })
  .openapi("SnapshotMeta");

const ToolSchema = z.object({
  name: z.literal("kubeguard"),
  version: z.string().openapi({ example: "0.1.0" }),
});

/** The CLI's `schemaVersion: 1` JSON report. */
export const ScanReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: ToolSchema,
    options: ScanOptionsSchema,
    summary: ScanSummarySchema,
    verdict: VerdictSchema,
    resources: z.array(ResourceReportSchema),
    findings: z.array(FindingSchema),
    errors: z.array(IngestErrorSchema),
    frameworks: z.array(FrameworkResultSchema),
    snapshot: SnapshotMetaSchema.optional(),
    warnings: z.array(z.string()).optional(),
  })
  .openapi("ScanReport", {
    description: "The JSON report, `schemaVersion` 1: the same document the CLI writes.",
  });

export const ScanSourceSchema = z
  .object({
    repository: z.string().optional(),
    commit: z.string().optional(),
    branch: z.string().optional(),
    pipelineUrl: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .openapi("ScanSource", {
    example: {
      repository: "github.com/acme/payments",
      branch: "main",
      commit: "4f1c0d7",
      labels: { team: "payments" },
    },
  });

/** Tenant settings (`GET`/`PUT /v1/settings`), documented from the `.kubeguard.yaml` zod schema the CLI uses. */
export const SettingsSchema = configSchema.openapi("Settings", {
  description:
    "Tenant policy settings, the same schema as `.kubeguard.yaml`: PSS level and version, `failOn`, checks disabled or re-rated, exemptions with a reason and an optional expiry, and the admission webhook's modes. Scans and evaluations without explicit query options use them; a query option wins over the setting.",
  example: {
    pssLevel: "baseline",
    failOn: "high",
    checks: { disabled: ["workload.image-not-pinned"], severity: { "rbac.wildcard-verbs": "critical" } },
    exemptions: [
      {
        checks: ["pss.host-namespaces"],
        namespace: "kube-system",
        reason: "node agents need the host network",
        until: "2026-12-31",
      },
    ],
  },
});

export const ScanSchema = z
  .object({
    id: z.string().openapi({ example: "scn_5ZQ9cM0cTq3y8bVhUo2K" }),
    createdAt: z.iso
      .datetime()
      .openapi({ description: "When the request was received.", example: "2026-04-20T10:15:00.000Z" }),
    completedAt: z.iso
      .datetime()
      .openapi({ description: "When the scan finished.", example: "2026-04-20T10:15:00.042Z" }),
    tool: ToolSchema,
    options: ScanOptionsSchema,
    source: ScanSourceSchema,
    summary: ScanSummarySchema,
    frameworks: z.array(FrameworkScoreSchema),
    verdict: VerdictSchema,
    settings: SettingsSchema.nullable().optional().openapi({
      description:
        "The tenant settings the scan ran with (null when the tenant had none). On `GET /v1/scans/{id}` and the answer of `POST /v1/scans`, not in listings.",
    }),
  })
  .openapi("Scan");

/** Request body of POST /v1/scans and /v1/evaluate, documented only: the body is read raw (line numbers). */
export const MANIFEST_REQUEST_BODY = {
  required: true,
  description:
    "Kubernetes manifests: multi-document YAML, a JSON object, array or `List`, a kubeguard `ClusterSnapshot`, or multipart files whose names become the report's file paths. At most the configured body limit (10 MB by default).",
  content: {
    "application/yaml": {
      schema: { type: "string" as const, description: "One or more YAML documents." },
      example:
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.2\n      securityContext:\n        privileged: true\n",
    },
    "application/x-yaml": { schema: { type: "string" as const } },
    "text/yaml": { schema: { type: "string" as const } },
    "application/json": {
      schema: {
        description: "A Kubernetes object, an array of objects, a `List` or a `ClusterSnapshot`.",
        oneOf: [{ type: "object" as const }, { type: "array" as const, items: { type: "object" as const } }],
      },
      example: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web" },
        spec: { containers: [{ name: "app", image: "nginx" }] },
      },
    },
    "multipart/form-data": {
      schema: {
        type: "object" as const,
        description: "Every part is one file; a part's filename becomes its path in the report.",
        properties: {
          file: {
            type: "array" as const,
            items: { type: "string" as const, contentMediaType: "application/octet-stream" },
          },
        },
      },
    },
  },
};

// The security requirement of a tenant route names its scope: `scopeSecurity(scope)` in
// middleware/scope.ts (with `requireScope(scope)` first in its middleware).

/**
 * A cursor-paginated page of `item`, registered as the OpenAPI component `name`
 * (every listing answers `{ items, nextCursor }`).
 */
export function pageSchema<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Cursor of the next page; null on the last page." }),
    })
    .openapi(name);
}

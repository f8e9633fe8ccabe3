/**
 * Schemas and presentation of the platform operator's tenant routes (`/v1/admin/tenants`): the
 * `platformToken` security requirement, tenant bodies with their limits, and the tenant representation
 * with the limits in force (the tenant's own, else the deployment defaults).
 */
import { z } from "@hono/zod-openapi";
import type { TenancyConfig } from "../../../../config.ts";
import type { AuditInput, Tenant, TenantPatch } from "../../../../store/index.ts";
import { PLATFORM_ACTOR } from "../../../../store/index.ts";
import { ApiProblem, problemResponses } from "../../../problem.ts";

/** Security requirement of every `/v1/admin` operation. */
export const PLATFORM_AUTH = [{ platformToken: [] }];

/** The problem responses of an admin route, with the admin API's meaning of 401 and 404. */
export function platformProblemResponses<const S extends readonly (400 | 401 | 404 | 413 | 415 | 500)[]>(
  ...statuses: S
) {
  const all = problemResponses(...statuses) as Record<number, { description: string }>;
  if (all[401])
    all[401] = {
      ...all[401],
      description:
        "No platform token, or a wrong one. Tenant API keys are never accepted here, whatever their scopes.",
    };
  if (all[404])
    all[404] = {
      ...all[404],
      description: "No such tenant, or the admin API is off (no `KUBEGUARD_PLATFORM_TOKEN` is configured).",
    };
  return all as ReturnType<typeof problemResponses<S>>;
}

const limitValue = (min: number, description: string, example: number) =>
  z.number().int().min(min).max(1_000_000_000).nullable().optional().openapi({ description, example });

const RateLimitInput = z
  .object({
    requestsPerMinute: limitValue(
      1,
      "Requests per minute per API key; null resets to the deployment default.",
      600,
    ),
    scansPerDay: limitValue(
      1,
      "Scans (`POST /v1/scans`, `POST /v1/evaluate`, inbound hooks) per UTC day per API key; null resets to the default.",
      10000,
    ),
  })
  .strict();

const RetentionInput = z
  .object({
    days: limitValue(
      0,
      "Scans older than this many days are deleted; 0 keeps them; null resets to the default.",
      90,
    ),
    maxScans: limitValue(
      0,
      "Only the newest this many scans are kept; 0 keeps all; null resets to the default.",
      10000,
    ),
  })
  .strict();

export const CreateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "acme" }),
    rateLimit: RateLimitInput.optional(),
    retention: RetentionInput.optional(),
  })
  .strict()
  .openapi("CreateTenant");

export const UpdateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "acme" }),
    suspended: z.boolean().optional().openapi({
      description:
        "true: every request with the tenant's keys gets 403 `tenant-suspended` until set back to false.",
    }),
    rateLimit: RateLimitInput.optional(),
    retention: RetentionInput.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: "give at least one of name, suspended, rateLimit, retention",
  })
  .openapi("UpdateTenant");

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: "tnt_7Kd2mQ9xV4pLs0cRt8Yb" }),
    name: z.string().openapi({ example: "acme" }),
    createdAt: z.iso.datetime().openapi({ example: "2026-04-20T10:00:00.000Z" }),
    suspended: z.boolean(),
    suspendedAt: z.iso.datetime().nullable(),
    rateLimit: z
      .object({ requestsPerMinute: z.number().int(), scansPerDay: z.number().int() })
      .openapi({ description: "The limits in force (the tenant's, else the deployment defaults)." }),
    retention: z
      .object({
        days: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "null: scans are kept whatever their age." }),
        maxScans: z.number().int().nullable().openapi({ description: "null: no maximum number of scans." }),
      })
      .openapi({ description: "The retention in force, applied by the scheduled clean-up." }),
  })
  .openapi("Tenant");

export const TenantIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "id", in: "path", description: "Tenant id." },
      example: "tnt_7Kd2mQ9xV4pLs0cRt8Yb",
    }),
});

/** The retention in force for a tenant: days and maximum scans, 0 meaning none. */
export function effectiveRetention(t: Pick<Tenant, "retentionDays" | "retentionMaxScans">, d: TenancyConfig) {
  return { days: t.retentionDays ?? d.retentionDays, maxScans: t.retentionMaxScans ?? d.retentionMaxScans };
}

/** The `Tenant` representation. */
export function presentTenant(t: Tenant, defaults: TenancyConfig) {
  const retention = effectiveRetention(t, defaults);
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    suspended: t.suspended,
    suspendedAt: t.suspendedAt?.toISOString() ?? null,
    rateLimit: {
      requestsPerMinute: t.requestsPerMinute ?? defaults.requestsPerMinute,
      scansPerDay: t.scansPerDay ?? defaults.scansPerDay,
    },
    retention: { days: retention.days || null, maxScans: retention.maxScans || null },
  };
}

/** The store patch of a body's limits. */
export function limitsPatch(body: {
  rateLimit?: z.infer<typeof RateLimitInput> | undefined;
  retention?: z.infer<typeof RetentionInput> | undefined;
}): TenantPatch {
  const patch: TenantPatch = {};
  if (body.rateLimit?.requestsPerMinute !== undefined)
    patch.requestsPerMinute = body.rateLimit.requestsPerMinute;
  if (body.rateLimit?.scansPerDay !== undefined) patch.scansPerDay = body.rateLimit.scansPerDay;
  if (body.retention?.days !== undefined) patch.retentionDays = body.retention.days;
  if (body.retention?.maxScans !== undefined) patch.retentionMaxScans = body.retention.maxScans;
  return patch;
}

const LIMIT_FIELDS = ["requestsPerMinute", "scansPerDay", "retentionDays", "retentionMaxScans"] as const;

/** The audit entries of a tenant change, for the tenant's own log (actor `platform`). */
export function tenantAuditEntries(before: Tenant, after: Tenant, at: Date): AuditInput[] {
  const entries: AuditInput[] = [];
  const base = { actor: PLATFORM_ACTOR, target: before.id, at };
  if (before.suspended !== after.suspended)
    entries.push({ ...base, action: after.suspended ? "tenant.suspended" : "tenant.unsuspended" });
  if (before.name !== after.name)
    entries.push({ ...base, action: "tenant.renamed", details: { from: before.name, to: after.name } });
  const changed = Object.fromEntries(
    LIMIT_FIELDS.filter((k) => before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]),
  );
  if (Object.keys(changed).length > 0)
    entries.push({ ...base, action: "tenant.limits-updated", details: changed });
  return entries;
}

/** The 404 for a tenant that does not exist. */
export function tenantNotFound(id: string): ApiProblem {
  return new ApiProblem("not-found", `No tenant ${id}.`);
}

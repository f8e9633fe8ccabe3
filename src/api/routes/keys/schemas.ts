/**
 * Schemas and presentation shared by the key routes (`/v1/keys`) and the platform's
 * `POST /v1/admin/tenants/{id}/keys`: a key is shown in clear once, in the creation answer; listings
 * carry its prefix, never the key or its hash.
 */
import { z } from "@hono/zod-openapi";
import { SCOPES, type Scope, scopeAllows } from "../../../auth/keys.ts";
import type { CreatedKey, KeyInfo } from "../../../store/index.ts";
import { ApiProblem } from "../../problem.ts";

const ScopeSchema = z.enum(SCOPES).openapi("Scope", {
  description:
    "`admin`: keys, settings, webhooks, audit and everything `scan` may do. `scan`: create and read scans, evaluate. `read`: read only. `admission`: the admission endpoint only (no other key is accepted there, and it reads nothing else).",
  example: "scan",
});

export const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "github-actions payments" }),
    scopes: z
      .array(ScopeSchema)
      .min(1)
      .max(SCOPES.length)
      .refine((s) => new Set(s).size === s.length, { message: "lists a scope twice" })
      .openapi({ example: ["scan"] }),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({
      description: "When the key stops working (RFC 3339, in the future).",
      example: "2027-01-01T00:00:00Z",
    }),
  })
  .strict()
  .openapi("CreateKey");

const timestamps = {
  createdAt: z.iso.datetime().openapi({ example: "2026-04-20T10:00:00.000Z" }),
  expiresAt: z.iso.datetime().nullable().openapi({ description: "null: the key does not expire." }),
};

export const CreatedKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_8sQ2bL0mYt6wXc4RjV1e" }),
    key: z.string().openapi({
      description: "The API key in clear. Shown in this answer only: it is stored as a prefix and a hash.",
      example: "kg_4fQ0vKp7sX2mR9tLw3YhB8nC6dJ1eZ5aG0uV7iO",
    }),
    name: z.string(),
    prefix: z.string().openapi({
      description: "The first 11 characters of the key, to recognise it.",
      example: "kg_4fQ0vKp7",
    }),
    scopes: z.array(ScopeSchema),
    ...timestamps,
  })
  .openapi("CreatedKey");

export const KeySchema = z
  .object({
    id: z.string().openapi({ example: "key_8sQ2bL0mYt6wXc4RjV1e" }),
    name: z.string().openapi({ example: "github-actions payments" }),
    prefix: z.string().openapi({ example: "kg_4fQ0vKp7" }),
    scopes: z.array(ScopeSchema),
    ...timestamps,
    lastUsedAt: z.iso.datetime().nullable().openapi({
      description:
        "Last authenticated request, to the minute (updated at most once a minute); null if never used.",
    }),
    revokedAt: z.iso.datetime().nullable().openapi({ description: "null while the key is active." }),
  })
  .openapi("Key");

export const KeyIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "id", in: "path", description: "Key id." },
      example: "key_8sQ2bL0mYt6wXc4RjV1e",
    }),
});

/**
 * Whether a key holding `creator` may create a key with `scope`: it must hold that scope itself, except
 * that `admin` may create `admission` keys (admission is separate from the other scopes, and only an
 * admin manages keys).
 * @example canGrant(["admin"], "admission") // true
 * @example canGrant(["scan"], "admin") // false
 */
export function canGrant(creator: readonly Scope[], scope: Scope): boolean {
  return scopeAllows(creator, scope) || (scope === "admission" && scopeAllows(creator, "admin"));
}

/** The creation body, checked beyond its schema: an expiry in the future, no scope the creator lacks. */
export function checkKeyRequest(
  body: z.infer<typeof CreateKeyBody>,
  now: Date,
  creator?: readonly Scope[],
): { name: string; scopes: Scope[]; expiresAt?: Date } {
  const out: { name: string; scopes: Scope[]; expiresAt?: Date } = { name: body.name, scopes: body.scopes };
  if (body.expiresAt !== undefined) {
    const at = new Date(body.expiresAt);
    if (at.getTime() <= now.getTime()) {
      throw new ApiProblem("invalid-request", "Invalid body: body.expiresAt: must be in the future", {
        errors: [{ path: "body.expiresAt", message: "must be in the future" }],
      });
    }
    out.expiresAt = at;
  }
  if (creator) {
    const denied = body.scopes.filter((s) => !canGrant(creator, s));
    if (denied.length > 0) {
      throw new ApiProblem(
        "insufficient-scope",
        `A key cannot grant scopes its creator lacks: ${denied.map((s) => `"${s}"`).join(", ")}.`,
      );
    }
  }
  return out;
}

/** The `CreatedKey` representation (the only one with the key). */
export function presentCreatedKey(k: CreatedKey) {
  return {
    id: k.keyId,
    key: k.key,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt ? k.expiresAt.toISOString() : null,
  };
}

/** The `Key` representation. */
export function presentKey(k: KeyInfo) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Audit details of a created key: name, scopes and expiry, never the key. */
export function keyAuditDetails(k: { name: string; scopes: Scope[]; expiresAt?: Date }) {
  return { name: k.name, scopes: k.scopes, ...(k.expiresAt ? { expiresAt: k.expiresAt.toISOString() } : {}) };
}

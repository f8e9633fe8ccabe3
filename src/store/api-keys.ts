/**
 * API keys: generation, the stored form (lookup prefix + SHA-256) and verification with a
 * constant-time hash comparison. The key itself is never stored and is returned once, on creation.
 */
import { and, eq } from "drizzle-orm";
import { constantTimeEqual, newId, randomBase62, sha256Hex } from "./crypto.ts";
import type { Database } from "./database.ts";
import { apiKeys } from "./schema.ts";

/** `kg_` followed by at least 32 characters of [A-Za-z0-9]. */
export const API_KEY_PATTERN = /^kg_[A-Za-z0-9]{32,}$/;

/** Scopes a key can carry. Routes do not check them yet; every v1 route accepts any valid key. */
export const SCOPES = ["admin", "scan", "read", "admission"] as const;
export type Scope = (typeof SCOPES)[number];

/** Length of the stored lookup prefix: `kg_` and 8 more characters. */
const PREFIX_LENGTH = 11;

/** Whether a string has the form of an API key. */
export function isApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** A fresh key: `kg_` + 40 random base62 characters (238 bits). */
export function generateApiKey(): string {
  return `kg_${randomBase62(40)}`;
}

/** The lookup prefix stored beside the hash. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

/** What a verified key grants. */
export interface KeyIdentity {
  keyId: string;
  tenantId: string;
  scopes: Scope[];
}

export interface CreatedKey extends KeyIdentity {
  name: string;
  prefix: string;
  createdAt: Date;
  /** The key in clear: shown to the caller once and never again. */
  key: string;
}

/** Rows to insert for a new key (shared by {@link ApiKeyService.create} and the bootstrap batch). */
export async function apiKeyRow(input: {
  tenantId: string;
  name: string;
  scopes: Scope[];
  key: string;
  now: Date;
  expiresAt?: Date;
}): Promise<typeof apiKeys.$inferInsert> {
  return {
    id: newId("key"),
    tenantId: input.tenantId,
    name: input.name,
    prefix: apiKeyPrefix(input.key),
    hash: await sha256Hex(input.key),
    scopes: JSON.stringify(input.scopes),
    createdAt: input.now,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
  };
}

/** API keys of every tenant; each method names the tenant it acts for, except {@link verify}. */
export class ApiKeyService {
  constructor(private readonly db: Database) {}

  /** Creates a key for a tenant; a given `key` must match {@link API_KEY_PATTERN}. */
  async create(
    tenantId: string,
    input: { name: string; scopes: Scope[]; key?: string; expiresAt?: Date },
    now: Date,
  ): Promise<CreatedKey> {
    const key = input.key ?? generateApiKey();
    if (!isApiKey(key))
      throw new Error("an API key must be kg_ followed by at least 32 characters of [A-Za-z0-9]");
    const row = await apiKeyRow({
      tenantId,
      name: input.name,
      scopes: input.scopes,
      key,
      now,
      ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    });
    await this.db.insert(apiKeys).values(row);
    return {
      keyId: row.id,
      tenantId,
      scopes: input.scopes,
      name: input.name,
      prefix: row.prefix,
      createdAt: now,
      key,
    };
  }

  /**
   * The identity behind a presented key, or undefined when the key is malformed, unknown, revoked or
   * expired. The lookup is by prefix; the decision is a constant-time compare of SHA-256 digests.
   */
  async verify(presented: string, now: Date): Promise<KeyIdentity | undefined> {
    if (!isApiKey(presented)) return undefined;
    const hash = await sha256Hex(presented);
    const rows = await this.db
      .select({
        id: apiKeys.id,
        tenantId: apiKeys.tenantId,
        hash: apiKeys.hash,
        scopes: apiKeys.scopes,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, apiKeyPrefix(presented)));
    let match: (typeof rows)[number] | undefined;
    // Compare against every candidate so the time taken does not depend on which one matched.
    for (const row of rows) if (constantTimeEqual(row.hash, hash)) match = row;
    if (!match || match.revokedAt || (match.expiresAt && match.expiresAt.getTime() <= now.getTime()))
      return undefined;
    return { keyId: match.id, tenantId: match.tenantId, scopes: parseScopes(match.scopes) };
  }

  /** Marks a tenant's key revoked; false when the tenant has no such key. */
  async revoke(tenantId: string, keyId: string, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }
}

function parseScopes(text: string): Scope[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value)
    ? value.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s))
    : [];
}

/**
 * API keys: generation, the stored form (lookup prefix + SHA-256) and verification with a
 * constant-time hash comparison. The key itself is never stored and is returned once, on creation.
 */
import { and, desc, eq, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import { SCOPES, type Scope } from "../auth/keys.ts";
import type { AuditInput, AuditService } from "./audit.ts";
import { constantTimeEqual, newId, randomBase62, sha256Hex } from "./crypto.ts";
import type { Database, Driver, Statement } from "./database.ts";
import { apiKeys, tenants } from "./schema.ts";

/** `kg_` followed by at least 32 characters of [A-Za-z0-9]. */
export const API_KEY_PATTERN = /^kg_[A-Za-z0-9]{32,}$/;

/** Scopes a key can carry (src/auth/keys.ts): admin ⊇ scan ⊇ read; admission alone. */
export { SCOPES, type Scope };

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

/** Per-tenant rate limits; null means the deployment default. */
export interface TenantLimits {
  requestsPerMinute: number | null;
  scansPerDay: number | null;
}

/** A verified key with what the request pipeline needs of its tenant (one query for both). */
export interface VerifiedKey extends KeyIdentity {
  /** The tenant is suspended: its keys authenticate but every route answers 403 `tenant-suspended`. */
  suspended: boolean;
  limits: TenantLimits;
}

export interface CreatedKey extends KeyIdentity {
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** The key in clear: shown to the caller once and never again. */
  key: string;
}

/** A key as listed: never the key or its hash. */
export interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Position after which the next page of keys starts (newest first). */
export interface KeyCursor {
  createdAt: number;
  id: string;
}

/** `last_used_at` is written at most this often per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

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
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates a key for a tenant; a given `key` must match {@link API_KEY_PATTERN}. With `audit`, the
   * entry is written in the same batch as the key.
   */
  async create(
    tenantId: string,
    input: { name: string; scopes: Scope[]; key?: string; expiresAt?: Date },
    now: Date,
    audit?: Omit<AuditInput, "target" | "at">,
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
    const statements: Statement[] = [this.db.insert(apiKeys).values(row)];
    if (audit) statements.push(this.audit.statement(tenantId, { ...audit, target: row.id, at: now }));
    await this.driver.batch(statements);
    return {
      keyId: row.id,
      tenantId,
      scopes: input.scopes,
      name: input.name,
      prefix: row.prefix,
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      key,
    };
  }

  /**
   * The identity behind a presented key, or undefined when the key is malformed, unknown, revoked or
   * expired, or its tenant is gone. The lookup is by prefix; the decision is a constant-time compare of
   * SHA-256 digests. Records the use (`last_used_at`) at most once a minute per key.
   */
  async verify(presented: string, now: Date): Promise<VerifiedKey | undefined> {
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
        lastUsedAt: apiKeys.lastUsedAt,
        suspended: tenants.suspended,
        requestsPerMinute: tenants.requestsPerMinute,
        scansPerDay: tenants.scansPerDay,
      })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .where(eq(apiKeys.prefix, apiKeyPrefix(presented)));
    let match: (typeof rows)[number] | undefined;
    // Compare against every candidate so the time taken does not depend on which one matched.
    for (const row of rows) if (constantTimeEqual(row.hash, hash)) match = row;
    if (!match || match.revokedAt || (match.expiresAt && match.expiresAt.getTime() <= now.getTime()))
      return undefined;
    if (!match.lastUsedAt || now.getTime() - match.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      // Conditional, so instances racing on one key write once per minute between them.
      const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      await this.db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, match.id), or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, stale))));
    }
    return {
      keyId: match.id,
      tenantId: match.tenantId,
      scopes: parseScopes(match.scopes),
      suspended: match.suspended,
      limits: { requestsPerMinute: match.requestsPerMinute, scansPerDay: match.scansPerDay },
    };
  }

  /** One key of a tenant (never the key or its hash). */
  async get(tenantId: string, keyId: string): Promise<KeyInfo | undefined> {
    const [row] = await this.db
      .select(INFO_COLUMNS)
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
      .limit(1);
    return row ? toKeyInfo(row) : undefined;
  }

  /** A tenant's keys, revoked ones included, newest first. */
  async list(
    tenantId: string,
    limit: number,
    after?: KeyCursor,
  ): Promise<{ items: KeyInfo[]; next?: KeyCursor }> {
    const conditions: (SQL | undefined)[] = [eq(apiKeys.tenantId, tenantId)];
    if (after) {
      const at = new Date(after.createdAt);
      conditions.push(
        or(lt(apiKeys.createdAt, at), and(eq(apiKeys.createdAt, at), lt(apiKeys.id, after.id))),
      );
    }
    const rows = await this.db
      .select(INFO_COLUMNS)
      .from(apiKeys)
      .where(and(...conditions))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toKeyInfo);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, next: { createdAt: last.createdAt.getTime(), id: last.id } }
      : { items };
  }

  /**
   * Marks a tenant's key revoked at once (the next request with it is a 401); false when the tenant has
   * no such key. Revoking a revoked key keeps its first revocation time and writes no second audit entry.
   */
  async revoke(
    tenantId: string,
    keyId: string,
    now: Date,
    audit?: Omit<AuditInput, "target" | "at">,
  ): Promise<boolean> {
    const key = await this.get(tenantId, keyId);
    if (!key) return false;
    if (key.revokedAt) return true;
    const statements: Statement[] = [
      this.db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
    ];
    if (audit)
      statements.push(
        this.audit.statement(tenantId, { ...audit, target: keyId, at: now, details: { name: key.name } }),
      );
    await this.driver.batch(statements);
    return true;
  }
}

const INFO_COLUMNS = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

function toKeyInfo(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): KeyInfo {
  return { ...row, scopes: parseScopes(row.scopes) };
}

function parseScopes(text: string): Scope[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value)
    ? value.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s))
    : [];
}

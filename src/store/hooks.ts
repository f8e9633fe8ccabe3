/**
 * Inbound hooks: a tenant's URLs (`POST /v1/hooks/{id}`) that other platforms post manifests to,
 * authenticated by an HMAC signature with the hook's secret. The secret is stored as the API layer
 * hands it over (sealed when `KUBEGUARD_SECRET_KEY` is configured) and only {@link InboundHookService.find}
 * returns it, for verification.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database, Driver, Statement } from "./database.ts";
import { inboundHooks } from "./schema.ts";

/** A hook as listed (never with its secret). */
export interface InboundHook {
  id: string;
  description?: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

/** A hook with what verification needs. */
export interface InboundHookSecret {
  id: string;
  tenantId: string;
  /** The stored form of the secret (sealed or clear); open it with `openSecret`. */
  storedSecret: string;
}

/** Hooks per tenant: listing is bounded, and so is what one tenant can create. */
export const MAX_HOOKS_PER_TENANT = 100;

type HookRow = typeof inboundHooks.$inferSelect;

function toHook(row: Omit<HookRow, "secret" | "tenantId">): InboundHook {
  return {
    id: row.id,
    ...(row.description !== null ? { description: row.description } : {}),
    createdAt: row.createdAt,
    ...(row.lastUsedAt !== null ? { lastUsedAt: row.lastUsedAt } : {}),
  };
}

const LIST_COLUMNS = {
  id: inboundHooks.id,
  description: inboundHooks.description,
  createdAt: inboundHooks.createdAt,
  lastUsedAt: inboundHooks.lastUsedAt,
};

export class InboundHookService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
  ) {}

  /**
   * Stores a hook; `storedSecret` is the secret as it should be kept. `also` (the audit entry) is
   * written in the same batch.
   */
  async create(
    tenantId: string,
    input: { id: string; description?: string; storedSecret: string },
    now: Date,
    also: Statement[] = [],
  ): Promise<InboundHook> {
    await this.driver.batch([
      this.db.insert(inboundHooks).values({
        id: input.id,
        tenantId,
        description: input.description ?? null,
        secret: input.storedSecret,
        createdAt: now,
        lastUsedAt: null,
      }),
      ...also,
    ]);
    return toHook({ id: input.id, description: input.description ?? null, createdAt: now, lastUsedAt: null });
  }

  /** How many hooks a tenant has. */
  async count(tenantId: string): Promise<number> {
    return this.db.$count(inboundHooks, eq(inboundHooks.tenantId, tenantId));
  }

  /** The tenant's hooks, newest first (at most {@link MAX_HOOKS_PER_TENANT}). */
  async list(tenantId: string): Promise<InboundHook[]> {
    const rows = await this.db
      .select(LIST_COLUMNS)
      .from(inboundHooks)
      .where(eq(inboundHooks.tenantId, tenantId))
      .orderBy(desc(inboundHooks.createdAt), desc(inboundHooks.id))
      .limit(MAX_HOOKS_PER_TENANT);
    return rows.map(toHook);
  }

  /** Deletes a tenant's hook (and writes `also` in the same batch); false when the tenant has no such hook. */
  async delete(tenantId: string, id: string, also: Statement[] = []): Promise<boolean> {
    const where = and(eq(inboundHooks.tenantId, tenantId), eq(inboundHooks.id, id));
    const [row] = await this.db.select({ id: inboundHooks.id }).from(inboundHooks).where(where).limit(1);
    if (!row) return false;
    await this.driver.batch([this.db.delete(inboundHooks).where(where), ...also]);
    return true;
  }

  /** The hook an inbound request names, whichever tenant it belongs to (the signature decides). */
  async find(id: string): Promise<InboundHookSecret | undefined> {
    const [row] = await this.db
      .select({ id: inboundHooks.id, tenantId: inboundHooks.tenantId, storedSecret: inboundHooks.secret })
      .from(inboundHooks)
      .where(eq(inboundHooks.id, id))
      .limit(1);
    return row;
  }

  /** Records that a signed request used the hook. */
  async touch(tenantId: string, id: string, now: Date): Promise<void> {
    await this.db
      .update(inboundHooks)
      .set({ lastUsedAt: now })
      .where(and(eq(inboundHooks.tenantId, tenantId), eq(inboundHooks.id, id)));
  }
}

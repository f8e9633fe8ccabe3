/**
 * Tenants: created, listed, suspended, re-limited and deleted by the platform operator
 * (`/v1/admin/tenants`), and the bootstrap that gives an empty database its first tenant and admin key.
 */
import { asc, eq, getTableColumns, getTableName, gt, is, type SQL, sql } from "drizzle-orm";
import { type SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { apiKeyRow, generateApiKey, isApiKey } from "./api-keys.ts";
import type { AuditInput, AuditService } from "./audit.ts";
import { newId } from "./crypto.ts";
import type { Database, Driver, Statement } from "./database.ts";
import * as schema from "./schema.ts";
import { apiKeys, tenants } from "./schema.ts";

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
  suspended: boolean;
  suspendedAt: Date | null;
  /** Per-tenant overrides; null means the deployment default. */
  requestsPerMinute: number | null;
  scansPerDay: number | null;
  /** null means the deployment default; 0 means no limit. */
  retentionDays: number | null;
  retentionMaxScans: number | null;
}

/** What the platform operator may change on a tenant; `null` resets a limit to the default. */
export interface TenantPatch {
  name?: string;
  suspended?: boolean;
  requestsPerMinute?: number | null;
  scansPerDay?: number | null;
  retentionDays?: number | null;
  retentionMaxScans?: number | null;
}

/** Position after which the next page of tenants starts (oldest first). */
export interface TenantCursor {
  createdAt: number;
  id: string;
}

/** The tenant the first start creates. */
export const DEFAULT_TENANT_ID = "default";

export interface BootstrapResult {
  tenant: Tenant;
  keyId: string;
  /** The admin key in clear: print it once. */
  key: string;
  /** Whether the key came from KUBEGUARD_BOOTSTRAP_KEY (then it is not printed). */
  provided: boolean;
}

/**
 * Every table of the schema with a `tenant_id` column, found from the drizzle schema itself (so the
 * integrations tables of schema-integrations.ts, re-exported by schema.ts, are included without being
 * listed): deleting a tenant deletes its rows from each of them.
 */
export const TENANT_SCOPED_TABLES: readonly { table: SQLiteTable; tenantId: SQLiteColumn }[] = Object.values(
  schema as Record<string, unknown>,
)
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .filter((table) => table !== tenants)
  .flatMap((table) => {
    const column = Object.values(getTableColumns(table)).find((c) => c.name === "tenant_id");
    return column ? [{ table, tenantId: column as SQLiteColumn }] : [];
  });

/** Names of the tenant-scoped tables (for tests and documentation). */
export function tenantScopedTableNames(): string[] {
  return TENANT_SCOPED_TABLES.map((t) => getTableName(t.table)).sort();
}

/**
 * The values of a row for `INSERT … SELECT`, one per column of the table in its order (given values,
 * else the column's default, else NULL), encoded as the column stores them.
 */
function rowValues(table: SQLiteTable, values: Record<string, unknown>): SQL {
  const parts = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const given = values[key];
    const value = given !== undefined ? given : column.hasDefault ? column.default : null;
    return value === null || value === undefined ? sql`NULL` : sql`${column.mapToDriverValue(value)}`;
  });
  return sql.join(parts, sql`, `);
}

function newTenant(id: string, name: string, now: Date): Tenant {
  return {
    id,
    name,
    createdAt: now,
    suspended: false,
    suspendedAt: null,
    requestsPerMinute: null,
    scansPerDay: null,
    retentionDays: null,
    retentionMaxScans: null,
  };
}

export class TenantService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
    private readonly audit?: AuditService,
  ) {}

  /** Creates a tenant with a new id (or the given one) and optional limits. */
  async create(
    input: { name: string; id?: string } & Omit<TenantPatch, "name" | "suspended">,
    now: Date,
    audit?: Omit<AuditInput, "target" | "at">,
  ): Promise<Tenant> {
    const tenant: Tenant = { ...newTenant(input.id ?? newId("tnt"), input.name, now) };
    for (const k of ["requestsPerMinute", "scansPerDay", "retentionDays", "retentionMaxScans"] as const)
      if (input[k] !== undefined) tenant[k] = input[k];
    const statements: Statement[] = [this.db.insert(tenants).values(tenant)];
    if (audit && this.audit)
      statements.push(
        this.audit.statement(tenant.id, {
          ...audit,
          target: tenant.id,
          at: now,
          details: { name: input.name },
        }),
      );
    await this.driver.batch(statements);
    return tenant;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
    return row;
  }

  /** Tenants oldest first; `after` is the last tenant of the previous page. */
  async list(limit: number, after?: TenantCursor): Promise<{ items: Tenant[]; next?: TenantCursor }> {
    const rows = await this.db
      .select()
      .from(tenants)
      .where(
        after
          ? sql`(${tenants.createdAt} > ${after.createdAt} OR (${tenants.createdAt} = ${after.createdAt} AND ${tenants.id} > ${after.id}))`
          : undefined,
      )
      .orderBy(asc(tenants.createdAt), asc(tenants.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, next: { createdAt: last.createdAt.getTime(), id: last.id } }
      : { items };
  }

  /** Every tenant, read in pages of `pageSize` (the scheduled clean-up walks them). */
  async *all(pageSize = 200): AsyncGenerator<Tenant> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.db
        .select()
        .from(tenants)
        .where(after === undefined ? undefined : gt(tenants.id, after))
        .orderBy(asc(tenants.id))
        .limit(pageSize);
      yield* rows;
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = last.id;
    }
  }

  /**
   * Applies a patch; undefined when there is no such tenant. Suspending records `suspendedAt`;
   * un-suspending clears it. The audit entries (in the tenant's own log) go in the same batch.
   */
  async update(
    id: string,
    patch: TenantPatch,
    now: Date,
    audit?: (before: Tenant, after: Tenant) => AuditInput[],
  ): Promise<Tenant | undefined> {
    const before = await this.get(id);
    if (!before) return undefined;
    const set: Partial<typeof tenants.$inferInsert> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.suspended !== undefined && patch.suspended !== before.suspended) {
      set.suspended = patch.suspended;
      set.suspendedAt = patch.suspended ? now : null;
    }
    for (const k of ["requestsPerMinute", "scansPerDay", "retentionDays", "retentionMaxScans"] as const)
      if (patch[k] !== undefined) set[k] = patch[k];
    const after: Tenant = { ...before, ...set } as Tenant;
    const statements: Statement[] = [];
    if (Object.keys(set).length > 0)
      statements.push(this.db.update(tenants).set(set).where(eq(tenants.id, id)));
    if (audit && this.audit)
      for (const entry of audit(before, after)) statements.push(this.audit.statement(id, entry));
    await this.driver.batch(statements);
    return after;
  }

  /**
   * Deletes a tenant and every row it owns, in one batch (one transaction): keys, scans, findings,
   * resources, idempotency keys, settings, audit log, and every other table with a `tenant_id` column
   * ({@link TENANT_SCOPED_TABLES}, found from the drizzle schema, so tables added later, such as the
   * integrations tables of schema-integrations.ts, are covered without being registered here).
   * False when there is no such tenant.
   */
  async delete(id: string): Promise<boolean> {
    if (!(await this.get(id))) return false;
    await this.driver.batch([
      ...TENANT_SCOPED_TABLES.map(({ table, tenantId }) => this.db.delete(table).where(eq(tenantId, id))),
      this.db.delete(tenants).where(eq(tenants.id, id)),
    ]);
    return true;
  }

  /**
   * On a database without tenants, creates the tenant `default` and an admin key (the given one, or a
   * new one) in one batch; otherwise does nothing and returns undefined. Both inserts are conditional
   * on the tenants table being empty and run in one transaction, so two instances starting together
   * on one empty database (Workers isolates on D1) create one tenant and one key, not two.
   */
  async bootstrap(now: Date, providedKey?: string): Promise<BootstrapResult | undefined> {
    const [existing] = await this.db.select({ id: tenants.id }).from(tenants).limit(1);
    if (existing) return undefined;
    if (providedKey !== undefined && !isApiKey(providedKey)) {
      throw new Error("the bootstrap key must be kg_ followed by at least 32 characters of [A-Za-z0-9]");
    }
    const key = providedKey ?? generateApiKey();
    const row = await apiKeyRow({
      tenantId: DEFAULT_TENANT_ID,
      name: "bootstrap admin",
      scopes: ["admin"],
      key,
      now,
    });
    // The key row first: its condition must see the tenants table as it was before this batch.
    // INSERT … SELECT names every column in table order (drizzle's insert), so the values are listed
    // the same way, with the columns' defaults for those not given.
    await this.driver.batch([
      this.db
        .insert(apiKeys)
        .select(sql`SELECT ${rowValues(apiKeys, row)} WHERE NOT EXISTS (SELECT 1 FROM ${tenants})`),
      this.db
        .insert(tenants)
        .select(
          sql`SELECT ${rowValues(tenants, { id: DEFAULT_TENANT_ID, name: "default", createdAt: now })} WHERE NOT EXISTS (SELECT 1 FROM ${tenants})`,
        ),
    ]);
    const [mine] = await this.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.id, row.id))
      .limit(1);
    if (!mine) return undefined;
    return {
      tenant: newTenant(DEFAULT_TENANT_ID, "default", now),
      keyId: row.id,
      key,
      provided: providedKey !== undefined,
    };
  }
}

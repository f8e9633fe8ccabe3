/**
 * Tenants, and the bootstrap that gives an empty database its first tenant and admin key.
 */
import { eq, sql } from "drizzle-orm";
import { apiKeyRow, generateApiKey, isApiKey } from "./api-keys.ts";
import { newId } from "./crypto.ts";
import type { Database, Driver } from "./database.ts";
import { apiKeys, tenants } from "./schema.ts";

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
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

export class TenantService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
  ) {}

  /** Creates a tenant with a new id (or the given one). */
  async create(input: { name: string; id?: string }, now: Date): Promise<Tenant> {
    const tenant: Tenant = { id: input.id ?? newId("tnt"), name: input.name, createdAt: now };
    await this.db.insert(tenants).values(tenant);
    return tenant;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
    return row;
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
    const at = now.getTime();
    // The key row first: its condition must see the tenants table as it was before this batch.
    // INSERT … SELECT lists every column in table order (drizzle names them all).
    await this.driver.batch([
      this.db.insert(apiKeys).select(
        sql`SELECT ${row.id}, ${row.tenantId}, ${row.name}, ${row.prefix}, ${row.hash}, ${row.scopes}, ${at}, NULL, NULL
            WHERE NOT EXISTS (SELECT 1 FROM ${tenants})`,
      ),
      this.db
        .insert(tenants)
        .select(
          sql`SELECT ${DEFAULT_TENANT_ID}, 'default', ${at} WHERE NOT EXISTS (SELECT 1 FROM ${tenants})`,
        ),
    ]);
    const [mine] = await this.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.id, row.id))
      .limit(1);
    if (!mine) return undefined;
    return {
      tenant: { id: DEFAULT_TENANT_ID, name: "default", createdAt: now },
      keyId: row.id,
      key,
      provided: providedKey !== undefined,
    };
  }
}

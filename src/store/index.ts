/**
 * The store: one service per aggregate over one driver (libSQL on Node, D1 on Workers).
 * Handlers call these services, never drizzle.
 */
import { sql } from "drizzle-orm";
import { ApiKeyService } from "./api-keys.ts";
import type { Driver } from "./database.ts";
import { ScanService } from "./scans.ts";
import { TenantService } from "./tenants.ts";

export interface Store {
  readonly tenants: TenantService;
  readonly apiKeys: ApiKeyService;
  readonly scans: ScanService;
  /** Throws when the database does not answer (health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the services over a driver.
 * @example const store = createStore(await openLibsql({ url: ":memory:" }));
 */
export function createStore(driver: Driver): Store {
  const { db } = driver;
  return {
    tenants: new TenantService(db, driver),
    apiKeys: new ApiKeyService(db),
    scans: new ScanService(db, driver),
    async ping() {
      await db.get(sql`SELECT 1`);
    },
    close: () => driver.close(),
  };
}

export type { KeyIdentity, Scope } from "./api-keys.ts";
export { API_KEY_PATTERN, isApiKey } from "./api-keys.ts";
export type { Driver } from "./database.ts";
export type {
  FindingFilter,
  FrameworkScore,
  ScanCursor,
  ScanFilter,
  ScanSource,
  StoredScan,
} from "./scans.ts";
export type { BootstrapResult, Tenant } from "./tenants.ts";

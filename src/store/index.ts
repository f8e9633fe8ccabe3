/**
 * The store: one service per aggregate over one driver (libSQL on Node, D1 on Workers).
 * Handlers call these services, never drizzle.
 */
import { sql } from "drizzle-orm";
import { AdmissionDecisionService } from "./admission.ts";
import { ApiKeyService } from "./api-keys.ts";
import { AuditService } from "./audit.ts";
import type { Driver } from "./database.ts";
import { InboundHookService } from "./hooks.ts";
import { DbCounterStore } from "./rate-limits.ts";
import { ScanService } from "./scans.ts";
import { SettingsService } from "./settings.ts";
import { TenantService } from "./tenants.ts";
import { WebhookService } from "./webhooks.ts";

export interface Store {
  readonly tenants: TenantService;
  readonly apiKeys: ApiKeyService;
  readonly scans: ScanService;
  /** Tenant policy settings (issue 5). */
  readonly settings: SettingsService;
  /** The append-only audit log of administrative actions (issue 5). */
  readonly audit: AuditService;
  /** Rate-limit counters shared by every instance on this database (issue 5). */
  readonly counters: DbCounterStore;
  /** Inbound hooks (issue 5). */
  readonly hooks: InboundHookService;
  /** Outbound webhook endpoints and deliveries (issue 5). */
  readonly webhooks: WebhookService;
  /** Admission decisions (issue 5). */
  readonly admission: AdmissionDecisionService;
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
  const audit = new AuditService(db);
  return {
    tenants: new TenantService(db, driver, audit),
    apiKeys: new ApiKeyService(db, driver, audit),
    scans: new ScanService(db, driver),
    settings: new SettingsService(db, driver, audit),
    audit,
    counters: new DbCounterStore(driver),
    hooks: new InboundHookService(db, driver),
    webhooks: new WebhookService(db, driver),
    admission: new AdmissionDecisionService(db, driver),
    async ping() {
      await db.get(sql`SELECT 1`);
    },
    close: () => driver.close(),
  };
}

export type { AdmissionDecisionRecord, DecisionCursor, DecisionFilter } from "./admission.ts";
export type {
  CreatedKey,
  KeyCursor,
  KeyIdentity,
  KeyInfo,
  Scope,
  TenantLimits,
  VerifiedKey,
} from "./api-keys.ts";
export { API_KEY_PATTERN, isApiKey } from "./api-keys.ts";
export type { AuditCursor, AuditEntry, AuditFilter, AuditInput } from "./audit.ts";
export { PLATFORM_ACTOR } from "./audit.ts";
export type { Driver } from "./database.ts";
export type { InboundHook } from "./hooks.ts";
export type {
  FindingFilter,
  FrameworkScore,
  ScanCursor,
  ScanFilter,
  ScanSource,
  StoredScan,
} from "./scans.ts";
export type { StoredSettings } from "./settings.ts";
export type { BootstrapResult, Tenant, TenantCursor, TenantPatch } from "./tenants.ts";
export type {
  DeliveryCursor,
  DeliveryStatus,
  WebhookDeliveryRecord,
  WebhookEndpoint,
  WebhookEventType,
  WebhookFormat,
} from "./webhooks.ts";

/**
 * Tenant policy settings: one document per tenant in the `.kubeguard.yaml` schema (src/scan/config.ts),
 * validated by the route before it gets here. Scans and evaluations without explicit options run with
 * them; each stored scan keeps a copy of the settings it ran with.
 */
import { eq } from "drizzle-orm";
import type { KubeguardConfig } from "../scan/config.ts";
import type { AuditInput, AuditService } from "./audit.ts";
import type { Database, Driver } from "./database.ts";
import { tenantSettings } from "./schema.ts";

export interface StoredSettings {
  settings: KubeguardConfig;
  updatedAt: Date;
  /** Key id of the admin who wrote them, or `platform`. */
  updatedBy: string;
}

export class SettingsService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
    private readonly audit: AuditService,
  ) {}

  /** The tenant's settings, or undefined when none were ever written. */
  async get(tenantId: string): Promise<StoredSettings | undefined> {
    const [row] = await this.db
      .select()
      .from(tenantSettings)
      .where(eq(tenantSettings.tenantId, tenantId))
      .limit(1);
    return row
      ? {
          settings: JSON.parse(row.settings) as KubeguardConfig,
          updatedAt: row.updatedAt,
          updatedBy: row.updatedBy,
        }
      : undefined;
  }

  /**
   * Replaces the tenant's settings; the audit entry `settings.updated` (with the top-level keys that
   * changed) is written in the same batch.
   */
  async put(
    tenantId: string,
    settings: KubeguardConfig,
    actor: string,
    now: Date,
    audit?: Omit<AuditInput, "at" | "actor" | "target">,
  ): Promise<StoredSettings> {
    const text = JSON.stringify(settings);
    await this.driver.batch([
      this.db
        .insert(tenantSettings)
        .values({ tenantId, settings: text, updatedAt: now, updatedBy: actor })
        .onConflictDoUpdate({
          target: tenantSettings.tenantId,
          set: { settings: text, updatedAt: now, updatedBy: actor },
        }),
      ...(audit ? [this.audit.statement(tenantId, { ...audit, actor, target: "settings", at: now })] : []),
    ]);
    return { settings, updatedAt: now, updatedBy: actor };
  }
}

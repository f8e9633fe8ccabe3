/**
 * Retention per tenant: the scheduled clean-up deletes scans older than the tenant's `days` and scans
 * beyond its newest `maxScans`, each batch of scans with its findings, resources and idempotency keys
 * in one transaction (`ScanService.deleteMany`), so a scan is either whole or gone. Pure store work with
 * the clock passed in, so it runs the same from the Worker's cron, the Node timer and the tests.
 */

import type { Store } from "./index.ts";
import { MAX_DELETE_BATCH } from "./scans.ts";

/** The deployment defaults for tenants without their own retention (0: keep). */
export interface RetentionDefaults {
  retentionDays: number;
  retentionMaxScans: number;
}

export interface RetentionResult {
  /** Tenants with a retention in force. */
  tenants: number;
  /** Scans deleted for their age. */
  expired: number;
  /** Scans deleted beyond a tenant's maximum. */
  overflow: number;
  /** Whether everything due was deleted (false when the run stopped at its budget; the next run goes on). */
  complete: boolean;
}

const DAY_MS = 86_400_000;

/** Scans one run deletes at most, so one cron invocation stays well inside the Workers limits. */
export const RETENTION_BUDGET = 5_000;

/**
 * Deletes what the tenants' retention no longer keeps, as of `now`.
 * @example const { expired, overflow } = await runRetention(store, new Date(), config.tenancy);
 */
export async function runRetention(
  store: Store,
  now: Date,
  defaults: RetentionDefaults = { retentionDays: 0, retentionMaxScans: 0 },
  budget: number = RETENTION_BUDGET,
): Promise<RetentionResult> {
  const result: RetentionResult = { tenants: 0, expired: 0, overflow: 0, complete: true };
  let left = budget;
  for await (const tenant of store.tenants.all()) {
    const days = tenant.retentionDays ?? defaults.retentionDays;
    const maxScans = tenant.retentionMaxScans ?? defaults.retentionMaxScans;
    if (days <= 0 && maxScans <= 0) continue;
    result.tenants++;
    if (days > 0) {
      const before = new Date(now.getTime() - days * DAY_MS);
      for (;;) {
        if (left <= 0) return { ...result, complete: false };
        const ids = await store.scans.idsCreatedBefore(tenant.id, before, Math.min(MAX_DELETE_BATCH, left));
        if (ids.length === 0) break;
        await store.scans.deleteMany(tenant.id, ids);
        result.expired += ids.length;
        left -= ids.length;
      }
    }
    if (maxScans > 0) {
      for (;;) {
        if (left <= 0) return { ...result, complete: false };
        const ids = await store.scans.idsBeyondNewest(tenant.id, maxScans, Math.min(MAX_DELETE_BATCH, left));
        if (ids.length === 0) break;
        await store.scans.deleteMany(tenant.id, ids);
        result.overflow += ids.length;
        left -= ids.length;
      }
    }
  }
  return result;
}

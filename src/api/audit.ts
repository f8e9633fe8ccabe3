/**
 * Recording administrative actions in the tenant's append-only audit log (`GET /v1/audit`), for
 * routes whose write is not already batched with its entry by a store service (hooks, webhooks…).
 */
import type { Store } from "../store/index.ts";

/**
 * Appends one entry to the tenant's audit log. `actor` is the acting API key's id (`c.var.auth.keyId`)
 * or `platform`; `action` is dotted and past tense (`hook.created`, `webhook.deleted`); `target` is
 * the id acted on. `details` must never contain a secret (no keys, webhook secrets or tokens).
 * @example await recordAudit(store, tenantId, c.var.auth.keyId, "hook.created", hook.id, { description }, clock.now());
 */
export function recordAudit(
  store: Store,
  tenantId: string,
  actor: string,
  action: string,
  target: string,
  details?: Record<string, unknown>,
  at: Date = new Date(),
): Promise<void> {
  return store.audit.record(tenantId, { actor, action, target, at, ...(details ? { details } : {}) });
}

/**
 * The audit log: an append-only record of administrative actions per tenant (who, what, on what, when).
 * Entries are only ever inserted; nothing updates or deletes one except deleting the whole tenant. A
 * service that performs an administrative write puts its entry in the same batch as the write
 * ({@link AuditService.statement}), so an action is never done without being recorded.
 */
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { randomBase62 } from "./crypto.ts";
import type { Database, Statement } from "./database.ts";
import { auditLog } from "./schema.ts";

/** The actor of platform-operator actions (`/v1/admin/*`). */
export const PLATFORM_ACTOR = "platform";

/** What an audit entry says; `at` is when it happened. */
export interface AuditInput {
  /** An API key id, or {@link PLATFORM_ACTOR}. */
  actor: string;
  /** Dotted, past tense: `key.created`, `key.revoked`, `settings.updated`, `tenant.suspended`, `hook.created`. */
  action: string;
  /** What was acted on: a key id, `settings`, a tenant id, a hook id. */
  target: string;
  /** Non-secret particulars (names, scopes, changed keys). Never a key, secret or token. */
  details?: Record<string, unknown>;
  at: Date;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown> | null;
}

/** Position after which the next page starts (newest first). */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
}

let lastMs = -1;
let sequence = 0;

/**
 * An entry id that sorts in time order: the time in base36, a per-process sequence within one
 * millisecond, then randomness (`aud_` + 9 + 3 + 10 characters). Entries written in one millisecond by
 * one instance keep their order; across instances they are ordered by time only.
 */
function auditId(at: Date): string {
  const ms = at.getTime();
  sequence = ms === lastMs ? sequence + 1 : 0;
  lastMs = ms;
  return `aud_${ms.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(3, "0")}${randomBase62(10)}`;
}

function auditRow(tenantId: string, entry: AuditInput): typeof auditLog.$inferInsert {
  return {
    tenantId,
    id: auditId(entry.at),
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: entry.details && Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : null,
  };
}

export class AuditService {
  constructor(private readonly db: Database) {}

  /** The insert of one entry, to put in the same batch as the action it records. */
  statement(tenantId: string, entry: AuditInput): Statement {
    return this.db.insert(auditLog).values(auditRow(tenantId, entry));
  }

  /** Appends one entry on its own. */
  async record(tenantId: string, entry: AuditInput): Promise<void> {
    await this.db.insert(auditLog).values(auditRow(tenantId, entry));
  }

  /** Entries newest first; `after` is the last entry of the previous page. */
  async list(
    tenantId: string,
    filter: AuditFilter,
    limit: number,
    after?: AuditCursor,
  ): Promise<{ items: AuditEntry[]; next?: AuditCursor }> {
    const conditions: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
    if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action));
    if (filter.actor !== undefined) conditions.push(eq(auditLog.actor, filter.actor));
    if (after) {
      const at = new Date(after.at);
      conditions.push(or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, after.id))));
    }
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
    }));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: { at: last.at.getTime(), id: last.id } } : { items };
  }
}

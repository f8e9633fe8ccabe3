/**
 * The tenant's admission decision log: one row per AdmissionReview answered (dry runs excepted), read
 * newest first with filters. Rows are written in batches by the API's recorder (many decisions per
 * statement, chunked for D1's parameter limit) so the admission hot path does not wait for them.
 */
import { and, desc, eq, getTableColumns, lt, or, type SQL } from "drizzle-orm";
import { chunkRows, type Database, type Driver } from "./database.ts";
import { admissionDecisions } from "./schema.ts";

/** A recorded decision. */
export interface AdmissionDecisionRecord {
  id: string;
  uid: string;
  keyId: string;
  operation: string;
  kind: string;
  namespace: string;
  name: string;
  username: string;
  allowed: boolean;
  enforce?: string;
  message?: string;
  warnings: string[];
  exempt?: string;
  at: Date;
}

export type NewAdmissionDecision = AdmissionDecisionRecord & { tenantId: string };

export interface DecisionFilter {
  allowed?: boolean;
  namespace?: string;
}

/** Position after which the next page starts (newest first). */
export interface DecisionCursor {
  at: number;
  id: string;
}

type DecisionRow = typeof admissionDecisions.$inferSelect;

/** The table's columns in schema order: `record` names them and orders its arguments by the same list. */
const TABLE_COLUMNS = getTableColumns(admissionDecisions);
const KEYS = Object.keys(TABLE_COLUMNS) as (keyof DecisionRow)[];
const COLUMN_NAMES = KEYS.map((k) => `"${TABLE_COLUMNS[k].name}"`);
const ROW_PLACEHOLDERS = `(${COLUMN_NAMES.map(() => "?").join(", ")})`;
const insertSqlCache = new Map<number, string>();

/** `INSERT INTO admission_decisions (…) VALUES (?, …), …` for `rows` rows. */
function insertSql(rows: number): string {
  let sql = insertSqlCache.get(rows);
  if (!sql) {
    sql = `INSERT INTO "admission_decisions" (${COLUMN_NAMES.join(", ")}) VALUES ${Array(rows).fill(ROW_PLACEHOLDERS).join(", ")}`;
    insertSqlCache.set(rows, sql);
  }
  return sql;
}

function toRecord(row: DecisionRow): AdmissionDecisionRecord {
  return {
    id: row.id,
    uid: row.uid,
    keyId: row.keyId,
    operation: row.operation,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    username: row.username,
    allowed: row.allowed,
    ...(row.enforce !== null ? { enforce: row.enforce } : {}),
    ...(row.message !== null ? { message: row.message } : {}),
    warnings: JSON.parse(row.warnings) as string[],
    ...(row.exempt !== null ? { exempt: row.exempt } : {}),
    at: row.at,
  };
}

export class AdmissionDecisionService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
  ) {}

  /**
   * Inserts decisions, of any tenants, in one transaction. Plain SQL rather than drizzle's builder:
   * this runs for every admission review, and building the statement cost about as much as running it.
   */
  async record(decisions: readonly NewAdmissionDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    // As few statements as the driver allows: each is prepared anew.
    const statements = chunkRows(decisions, KEYS.length, this.driver.maxBoundParameters).map((chunk) => ({
      sql: insertSql(chunk.length),
      args: chunk.flatMap((d) => {
        // The values as SQLite stores them: booleans as 0/1, times in milliseconds, warnings as JSON.
        const row: Record<keyof DecisionRow, string | number | null> = {
          tenantId: d.tenantId,
          id: d.id,
          uid: d.uid,
          keyId: d.keyId,
          operation: d.operation,
          kind: d.kind,
          namespace: d.namespace,
          name: d.name,
          username: d.username,
          allowed: d.allowed ? 1 : 0,
          enforce: d.enforce ?? null,
          message: d.message ?? null,
          warnings: JSON.stringify(d.warnings),
          exempt: d.exempt ?? null,
          at: d.at.getTime(),
        };
        return KEYS.map((k) => row[k]);
      }),
    }));
    await this.driver.executeBatch(statements);
  }

  /** A page of the tenant's decisions, newest first. */
  async list(
    tenantId: string,
    filter: DecisionFilter,
    limit: number,
    after?: DecisionCursor,
  ): Promise<{ items: AdmissionDecisionRecord[]; next?: DecisionCursor }> {
    const conditions: (SQL | undefined)[] = [eq(admissionDecisions.tenantId, tenantId)];
    if (filter.allowed !== undefined) conditions.push(eq(admissionDecisions.allowed, filter.allowed));
    if (filter.namespace !== undefined) conditions.push(eq(admissionDecisions.namespace, filter.namespace));
    if (after) {
      const at = new Date(after.at);
      conditions.push(
        or(
          lt(admissionDecisions.at, at),
          and(eq(admissionDecisions.at, at), lt(admissionDecisions.id, after.id)),
        ),
      );
    }
    const rows = await this.db
      .select()
      .from(admissionDecisions)
      .where(and(...conditions))
      .orderBy(desc(admissionDecisions.at), desc(admissionDecisions.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: { at: last.at.getTime(), id: last.id } } : { items };
  }

  /** Deletes decisions older than `before`, of every tenant; returns how many. */
  async purge(before: Date): Promise<number> {
    const rows = await this.db
      .delete(admissionDecisions)
      .where(lt(admissionDecisions.at, before))
      .returning({ id: admissionDecisions.id });
    return rows.length;
  }
}

/**
 * The one database interface the services use, whichever driver is behind it: drizzle's async SQLite
 * database plus an atomic batch (libSQL `batch`, D1 `batch`) and a way to close it.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema.ts";

/** drizzle over libSQL or D1; the run-result type differs between them, so nothing reads it. */
export type Database = BaseSQLiteDatabase<"async", unknown, typeof schema>;

/** A statement that can go into a batch (an insert, delete, update or raw `sql`). */
export type Statement = BatchItem<"sqlite">;

/** One SQL statement as text with its positional arguments. */
export interface RawStatement {
  sql: string;
  args: readonly (string | number | null)[];
}

export interface Driver {
  readonly db: Database;
  /** Runs the statements in order in one transaction: all of them apply or none does. */
  batch(statements: readonly Statement[]): Promise<void>;
  /**
   * Runs one SQL statement as written, with positional (`?1`, `?2`…) arguments, and returns its rows:
   * for the few statements that are shared as SQL text, such as `RATE_LIMIT_UPSERT_SQL`.
   */
  execute(sql: string, args: readonly (string | number | null)[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs SQL statements as written (positional arguments) in order in one transaction, returning
   * nothing: for hot-path inserts where building the statement through drizzle cost more than running it.
   */
  executeBatch(statements: readonly RawStatement[]): Promise<void>;
  /** Most bound parameters one statement may take: 100 on D1, SQLite's 32,766 on libSQL. */
  readonly maxBoundParameters: number;
  /** Releases the connection; the driver is unusable afterwards. */
  close(): Promise<void>;
}

/** D1 takes at most 100 bound parameters per statement; libSQL has no such limit, but one rule serves both. */
export const MAX_BOUND_PARAMETERS = 100;

/**
 * Splits rows for multi-row inserts so that no statement binds more than {@link MAX_BOUND_PARAMETERS}.
 * @example chunkRows(rows, 21) // groups of 4 rows of 21 columns
 */
export function chunkRows<T>(
  rows: readonly T[],
  columnsPerRow: number,
  maxParameters = MAX_BOUND_PARAMETERS,
): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / columnsPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

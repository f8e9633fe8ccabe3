/**
 * The Workers driver: drizzle over a D1 binding. Migrations are applied outside the Worker
 * (`wrangler d1 migrations apply`, or `applyD1Migrations` in the workerd tests).
 */
import type { D1Database } from "@cloudflare/workers-types/index.ts";
import { drizzle } from "drizzle-orm/d1";
import { type Database, type Driver, MAX_BOUND_PARAMETERS, type Statement } from "./database.ts";
import * as schema from "./schema.ts";

/** Wraps a D1 binding; D1's `batch` runs its statements as one transaction. */
export function openD1(binding: D1Database): Driver {
  const db = drizzle(binding, { schema });
  return {
    db: db as unknown as Database,
    maxBoundParameters: MAX_BOUND_PARAMETERS,
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return;
      await db.batch(statements as unknown as [Statement, ...Statement[]]);
    },
    async execute(sql, args) {
      const { results } = await binding
        .prepare(sql)
        .bind(...args)
        .all<Record<string, unknown>>();
      return results;
    },
    async executeBatch(statements) {
      if (statements.length === 0) return;
      await binding.batch(statements.map((s) => binding.prepare(s.sql).bind(...s.args)));
    },
    async close() {
      // A binding has no connection to release.
    },
  };
}

/**
 * The Node driver: @libsql/client on an embedded file (`file:` path, its folder created if missing),
 * `:memory:` for tests, or a libSQL/Turso server (`libsql://`, `http(s)://`) with an auth token.
 * Migrations from migrations/ are applied with drizzle's libSQL migrator when the driver opens.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Database, Driver, Statement } from "./database.ts";
import * as schema from "./schema.ts";

/** The repository's migrations folder (drizzle-kit output, with meta/_journal.json). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface LibsqlOptions {
  /** `file:./data/kubeguard.db`, `:memory:`, `libsql://…`, `http(s)://…`. */
  url: string;
  authToken?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** The local file a `file:` URL points at, or undefined for memory and remote databases. */
export function localDatabasePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  let path = url.slice("file:".length).split("?")[0] ?? "";
  // file:///abs/path and file:/abs/path are absolute; file:./x and file:x are relative to the cwd.
  if (path.startsWith("//")) path = path.slice(2);
  if (path === "" || path === ":memory:") return undefined;
  return resolve(decodeURIComponent(path));
}

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32, which libSQL keeps. */
const SQLITE_MAX_VARIABLES = 32_766;

/**
 * Opens a libSQL database, creating the folder of a local file if needed, and applies migrations.
 * One client is used for everything: each `:memory:` connection is a database of its own.
 */
export async function openLibsql(options: LibsqlOptions): Promise<Driver> {
  const local = localDatabasePath(options.url);
  if (local) mkdirSync(dirname(local), { recursive: true });
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    // A local file gets one connection: the client otherwise opens up to 20 under concurrent calls,
    // and the PRAGMAs below (busy timeout, synchronous) are per connection, so the extra ones fsynced
    // every commit. The native driver runs every statement on this thread anyway.
    ...(local ? { concurrency: 1 } : {}),
  });
  const db = drizzle(client, { schema });
  try {
    if (options.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    if (local) {
      // WAL lets readers proceed while a scan is written; a busy timeout rides out short write locks.
      await client.execute("PRAGMA journal_mode = WAL");
      await client.execute("PRAGMA busy_timeout = 5000");
      // In WAL mode NORMAL never corrupts the database and skips the fsync of every commit (a commit may
      // be lost on power failure, not on a crash of the process): the native driver runs on the event
      // loop, so an fsync per write stalled every request, the admission webhook's most of all.
      await client.execute("PRAGMA synchronous = NORMAL");
    }
  } catch (err) {
    client.close();
    throw err;
  }
  return {
    db: db as unknown as Database,
    maxBoundParameters: SQLITE_MAX_VARIABLES,
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return;
      await db.batch(statements as unknown as [Statement, ...Statement[]]);
    },
    async execute(sql, args) {
      const rs = await client.execute({ sql, args: [...args] });
      return rs.rows.map((row) => ({ ...row }));
    },
    async executeBatch(statements) {
      if (statements.length === 0) return;
      await client.batch(
        statements.map((s) => ({ sql: s.sql, args: [...s.args] })),
        "write",
      );
    },
    async close() {
      client.close();
    },
  };
}

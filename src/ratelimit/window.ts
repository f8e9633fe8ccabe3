/**
 * Per-key rate limits as fixed windows over an atomic counter in the database, so a limit holds
 * across every instance that shares the database (several Node processes on one libSQL, all Worker
 * isolates on one D1).
 *
 * A request increments the counter of `(key, window start)` and is allowed while the count is at most
 * the limit. Windows are aligned to the epoch (UTC): a per-minute window starts on the minute, a
 * per-day window at 00:00 UTC, so "scans per day" resets at midnight UTC for every tenant. The known
 * fixed-window trade-off: a client can spend a whole window's allowance at the end of one window and
 * again at the start of the next (up to 2× the limit over a short stretch); for requests per minute and
 * scans per day that is acceptable and costs one indexed upsert per check (or one per window every
 * `flushMs` through `BatchedCounterStore`, batched.ts). Refused requests count too, which does not
 * matter because the counter resets with the window.
 *
 * Two limits per API key (issue 5), both configurable per tenant: requests per minute on every request
 * (`requestsPerMinuteRule`), scans per day on scan creation (`scansPerDayRule`).
 *
 * Workers: use this D1-backed limiter, not a Cloudflare rate-limiting binding. The binding's limit and
 * period are fixed in wrangler.toml (so they cannot be configured per tenant), the period can only be
 * 10 or 60 seconds (so no scans per day), and its counts are per location and eventually consistent,
 * so it would not give the same answers as the Node deployment.
 */

/**
 * An atomic counter: add 1 to the counter of `(key, windowStart)` (created at 0) and return the new
 * count. `windowStart` is in milliseconds since the epoch, like every time in the store; the row may
 * be deleted from `windowStart + ttlSeconds * 1000` on. The SQLite/D1 implementation is
 * `RATE_LIMIT_UPSERT_SQL`.
 */
export interface CounterStore {
  increment(key: string, windowStart: number, ttlSeconds: number): Promise<number>;
}

/** A `CounterStore` that can also add several at once (`RATE_LIMIT_UPSERT_SQL` with an amount) and return the new count. */
export interface AddingCounterStore extends CounterStore {
  add(key: string, windowStart: number, ttlSeconds: number, amount: number): Promise<number>;
}

/**
 * The table behind `CounterStore` (SQLite, libSQL, D1). Times in milliseconds since the epoch. Not
 * tenant-scoped on purpose: the key already names the API key it limits.
 */
export const RATE_LIMIT_TABLE_SQL = `CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
)`;

/**
 * `AddingCounterStore.add` in one atomic statement: insert the window's row with the amount, or add the
 * amount to it, and return the count. Parameters: `?1` key, `?2` window start (ms), `?3` expires at
 * (ms) = window start + ttlSeconds × 1000, `?4` how many to add (1 for `increment`; a batch of counts
 * from `BatchedCounterStore`). Atomic on SQLite, libSQL and D1 (one statement, one row); needs SQLite
 * 3.35+ for `RETURNING`.
 *
 * @example
 * // D1
 * const row = await db.prepare(RATE_LIMIT_UPSERT_SQL).bind(key, windowStart, windowStart + ttl * 1000, 1)
 *   .first<{ count: number }>();
 * // libSQL
 * const rs = await client.execute({ sql: RATE_LIMIT_UPSERT_SQL, args: [key, windowStart, windowStart + ttl * 1000, 1] });
 * Number(rs.rows[0]?.count);
 */
export const RATE_LIMIT_UPSERT_SQL =
  "INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES (?1, ?2, ?4, ?3) " +
  "ON CONFLICT (key, window_start) DO UPDATE SET count = count + ?4 RETURNING count";

/**
 * Deletes expired windows; `?1` is now in milliseconds. Run it from the scheduled clean-up (the
 * Worker's cron, the Node timer).
 */
export const RATE_LIMIT_PURGE_SQL = "DELETE FROM rate_limits WHERE expires_at <= ?1";

export interface RateLimitRule {
  /** What is limited, e.g. `req:<api key id>`. */
  key: string;
  /** Requests allowed per window (a non-negative integer; 0 refuses everything). */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one. */
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
  /** Set when refused: seconds to wait, the same as `resetSeconds`. */
  retryAfterSeconds?: number;
  windowSeconds: number;
}

/**
 * The requests-per-minute rule of an API key.
 *
 * @example
 * await checkRateLimit(store, { ...requestsPerMinuteRule(apiKey.id, tenant.requestsPerMinute), now: new Date() });
 */
export function requestsPerMinuteRule(apiKeyId: string, limit: number): RateLimitRule {
  return { key: `req:${apiKeyId}`, limit, windowSeconds: 60 };
}

/**
 * The scans-per-day rule of an API key (the day is UTC).
 *
 * @example
 * await checkRateLimit(store, { ...scansPerDayRule(apiKey.id, tenant.scansPerDay), now: new Date() });
 */
export function scansPerDayRule(apiKeyId: string, limit: number): RateLimitRule {
  return { key: `scan:${apiKeyId}`, limit, windowSeconds: 86_400 };
}

/**
 * Counts one request against a rule and says whether it is allowed. Throws a `RangeError` for a limit
 * that is not a non-negative integer or a window that is not a positive integer number of seconds;
 * errors of the store propagate (the caller decides whether to fail open or closed).
 *
 * @example
 * const r = await checkRateLimit(store, { key: "req:key_1", limit: 60, windowSeconds: 60, now: new Date() });
 * for (const [k, v] of Object.entries(rateLimitHeaders(r))) c.header(k, v);
 * if (!r.allowed) return problem(429, "Too many requests");
 */
export async function checkRateLimit(
  store: CounterStore,
  params: RateLimitRule & { now: Date },
): Promise<RateLimitResult> {
  const { key, limit, windowSeconds, now } = params;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError("limit must be a non-negative integer");
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError("windowSeconds must be a positive integer");
  }
  const windowMs = windowSeconds * 1000;
  const nowMs = now.getTime();
  const windowStart = Math.floor(nowMs / windowMs) * windowMs;
  const count = await store.increment(key, windowStart, windowSeconds);
  const resetSeconds = Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000));
  const allowed = count <= limit;
  const result: RateLimitResult = {
    allowed,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds,
    windowSeconds,
  };
  if (!allowed) result.retryAfterSeconds = resetSeconds;
  return result;
}

/**
 * Response headers for one or more checked limits, in the style of the IETF RateLimit header fields
 * draft (draft-ietf-httpapi-ratelimit-headers, the `RateLimit-Limit` / `-Remaining` / `-Reset` fields
 * with delta seconds, and `RateLimit-Policy: <limit>;w=<window seconds>` listing every policy), plus
 * `Retry-After` (seconds) when refused. With several results, the Limit/Remaining/Reset fields describe
 * the one closest to exhaustion (a refused one first) and `Retry-After` is the longest wait.
 *
 * @example
 * rateLimitHeaders({ allowed: false, limit: 60, remaining: 0, resetSeconds: 12, retryAfterSeconds: 12, windowSeconds: 60 });
 * // { "RateLimit-Limit": "60", "RateLimit-Remaining": "0", "RateLimit-Reset": "12",
 * //   "RateLimit-Policy": "60;w=60", "Retry-After": "12" }
 */
export function rateLimitHeaders(
  result: RateLimitResult | readonly RateLimitResult[],
): Record<string, string> {
  const results: readonly RateLimitResult[] = Array.isArray(result) ? result : [result as RateLimitResult];
  const first = results[0];
  if (!first) return {};
  const tightest = results.reduce((a, b) => {
    if (a.allowed !== b.allowed) return a.allowed ? b : a;
    if (!a.allowed) return (b.retryAfterSeconds ?? 0) > (a.retryAfterSeconds ?? 0) ? b : a;
    return b.remaining < a.remaining ? b : a;
  }, first);
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(tightest.limit),
    "RateLimit-Remaining": String(tightest.remaining),
    "RateLimit-Reset": String(tightest.resetSeconds),
    "RateLimit-Policy": results.map((r) => `${r.limit};w=${r.windowSeconds}`).join(", "),
  };
  const waits = results.filter((r) => !r.allowed).map((r) => r.retryAfterSeconds ?? r.resetSeconds);
  if (waits.length) headers["Retry-After"] = String(Math.max(...waits));
  return headers;
}

/**
 * Rate limits per API key, with limits set per tenant (defaults from the deployment): requests per
 * minute on every tenant route, scans per UTC day on the routes that run the scan engine
 * (`POST /v1/scans`, `POST /v1/evaluate`, signed inbound hooks). The counters are rows in the shared
 * database (`RATE_LIMIT_UPSERT_SQL`), so the limits hold across every instance on that database: Node
 * processes on one libSQL, every Worker isolate on D1. Above a limit: 429 `rate-limited` with
 * `Retry-After`; every limited response, successful or not, carries the `RateLimit-*` headers.
 *
 * Workers use this D1-backed limiter too, not the Cloudflare rate-limiting binding: the binding's limit
 * and period are fixed in wrangler.toml (no per-tenant limits), its period is 10 or 60 seconds (no
 * scans per day), and it counts per location, eventually consistently, so it would not give the same
 * answers as the Node deployment.
 *
 * The Node server counts through a `BatchedCounterStore` (`AppDeps.counters`, src/ratelimit/batched.ts):
 * exact on one instance, written to the database every `KUBEGUARD_RATE_LIMIT_FLUSH_MS`; the Worker
 * writes every request.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { TenancyConfig } from "../../config.ts";
import {
  checkRateLimit,
  type RateLimitResult,
  type RateLimitRule,
  rateLimitHeaders,
  requestsPerMinuteRule,
  scansPerDayRule,
} from "../../ratelimit/window.ts";
import type { TenantLimits } from "../../store/index.ts";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

/** The limits that apply to a tenant: its own, else the deployment's defaults. */
export interface EffectiveLimits {
  requestsPerMinute: number;
  scansPerDay: number;
}

/**
 * A tenant's limits with the deployment defaults filled in.
 * @example effectiveLimits({ requestsPerMinute: null, scansPerDay: 50 }, DEFAULT_TENANCY) // { 600, 50 }
 */
export function effectiveLimits(limits: TenantLimits, defaults: TenancyConfig): EffectiveLimits {
  return {
    requestsPerMinute: limits.requestsPerMinute ?? defaults.requestsPerMinute,
    scansPerDay: limits.scansPerDay ?? defaults.scansPerDay,
  };
}

async function count(c: Context<AppEnv>, rule: RateLimitRule, now: Date, what: string): Promise<void> {
  const { counters, store } = c.var.deps;
  const result = await checkRateLimit(counters ?? store.counters, { ...rule, now });
  const results: RateLimitResult[] = [...(c.get("rateLimits") ?? []), result];
  c.set("rateLimits", results);
  if (!result.allowed) {
    throw new ApiProblem(
      "rate-limited",
      `${what}: at most ${result.limit} per ${result.windowSeconds === 60 ? "minute" : "UTC day"}; retry in ${result.retryAfterSeconds} s.`,
      { headers: rateLimitHeaders(results) },
    );
  }
}

/**
 * Counts one request of `subject` (an API key id, or a hook id for signed hooks) against the
 * requests-per-minute limit.
 * @throws {ApiProblem} 429 `rate-limited` above the limit
 */
export function countRequest(c: Context<AppEnv>, subject: string, limits: EffectiveLimits, now: Date) {
  return count(
    c,
    requestsPerMinuteRule(subject, limits.requestsPerMinute),
    now,
    "Too many requests for this API key",
  );
}

/**
 * Counts one scan of `subject` against the scans-per-day limit (the day is UTC).
 * @throws {ApiProblem} 429 `rate-limited` above the limit
 */
export function countScan(c: Context<AppEnv>, subject: string, limits: EffectiveLimits, now: Date) {
  return count(c, scansPerDayRule(subject, limits.scansPerDay), now, "Too many scans for this API key today");
}

/**
 * Route middleware of the scan-engine routes: counts the request against the key's scans per day
 * before the body is read, so a refused request costs no parsing.
 */
export function scanQuota(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await countScan(c, c.var.auth.keyId, c.var.tenantLimits, c.var.deps.clock.now());
    await next();
  };
}

/**
 * App middleware on /v1: writes the `RateLimit-*` headers of whatever limits the request was counted
 * against onto the final response, success or problem.
 */
export function rateLimitResponseHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const results = c.get("rateLimits");
    if (!results || results.length === 0) return;
    for (const [name, value] of Object.entries(rateLimitHeaders(results))) c.res.headers.set(name, value);
  };
}

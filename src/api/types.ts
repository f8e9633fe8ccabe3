/**
 * What the app is built from and what handlers see on the context.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppConfig } from "../config.ts";
import type { CounterStore, RateLimitResult } from "../ratelimit/window.ts";
import type { KeyIdentity, Store } from "../store/index.ts";
import type { FetchLike } from "../webhooks/delivery.ts";
import type { EffectiveLimits } from "./middleware/rate-limit.ts";
import type { ScanGate } from "./scan-gate.ts";

/** The app's clock: injected so tests control time. */
export interface Clock {
  now(): Date;
}

/** Where the app writes operational messages (never secrets, bodies or keys). */
export type Logger = (message: string, fields?: Record<string, unknown>) => void;

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
  /** Unexpected errors go here; defaults to `console.error`. */
  log?: Logger;
  /**
   * Runs work after the response (outbound webhook deliveries, admission decision inserts): the Node
   * server passes a tracker it drains on shutdown. Without it, the Worker's `executionCtx.waitUntil`
   * is used, else the promise runs unawaited, its failure logged.
   */
  background?: (task: Promise<unknown>) => void;
  /**
   * The `fetch` outbound webhook deliveries use (default: the global `fetch`). The Node server passes
   * one that re-checks resolved addresses (DNS rebinding); see src/server-fetch.ts.
   */
  fetch?: FetchLike;
  /**
   * Where rate limits count (default `store.counters`, one database write per request). The Node
   * server passes a `BatchedCounterStore` over it (src/ratelimit/batched.ts).
   */
  counters?: CounterStore;
}

/** A request body already checked against the media types and the size limit. */
export interface RequestBody {
  /** The media type without parameters, lowercase (`application/yaml`). */
  mediaType: string;
  /** The full Content-Type header (multipart needs its boundary). */
  contentType: string;
  bytes: Uint8Array;
}

export interface AppVariables {
  requestId: string;
  deps: AppDeps;
  /** The app's one queue for scan-engine work (see scan-gate.ts). */
  scanGate: ScanGate;
  /** Set by the auth middleware on every /v1 route. */
  auth: KeyIdentity;
  /** Set by the body-limit middleware on routes that take manifests. */
  body: RequestBody;
  /** Runs a task after the response: `AppDeps.background`, else `executionCtx.waitUntil` on Workers. */
  background: (task: Promise<unknown>) => void;
  /** The caller's tenant's limits, set with `auth` (and by `admitTenant` for signed hooks). */
  tenantLimits: EffectiveLimits;
  /** The rate limits this request was counted against; their `RateLimit-*` headers go on the response. */
  rateLimits: RateLimitResult[];
}

export type AppEnv = { Variables: AppVariables };

export type App = OpenAPIHono<AppEnv>;

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Cloudflare Workers entry: the same app over the D1 binding `DB`. Configuration (vars and secrets) is
 * parsed once per isolate; the first request to an empty database creates the tenant `default` and
 * its admin key (KUBEGUARD_BOOTSTRAP_KEY when set). Migrations are applied by wrangler, not here.
 */
import type { D1Database, ExecutionContext } from "@cloudflare/workers-types/index.ts";
import { createApp } from "./api/app.ts";
import { ApiProblem, problemResponse } from "./api/problem.ts";
import { runScheduledTasks } from "./api/scheduled.ts";
import { type App, type AppDeps, systemClock } from "./api/types.ts";
import { ConfigError, loadWorkerConfig } from "./config.ts";
import { openD1 } from "./store/d1.ts";
import { createStore } from "./store/index.ts";

/** Bindings the Worker reads (wrangler.toml, `.dev.vars`, `wrangler secret put`). */
export interface Env {
  DB: D1Database;
  KUBEGUARD_BOOTSTRAP_KEY?: string;
  KUBEGUARD_MAX_BODY_BYTES?: string;
  KUBEGUARD_MAX_DOCUMENTS?: string;
  KUBEGUARD_MAX_ALIASES?: string;
  KUBEGUARD_MAX_DEPTH?: string;
  /** A secret (`wrangler secret put KUBEGUARD_PLATFORM_TOKEN`): enables `/v1/admin/*`. */
  KUBEGUARD_PLATFORM_TOKEN?: string;
  KUBEGUARD_DEFAULT_RPM?: string;
  KUBEGUARD_DEFAULT_SCANS_PER_DAY?: string;
  KUBEGUARD_DEFAULT_RETENTION_DAYS?: string;
  KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS?: string;
  /** A secret: webhook secrets are stored encrypted with a key derived from it. */
  KUBEGUARD_SECRET_KEY?: string;
  /** The Worker's external URL (admission configuration, links in webhook payloads). */
  KUBEGUARD_PUBLIC_URL?: string;
  /** Local development only: accept http:// and private webhook URLs. */
  KUBEGUARD_WEBHOOK_ALLOW_HTTP?: string;
  KUBEGUARD_WEBHOOK_ALLOW_PRIVATE?: string;
  KUBEGUARD_WEBHOOK_TIMEOUT_MS?: string;
}

interface Instance {
  app: App;
  deps: AppDeps;
  /** Resolves once the bootstrap check ran; reset on failure so the next request retries. */
  ready: Promise<void> | undefined;
  bootstrap: () => Promise<void>;
}

// One app per env object: an isolate normally sees one, tests may pass several.
const instances = new WeakMap<object, Instance>();

function instanceFor(env: Env): Instance {
  let instance = instances.get(env);
  if (instance) return instance;
  const config = loadWorkerConfig(env as unknown as Record<string, unknown>);
  const store = createStore(openD1(env.DB));
  const deps: AppDeps = { store, clock: systemClock, config: config.app };
  const app = createApp(deps);
  instance = {
    app,
    deps,
    ready: undefined,
    bootstrap: async () => {
      const boot = await store.tenants.bootstrap(systemClock.now(), config.bootstrapKey);
      if (boot?.provided)
        console.log(
          'kubeguard: created tenant "default" with the admin API key from KUBEGUARD_BOOTSTRAP_KEY',
        );
      // Without a secret the generated key goes to the Worker's log once; set the secret to avoid that.
      else if (boot)
        console.log(`kubeguard: created tenant "default" and its admin API key (shown once): ${boot.key}`);
    },
  };
  instances.set(env, instance);
  return instance;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let instance: Instance;
    try {
      instance = instanceFor(env);
    } catch (err) {
      // The log names the bad binding; the client learns only that the deployment is misconfigured.
      console.error(err instanceof ConfigError ? `kubeguard: ${err.message}` : err);
      return problemResponse(new ApiProblem("internal-error", "The server is misconfigured; see its logs."));
    }
    instance.ready ??= instance.bootstrap().catch((err: unknown) => {
      instance.ready = undefined;
      throw err;
    });
    try {
      await instance.ready;
    } catch (err) {
      console.error("kubeguard: bootstrap failed", err);
      return problemResponse(
        new ApiProblem("unavailable", "The database is not ready; were the migrations applied?"),
      );
    }
    // The execution context gives the app `waitUntil` for work after the response (webhook deliveries,
    // admission decision inserts).
    return instance.app.fetch(request, env, ctx);
  },

  /**
   * The cron trigger of wrangler.toml: retention, rate-limit purge and webhook retries
   * (src/api/scheduled.ts), kept alive with `waitUntil`. A failing task is logged, the others still run.
   */
  async scheduled(_controller: unknown, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    let instance: Instance;
    try {
      instance = instanceFor(env);
    } catch (err) {
      console.error(err instanceof ConfigError ? `kubeguard: ${err.message}` : err);
      return;
    }
    ctx.waitUntil(
      runScheduledTasks(instance.deps).then((results) => {
        for (const r of results)
          if (!r.ok) console.error(`kubeguard: scheduled task ${r.name} failed: ${r.error}`);
      }),
    );
  },
};

/**
 * Node entry (`npm start`): parses the environment once, opens libSQL (applying migrations), creates
 * the first tenant and admin key on an empty database, serves the app with @hono/node-server, runs the
 * scheduled clean-up on timers, and on SIGTERM/SIGINT stops accepting, lets in-flight requests and
 * scheduled runs finish and closes the database.
 */
import { serve } from "@hono/node-server";
import { createApp } from "./api/app.ts";
import { BackgroundTasks } from "./api/background.ts";
import { startScheduler } from "./api/scheduled.ts";
import { type AppDeps, systemClock } from "./api/types.ts";
import { ConfigError, loadNodeConfig } from "./config.ts";
import { BatchedCounterStore } from "./ratelimit/batched.ts";
import { guardedFetch } from "./server-fetch.ts";
import { createStore } from "./store/index.ts";
import { openLibsql } from "./store/libsql.ts";
import { VERSION } from "./version.ts";

/** How long in-flight requests get after a shutdown signal before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How long in-flight background work (webhook deliveries, decision inserts) gets after the requests. */
const BACKGROUND_GRACE_MS = 5_000;

/** The database URL without credentials or query, for log lines. */
function describeUrl(url: string): string {
  if (url === ":memory:" || url.startsWith("file:")) return url.split("?")[0] ?? url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(database URL)";
  }
}

function fail(message: string): never {
  process.stderr.write(`kubeguard: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadNodeConfig>;
  try {
    config = loadNodeConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  let store: ReturnType<typeof createStore>;
  try {
    const driver = await openLibsql({
      url: config.databaseUrl,
      ...(config.databaseAuthToken ? { authToken: config.databaseAuthToken } : {}),
    });
    store = createStore(driver);
  } catch (err) {
    fail(
      `cannot open the database ${describeUrl(config.databaseUrl)}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  const boot = await store.tenants.bootstrap(systemClock.now(), config.bootstrapKey);
  if (boot?.provided) {
    process.stdout.write(
      'kubeguard: created tenant "default" with the admin API key from KUBEGUARD_BOOTSTRAP_KEY\n',
    );
  } else if (boot) {
    process.stdout.write(
      `kubeguard: created tenant "default" and its admin API key. It is shown once; store it now:\n\n    ${boot.key}\n\n`,
    );
  }

  // Webhook deliveries and decision inserts run after the response, tracked so shutdown can await them;
  // deliveries connect only to addresses that pass the SSRF check (server-fetch.ts).
  const background = new BackgroundTasks();
  // Rate-limit counts are written in batches (exact on this instance; see src/ratelimit/batched.ts).
  const counters =
    config.rateLimitFlushMs > 0
      ? new BatchedCounterStore(store.counters, {
          flushMs: config.rateLimitFlushMs,
          onError: (err) =>
            process.stderr.write(
              `kubeguard: writing rate-limit counts failed, will retry: ${err instanceof Error ? err.message : String(err)}\n`,
            ),
        })
      : undefined;
  const deps: AppDeps = {
    store,
    ...(counters ? { counters } : {}),
    clock: systemClock,
    config: config.app,
    background: background.add,
    fetch: guardedFetch({ allowPrivate: config.app.webhooks.allowPrivate }),
  };
  const app = createApp(deps);
  // Retention, rate-limit purge, webhook retries (src/api/scheduled.ts): unref'd timers, stopped on shutdown.
  const scheduler = startScheduler(deps, config.scheduleIntervalMs);
  const server = serve(
    { fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) },
    (info) => {
      process.stdout.write(
        `kubeguard ${VERSION} listening on http://${config.host ?? "localhost"}:${info.port} (database ${describeUrl(config.databaseUrl)})\n`,
      );
    },
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`kubeguard: ${signal} received, finishing in-flight requests\n`);
    const force = setTimeout(() => {
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // close() stops accepting and waits for open requests; idle keep-alive connections are closed.
    server.close(() => {
      clearTimeout(force);
      background
        .drain(BACKGROUND_GRACE_MS)
        .then(() => scheduler.stop())
        .then(() => counters?.close())
        .then(() => store.close())
        .catch(() => {})
        .finally(() => {
          process.stdout.write("kubeguard: stopped\n");
          process.exit(0);
        });
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));

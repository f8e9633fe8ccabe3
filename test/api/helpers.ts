/**
 * Test harness: the app in-process on a fresh in-memory libSQL database (one client, so one
 * database), a bootstrapped tenant with a known key, a clock that moves one second per reading.
 */
import { createApp } from "../../src/api/app.ts";
import type { App, Clock } from "../../src/api/types.ts";
import { type AppConfig, DEFAULT_APP_CONFIG } from "../../src/config.ts";
import { createStore, type Driver, type Store } from "../../src/store/index.ts";
import { openLibsql } from "../../src/store/libsql.ts";

export const KEY = `kg_${"A1b2C3d4".repeat(5)}`;
export const OTHER_KEY = `kg_${"Z9y8X7w6".repeat(5)}`;

/** Starts at 2026-04-20T10:00:00Z and advances one second every time it is read. */
export function steppingClock(start = Date.parse("2026-04-20T10:00:00Z")): Clock {
  let t = start;
  return {
    now: () => {
      const d = new Date(t);
      t += 1000;
      return d;
    },
  };
}

export interface Harness {
  app: App;
  store: Store;
  /** The database under the store, for tests that count rows. */
  driver: Driver;
  clock: Clock;
  logs: { message: string; fields?: Record<string, unknown> }[];
  /** A request with the default tenant's key. */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** Creates a second tenant with its own key (OTHER_KEY). */
  otherTenant(): Promise<{ tenantId: string; key: string }>;
  close(): Promise<void>;
}

export async function harness(
  config: Partial<AppConfig> = {},
  options: { clock?: Clock } = {},
): Promise<Harness> {
  const driver = await openLibsql({ url: ":memory:" });
  const store = createStore(driver);
  const clock = options.clock ?? steppingClock();
  await store.tenants.bootstrap(clock.now(), KEY);
  const logs: Harness["logs"] = [];
  const app = createApp({
    store,
    clock,
    config: { ...DEFAULT_APP_CONFIG, ...config },
    log: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
  });
  return {
    app,
    store,
    driver,
    clock,
    logs,
    call(path, init = {}) {
      const { key = KEY, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    async otherTenant() {
      const tenant = await store.tenants.create({ name: "other" }, clock.now());
      await store.apiKeys.create(
        tenant.id,
        { name: "other admin", scopes: ["admin"], key: OTHER_KEY },
        clock.now(),
      );
      return { tenantId: tenant.id, key: OTHER_KEY };
    },
    close: () => store.close(),
  };
}

/** A clock that stands still until moved (rate limits, expiry and retention tests). */
export function manualClock(start = Date.parse("2026-04-20T10:00:00Z")): Clock & {
  set(at: number | string): void;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => new Date(t),
    set: (at) => {
      t = typeof at === "string" ? Date.parse(at) : at;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A YAML POST. */
export function yamlBody(text: string, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body: text, headers: { "content-type": "application/yaml", ...headers } };
}

/** Reads a problem response and checks the RFC 9457 shape. */
export async function problem(res: Response): Promise<{
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: {
    file?: string;
    document?: number;
    line?: number;
    column?: number;
    path?: string;
    message: string;
  }[];
}> {
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(
      `expected a problem, got ${res.status} ${res.headers.get("content-type")}: ${await res.text()}`,
    );
  }
  const body = await res.json();
  if (body.status !== res.status) throw new Error(`problem status ${body.status} differs from ${res.status}`);
  if (!String(body.type).startsWith("https://kubeguard.dev/problems/"))
    throw new Error(`bad type ${body.type}`);
  return body;
}

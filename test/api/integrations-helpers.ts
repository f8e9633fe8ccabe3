/**
 * Test harness of the integrations (hooks, webhooks, admission): the app in-process on a fresh
 * in-memory libSQL database with a clock the test sets, background work collected so a test can await
 * it, keys with chosen scopes, and a webhook receiver on loopback that verifies the Standard Webhooks
 * signature and answers as the test tells it to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../src/api/app.ts";
import type { App, AppDeps, Clock } from "../../src/api/types.ts";
import type { Scope } from "../../src/auth/keys.ts";
import { type AppConfig, DEFAULT_APP_CONFIG } from "../../src/config.ts";
import { createStore, type Store } from "../../src/store/index.ts";
import { openLibsql } from "../../src/store/libsql.ts";
import { verifyStandard } from "../../src/webhooks/standard.ts";

export const ADMIN_KEY = `kg_${"Adm1nKey".repeat(5)}`;

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  constructor(private t = Date.parse("2026-04-20T10:00:00Z")) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date): void {
    this.t = at.getTime();
  }
}

export interface IntegrationHarness {
  app: App;
  deps: AppDeps;
  store: Store;
  clock: ManualClock;
  logs: { message: string; fields?: Record<string, unknown> }[];
  /** Background tasks started so far (deliveries, decision inserts). */
  background: Promise<unknown>[];
  /** Waits for every background task started so far (and those they start). */
  settle(): Promise<void>;
  /** A request with `key` (default: the admin key; null for none). */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** A new key of the default tenant with these scopes. */
  key(scopes: Scope[]): Promise<string>;
  /** A second tenant with an admin key. */
  otherTenant(): Promise<{ tenantId: string; key: string }>;
  close(): Promise<void>;
}

let keySerial = 0;

/** A fresh `kg_` key for tests. */
export function testKey(): string {
  keySerial++;
  return `kg_${`T${String(keySerial).padStart(7, "0")}`.repeat(5)}`;
}

export async function integrationHarness(
  options: { config?: Partial<AppConfig>; deps?: Partial<AppDeps>; store?: Store } = {},
): Promise<IntegrationHarness> {
  const store = options.store ?? createStore(await openLibsql({ url: ":memory:" }));
  const clock = new ManualClock();
  if (!options.store) await store.tenants.bootstrap(clock.now(), ADMIN_KEY);
  const logs: IntegrationHarness["logs"] = [];
  const background: Promise<unknown>[] = [];
  const deps: AppDeps = {
    store,
    clock,
    config: {
      ...DEFAULT_APP_CONFIG,
      ...options.config,
      webhooks: { ...DEFAULT_APP_CONFIG.webhooks, ...options.config?.webhooks },
    },
    log: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
    background: (task) => {
      background.push(task);
    },
    ...options.deps,
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    store,
    clock,
    logs,
    background,
    async settle() {
      let seen = -1;
      while (seen !== background.length) {
        seen = background.length;
        await Promise.allSettled(background);
      }
    },
    call(path, init = {}) {
      const { key = ADMIN_KEY, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    async key(scopes) {
      const key = testKey();
      await store.apiKeys.create("default", { name: `test ${scopes.join(",")}`, scopes, key }, clock.now());
      return key;
    },
    async otherTenant() {
      const tenant = await store.tenants.create({ name: "other" }, clock.now());
      const key = testKey();
      await store.apiKeys.create(tenant.id, { name: "other admin", scopes: ["admin"], key }, clock.now());
      return { tenantId: tenant.id, key };
    },
    close: () => store.close(),
  };
}

/** What the receiver does with one request. */
export type ReceiverAnswer =
  | { status: number }
  /** Never answers by itself: the test calls `release()` (or the client gives up). */
  | { hold: true; status: number }
  /** Answers after `ms` milliseconds. */
  | { delayMs: number; status: number };

export interface ReceivedRequest {
  headers: IncomingMessage["headers"];
  body: string;
  /** Whether the Standard Webhooks signature verified with the receiver's secret at the receiver's clock. */
  verified: boolean;
  reason?: string;
}

/**
 * A webhook receiver on 127.0.0.1 (port 0): verifies every request's signature with `secret` (set it
 * once the endpoint is created), answers from a script of answers (then 200), and records everything.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Answers still to give, in order; when empty, 200. */
  readonly script: ReceiverAnswer[] = [];
  secret = "";
  /** The time signatures are checked at (the app's injected clock). */
  now: () => Date = () => new Date();
  /** Responses answered so far. */
  answered = 0;
  private held: (() => void)[] = [];
  private arrivals: (() => void)[] = [];
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/hook`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  /** Resolves once `n` requests have arrived. */
  received(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.requests.length >= n) resolve();
        else this.arrivals.push(check);
      };
      this.arrivals.push(check);
    });
  }

  /** Answers every held request. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const check = this.secret
      ? await verifyStandard(this.secret, headers, body, this.now())
      : { ok: false as const, reason: "no secret" };
    this.requests.push({
      headers: req.headers,
      body,
      verified: check.ok,
      ...(check.ok ? {} : { reason: check.reason }),
    });
    for (const notify of this.arrivals.splice(0)) notify();
    const answer = this.script.shift() ?? { status: 200 };
    const send = () => {
      if (res.destroyed) return;
      this.answered++;
      res.writeHead(answer.status, { "content-type": "text/plain" }).end("ok");
    };
    if ("hold" in answer) this.held.push(send);
    else if ("delayMs" in answer) setTimeout(send, answer.delayMs);
    else send();
  }
}

/** A YAML POST. */
export function yaml(text: string, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body: text, headers: { "content-type": "application/yaml", ...headers } };
}

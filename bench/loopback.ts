/**
 * Shared parts of the loopback HTTP benchmarks (bench:api, bench:admission): the bare Hono baseline,
 * child servers on free loopback ports, and one autocannon run → the figures the README reports.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { Hono } from "hono";
import { loadAll } from "js-yaml";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
export const WARMUP_SECONDS = 2;

/** The bare baseline: reads the body and answers, nothing else. */
export function runBare(port: number): void {
  const app = new Hono();
  app.post("/bare", async (c) => {
    const body = await c.req.arrayBuffer();
    return c.json({ bytes: body.byteLength });
  });
  // The least any YAML-reading handler does: read the body and parse it with the fastest JS parser.
  app.post("/parse", async (c) => {
    const text = await c.req.text();
    let documents = 0;
    loadAll(text, () => {
      documents++;
    });
    return c.json({ documents });
  });
  serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () =>
    process.stdout.write(`bare listening on ${port}\n`),
  );
  process.on("SIGTERM", () => process.exit(0));
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Start `node --import tsx <args>` and resolve once it prints "listening on". */
export function startChild(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += String(d);
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Start the Node server (`src/server.ts`, as `npm start` runs it) on a free loopback port with a file
 * database in `dir` and `key` as the bootstrap admin key. The per-key request limit is raised so the
 * limiter still counts every request but never refuses one; `env` adds or overrides variables.
 */
export async function startApiServer(
  dir: string,
  key: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = await startChild(["src/server.ts"], {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    KUBEGUARD_BOOTSTRAP_KEY: key,
    KUBEGUARD_DEFAULT_RPM: "1000000000",
    ...env,
  });
  return { child, port };
}

/** SIGTERM a child and wait for it to exit. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export interface Measured {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One autocannon run of POSTs with `body`. */
export async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  connections = CONNECTIONS,
): Promise<Measured> {
  const result = await autocannon({ url, method: "POST", body, headers, connections, duration: seconds });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Write bench/out/<name> as JSON. */
export function writeResult(name: string, value: unknown): void {
  mkdirSync(join(ROOT, "bench", "out"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "out", name), `${JSON.stringify(value, null, 2)}\n`);
  process.stdout.write(`wrote bench/out/${name}\n`);
}

/** Run a bench script: `--bare <port>` makes it the bare server, anything else runs `main`. */
export function runBench(main: () => Promise<void>): void {
  if (process.argv[2] === "--bare") runBare(Number(process.argv[3]));
  else
    main().catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}

/**
 * The Node server as `npm start` runs it: a child process on a loopback port with a temporary database
 * file. Posts a scan, fetches it, then SIGTERMs the server and expects a clean exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { PRIVILEGED } from "./fixtures.ts";
import { KEY } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function freePort(): Promise<number> {
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

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitFor(check: () => boolean, what: () => string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting; output:\n${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** POST /v1/evaluate with a body sent in two halves: the second only when `finish()` is called. */
function streamingUpload(port: number, text: string) {
  let finish = () => {};
  let started = () => {};
  const startedP = new Promise<void>((resolve) => {
    started = resolve;
  });
  const status = new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/v1/evaluate",
        headers: {
          authorization: `Bearer ${KEY}`,
          "content-type": "application/yaml",
          "transfer-encoding": "chunked",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    const half = Math.floor(text.length / 2);
    req.write(text.slice(0, half), () => started());
    finish = () => req.end(text.slice(half));
  });
  return { started: startedP, status, finish: () => finish() };
}

let dir: string | undefined;
let running: Running | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill("SIGKILL");
    await running.exited;
  }
  running = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("npm start", () => {
  it("serves the API on a fresh database file, then stops cleanly on SIGTERM", async () => {
    dir = mkdtempSync(join(tmpdir(), "kubeguard-server-"));
    const port = await freePort();
    running = start({
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "db", "kg.db")}`,
      KUBEGUARD_BOOTSTRAP_KEY: KEY,
    });
    const r = running;
    await waitFor(() => r.output().includes("listening on"), r.output);
    expect(r.output()).toContain(
      'created tenant "default" with the admin API key from KUBEGUARD_BOOTSTRAP_KEY',
    );
    expect(r.output()).not.toContain(KEY);

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const created = await fetch(`${base}/v1/scans?branch=main`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/yaml" },
      body: PRIVILEGED,
    });
    expect(created.status).toBe(201);
    const scan = await created.json();
    const location = created.headers.get("location");
    expect(location).toBe(`/v1/scans/${scan.id}`);
    const fetched = await fetch(`${base}${location}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(fetched.status).toBe(200);
    expect((await fetched.json()).id).toBe(scan.id);
    expect((await fetch(`${base}/v1/scans`)).status).toBe(401);

    // An upload still streaming when SIGTERM arrives is answered before the server exits.
    const inFlight = streamingUpload(port, PRIVILEGED);
    await inFlight.started;
    r.child.kill("SIGTERM");
    await waitFor(() => r.output().includes("SIGTERM received"), r.output);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.child.exitCode).toBeNull();
    inFlight.finish();
    expect(await inFlight.status).toBe(200);
    expect(await r.exited).toEqual({ code: 0, signal: null });
    expect(r.output()).toContain("kubeguard: stopped");
  });

  it("prints a generated admin key once, on the first start only", async () => {
    dir = mkdtempSync(join(tmpdir(), "kubeguard-server-"));
    const env = {
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "kg.db")}`,
      KUBEGUARD_BOOTSTRAP_KEY: "",
    };
    running = start(env);
    const first = running;
    await waitFor(() => first.output().includes("listening on"), first.output);
    const key = /\b(kg_[A-Za-z0-9]{40})\b/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`http://127.0.0.1:${env.PORT}/v1/policies`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    first.child.kill("SIGINT");
    expect((await first.exited).code).toBe(0);

    running = start(env);
    const second = running;
    await waitFor(() => second.output().includes("listening on"), second.output);
    expect(second.output()).not.toMatch(/kg_[A-Za-z0-9]{40}/);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  });

  it("refuses to start with a malformed bootstrap key, naming it", async () => {
    running = start({ PORT: "0", DATABASE_URL: ":memory:", KUBEGUARD_BOOTSTRAP_KEY: "kg_short" });
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(running.output()).toContain("KUBEGUARD_BOOTSTRAP_KEY");
    expect(running.output()).not.toContain("kg_short");
  });
});

/**
 * `npm run bench:api`: autocannon on loopback against the Node server (`src/server.ts`, a child process
 * on a temporary database, as `npm start` runs it), `POST /v1/evaluate` with a 50-resource manifest,
 * beside a bare Hono route on @hono/node-server that only reads the same body and one that only parses it
 * with js-yaml (the ceiling of any handler that reads YAML). One run, 32 connections,
 * the same duration for each; prints the throughput ratio and p50/p99 latencies and writes
 * bench/out/api.json.
 *
 * Run as `tsx bench/api.bench.ts --bare <port>` it is the bare server itself.
 * Environment: BENCH_DURATION (seconds per target, default 10), BENCH_CONNECTIONS (default 32).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { scanInputs } from "../src/scan/run.ts";
import { generateCorpus } from "./corpus.ts";
import {
  CONNECTIONS,
  DURATION,
  freePort,
  load,
  type Measured,
  runBench,
  startApiServer,
  startChild,
  stop,
  WARMUP_SECONDS,
  writeResult,
} from "./loopback.ts";

const KEY = `kg_${"Bench0API".repeat(4)}`;

/** Mean time of the scan engine alone on the manifest, in this process, after a warm-up. */
function engineTime(text: string): number {
  const inputs = [{ file: "manifest.yaml", text }];
  for (let i = 0; i < 20; i++) scanInputs({ inputs });
  const runs = 100;
  const start = performance.now();
  for (let i = 0; i < runs; i++) scanInputs({ inputs });
  return (performance.now() - start) / runs;
}

async function main(): Promise<void> {
  const manifest = generateCorpus(50, 7);
  const headers = { "content-type": "application/yaml", authorization: `Bearer ${KEY}` };
  const dir = mkdtempSync(join(tmpdir(), "kubeguard-bench-"));
  const children: ChildProcess[] = [];
  try {
    const api = await startApiServer(dir, KEY, { KUBEGUARD_DEFAULT_SCANS_PER_DAY: "1000000000" });
    children.push(api.child);
    const apiPort = api.port;
    const barePort = await freePort();
    children.push(await startChild(["bench/api.bench.ts", "--bare", String(barePort)], {}));

    const evaluateUrl = `http://127.0.0.1:${apiPort}/v1/evaluate`;
    const bareUrl = `http://127.0.0.1:${barePort}/bare`;
    const probe = await fetch(evaluateUrl, { method: "POST", body: manifest, headers });
    if (probe.status !== 200) throw new Error(`evaluate answered ${probe.status}: ${await probe.text()}`);
    const report = (await probe.json()) as { summary: { resources: number; findings: number } };

    process.stdout.write(
      `kubeguard API bench: ${report.summary.resources} resources (${manifest.length} bytes, ${report.summary.findings} findings), ${CONNECTIONS} connections, ${DURATION} s per target, ${cpus().length} CPUs\n`,
    );
    await load(bareUrl, manifest, headers, WARMUP_SECONDS);
    const bare = await load(bareUrl, manifest, headers, DURATION);
    // The ceiling of any handler that reads YAML: the same body parsed by js-yaml and nothing else.
    const parseUrl = `http://127.0.0.1:${barePort}/parse`;
    await load(parseUrl, manifest, headers, WARMUP_SECONDS);
    const parseOnly = await load(parseUrl, manifest, headers, DURATION);
    await load(evaluateUrl, manifest, headers, WARMUP_SECONDS);
    const evaluate = await load(evaluateUrl, manifest, headers, DURATION);
    // Service time without queueing, and the engine's share of it, to read the numbers above against.
    const single = await load(evaluateUrl, manifest, headers, Math.min(DURATION, 3), 1);
    const engineMs = engineTime(manifest);

    const ratio = evaluate.requestsPerSecond / bare.requestsPerSecond;
    const row = (name: string, m: Measured) =>
      `${name.padEnd(16)} ${m.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(m.p50).padStart(4)} ms   p99 ${String(m.p99).padStart(4)} ms   non-2xx ${m.non2xx}   errors ${m.errors}\n`;
    process.stdout.write(row("bare Hono route", bare));
    process.stdout.write(row("parse-only route", parseOnly));
    process.stdout.write(row("POST /v1/evaluate", evaluate));
    process.stdout.write(row("  at 1 connection", single));
    process.stdout.write(
      `scan engine alone (in-process scanInputs): ${engineMs.toFixed(2)} ms per request\n`,
    );
    const ceiling = parseOnly.requestsPerSecond / bare.requestsPerSecond;
    process.stdout.write(
      `parse-only ceiling: ${ceiling.toFixed(3)} of the bare route; evaluate reaches ${(evaluate.requestsPerSecond / parseOnly.requestsPerSecond).toFixed(2)} of the parse-only route\n`,
    );
    process.stdout.write(
      `throughput ratio ${ratio.toFixed(3)} (target >= 0.5: ${ratio >= 0.5 ? "met" : "not met"}); evaluate p99 ${evaluate.p99} ms (target < 50: ${evaluate.p99 < 50 ? "met" : "not met"})\n`,
    );

    const out = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      manifest: {
        resources: report.summary.resources,
        bytes: manifest.length,
        findings: report.summary.findings,
      },
      bare,
      parseOnly,
      parseOnlyRatio: ceiling,
      evaluate,
      evaluateOneConnection: single,
      engineMsPerScan: engineMs,
      throughputRatio: ratio,
      targets: { throughputRatio: 0.5, p99Ms: 50 },
    };
    writeResult("api.json", out);
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);

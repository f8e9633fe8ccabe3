/**
 * `npm run bench:admission`: autocannon on loopback against the Node server (`src/server.ts`, a child
 * process on a temporary database, as `npm start` runs it), `POST /v1/admission` with an
 * `admission.k8s.io/v1` AdmissionReview of a Pod (bearer key with the `admission` scope; the decision
 * is recorded as in production), beside a bare Hono route on @hono/node-server that only reads the
 * same body. One run, 32 connections, the same bounded duration for each; prints p50/p99 and writes
 * bench/out/admission.json. Target: p99 under 20 ms on this 2-core machine.
 *
 * Run as `tsx bench/admission.bench.ts --bare <port>` it is the bare server itself.
 * Environment: BENCH_DURATION (seconds per target, default 10), BENCH_CONNECTIONS (default 32).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
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

const ADMIN_KEY = `kg_${"BenchAdm1".repeat(4)}`;
const TARGET_P99_MS = 20;

/** A Deployment's Pod as the ReplicaSet controller creates it: baseline allows it, restricted warns. */
const REVIEW = JSON.stringify({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
    kind: { group: "", version: "v1", kind: "Pod" },
    resource: { group: "", version: "v1", resource: "pods" },
    requestKind: { group: "", version: "v1", kind: "Pod" },
    requestResource: { group: "", version: "v1", resource: "pods" },
    name: "api-7c9d8b6f5-x2x9q",
    namespace: "payments",
    operation: "CREATE",
    userInfo: {
      username: "system:serviceaccount:kube-system:replicaset-controller",
      uid: "8f1d7c3a-0b6e-4c2d-9a5e-1f2b3c4d5e6f",
      groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
    },
    object: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "api-7c9d8b6f5-x2x9q",
        generateName: "api-7c9d8b6f5-",
        namespace: "payments",
        labels: { app: "api", "pod-template-hash": "7c9d8b6f5" },
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-7c9d8b6f5", uid: "1", controller: true },
        ],
      },
      spec: {
        serviceAccountName: "api",
        containers: [
          {
            name: "app",
            image: "ghcr.io/acme/api:v2.31.0",
            ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            env: [{ name: "LOG_LEVEL", value: "info" }],
            securityContext: { readOnlyRootFilesystem: true },
          },
          { name: "proxy", image: "envoyproxy/envoy:v1.31.0", ports: [{ containerPort: 9901 }] },
        ],
        initContainers: [{ name: "migrate", image: "ghcr.io/acme/api:v2.31.0", command: ["/migrate"] }],
        volumes: [{ name: "tmp", emptyDir: {} }],
      },
    },
    oldObject: null,
    dryRun: false,
    options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions" },
  },
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kubeguard-bench-admission-"));
  const children: ChildProcess[] = [];
  try {
    const api = await startApiServer(dir, ADMIN_KEY);
    children.push(api.child);
    const apiPort = api.port;
    const barePort = await freePort();
    children.push(await startChild(["bench/admission.bench.ts", "--bare", String(barePort)], {}));
    const base = `http://127.0.0.1:${apiPort}`;

    const created = await fetch(`${base}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench admission", scopes: ["admission"] }),
    });
    if (created.status !== 201)
      throw new Error(`POST /v1/keys answered ${created.status}: ${await created.text()}`);
    const { key } = (await created.json()) as { key: string };
    const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };

    const admissionUrl = `${base}/v1/admission`;
    const bareUrl = `http://127.0.0.1:${barePort}/bare`;
    const probe = await fetch(admissionUrl, { method: "POST", body: REVIEW, headers });
    if (probe.status !== 200) throw new Error(`admission answered ${probe.status}: ${await probe.text()}`);
    const decision = (await probe.json()) as { response: { allowed: boolean; warnings?: string[] } };

    process.stdout.write(
      `kubeguard admission bench: AdmissionReview of a Pod (${REVIEW.length} bytes, allowed ${decision.response.allowed}, ${decision.response.warnings?.length ?? 0} warning), ${CONNECTIONS} connections, ${DURATION} s per target, ${cpus().length} CPUs\n`,
    );
    await load(bareUrl, REVIEW, headers, WARMUP_SECONDS);
    const bare = await load(bareUrl, REVIEW, headers, DURATION);
    await load(admissionUrl, REVIEW, headers, WARMUP_SECONDS);
    const admission = await load(admissionUrl, REVIEW, headers, DURATION);
    const single = await load(admissionUrl, REVIEW, headers, Math.min(DURATION, 3), 1);

    const row = (name: string, m: Measured) =>
      `${name.padEnd(20)} ${m.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(m.p50).padStart(3)} ms   p99 ${String(m.p99).padStart(3)} ms   max ${String(m.max).padStart(4)} ms   non-2xx ${m.non2xx}   errors ${m.errors}\n`;
    process.stdout.write(row("bare Hono route", bare));
    process.stdout.write(row("POST /v1/admission", admission));
    process.stdout.write(row("  at 1 connection", single));
    const met = admission.p99 < TARGET_P99_MS && admission.non2xx === 0 && admission.errors === 0;
    process.stdout.write(
      `admission p99 ${admission.p99} ms at ${CONNECTIONS} connections (target < ${TARGET_P99_MS} ms: ${met ? "met" : "not met"})\n`,
    );

    const out = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      reviewBytes: REVIEW.length,
      bare,
      admission,
      admissionOneConnection: single,
      targets: { p99Ms: TARGET_P99_MS },
      met,
    };
    writeResult("admission.json", out);
    // The decisions are recorded as in production (after the answer): check that they were.
    const recorded = (await (
      await fetch(`${base}/v1/admission/decisions?limit=1`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      })
    ).json()) as { items: unknown[] };
    if (recorded.items.length === 0) throw new Error("no admission decision was recorded");
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);

/**
 * Creating a stored scan from a manifest body, shared by `POST /v1/scans` (bearer key) and signed
 * inbound hooks (`POST /v1/hooks/{id}`), so both take the same bodies and options, dedupe retries the
 * same way and fire the same outbound webhook events.
 */

import type { ScanOptions } from "../scan/types.ts";
import { newId, sha256Hex } from "../store/crypto.ts";
import type { ScanSource, StoredScan } from "../store/index.ts";
import { bodyInputs, scanBody } from "./manifests.ts";
import type { ScanGate } from "./scan-gate.ts";
import type { AppDeps, RequestBody } from "./types.ts";
import { enqueueScanEvents } from "./webhook-dispatch.ts";

/** The query parameters of a scan request, as validated by `scanOptionsQuery` and `scanSourceQuery`. */
export interface ScanQuery {
  pssLevel?: ScanOptions["pssLevel"] | undefined;
  pssVersion?: string | undefined;
  failOn?: ScanOptions["failOn"] | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  branch?: string | undefined;
  pipelineUrl?: string | undefined;
  labels?: Record<string, string> | undefined;
}

/** The explicit scan options of a query (absent ones are left to settings and defaults). */
export function scanOptionsOf(q: ScanQuery): Partial<ScanOptions> {
  return {
    ...(q.pssLevel ? { pssLevel: q.pssLevel } : {}),
    ...(q.pssVersion ? { pssVersion: q.pssVersion } : {}),
    ...(q.failOn ? { failOn: q.failOn } : {}),
  };
}

/** The source metadata of a query. */
export function scanSourceOf(q: ScanQuery): ScanSource {
  return {
    ...(q.repository ? { repository: q.repository } : {}),
    ...(q.commit ? { commit: q.commit } : {}),
    ...(q.branch ? { branch: q.branch } : {}),
    ...(q.pipelineUrl ? { pipelineUrl: q.pipelineUrl } : {}),
    ...(q.labels ? { labels: q.labels } : {}),
  };
}

/** What a scan-creating request hands to {@link createStoredScan}. */
export interface ScanCreation {
  tenantId: string;
  body: RequestBody;
  options: Partial<ScanOptions>;
  source: ScanSource;
  /**
   * Dedupes retries: the same key with the same request gives the first scan, with a different
   * request a conflict. `POST /v1/scans` passes its `Idempotency-Key`; inbound hooks pass a key made
   * from the hook id and the message id (with spaces, so it can never equal an `Idempotency-Key`).
   */
  idempotencyKey?: string;
}

/** The scan, and whether it was created now or replayed for an idempotency key. */
export type ScanCreationResult =
  | { status: "created" | "replayed"; scan: StoredScan }
  | { status: "conflict" };

/** What creating a scan needs from the request context. */
export interface ScanContext {
  deps: AppDeps;
  scanGate: ScanGate;
  /** Runs a task after the response (webhook deliveries); see `AppVariables.background`. */
  background: (task: Promise<unknown>) => void;
}

/** Hash of what makes two requests "the same" for an idempotency key. */
async function requestHash(body: RequestBody, options: Record<string, unknown>): Promise<string> {
  const head = new TextEncoder().encode(`${body.mediaType}\n${JSON.stringify(options)}\n`);
  const all = new Uint8Array(head.byteLength + body.bytes.byteLength);
  all.set(head, 0);
  all.set(body.bytes, head.byteLength);
  return sha256Hex(all);
}

/**
 * Scans the body and stores the scan for the tenant; a new scan's outbound webhook deliveries are
 * enqueued before this returns and attempted in the background, so a receiver never delays the caller.
 * @throws {ApiProblem} 422 when nothing in the body could be scanned
 */
export async function createStoredScan(ctx: ScanContext, req: ScanCreation): Promise<ScanCreationResult> {
  const { store, clock } = ctx.deps;
  const { tenantId, body, options, source } = req;
  const createdAt = clock.now();

  let idempotency: { key: string; requestHash: string } | undefined;
  if (req.idempotencyKey) {
    idempotency = { key: req.idempotencyKey, requestHash: await requestHash(body, { ...options, source }) };
    const earlier = await store.scans.findIdempotent(tenantId, req.idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== idempotency.requestHash) return { status: "conflict" };
      const scan = await store.scans.get(tenantId, earlier.scanId);
      if (scan) return { status: "replayed", scan };
    }
  }

  const inputs = await bodyInputs(body);
  // Tenant settings apply where the request gives no explicit option; the scan keeps a copy.
  const settings = (await store.settings.get(tenantId))?.settings;
  const report = await scanBody(ctx.deps, ctx.scanGate, inputs, options, createdAt, settings);
  const result = await store.scans.create(tenantId, {
    id: newId("scn"),
    createdAt,
    completedAt: clock.now(),
    source,
    report,
    settings: settings ?? null,
    ...(idempotency ? { idempotency } : {}),
  });
  if (result.status === "created") await enqueueScanEvents(ctx, tenantId, result.scan);
  return result;
}

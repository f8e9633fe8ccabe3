/**
 * Outbound webhook events of stored scans: `scan.completed` for every stored scan, `scan.failed` when
 * its verdict failed. The deliveries are enqueued (one row per event and endpoint) before the scan
 * request answers, then attempted in the background (`waitUntil` on Workers, a tracked promise on
 * Node), so a slow or dead receiver never slows or fails the scan request. Failed attempts are retried
 * by {@link retryDueDeliveries}, which the scheduled tasks run (the Worker's cron, the Node timer),
 * with the backoff of `nextAttemptDelay`.
 */
import { newId } from "../store/crypto.ts";
import type { StoredScan, WebhookEventType } from "../store/index.ts";
import { buildDelivery, deliver, nextAttemptDelay, type ScanSummaryPayload } from "../webhooks/delivery.ts";
import { openSecret } from "../webhooks/secret-box.ts";
import { scanPath } from "./present.ts";
import type { AppDeps } from "./types.ts";

/** How long past the delivery timeout a claimed attempt stays leased before the scheduler may retry it. */
export const DELIVERY_LEASE_MARGIN_MS = 30_000;

/** Due deliveries one scheduler run attempts at most. */
export const RETRY_BATCH = 50;

/** Attempts one scheduler run makes at the same time. */
const RETRY_CONCURRENCY = 4;

/** The additional data a webhook endpoint's secret is sealed with (secret-box.ts). */
export function endpointSecretContext(tenantId: string, endpointId: string): string {
  return `webhook:${tenantId}:${endpointId}`;
}

/** The events a stored scan fires. */
export function scanEvents(scan: StoredScan): WebhookEventType[] {
  return scan.verdict.passed ? ["scan.completed"] : ["scan.completed", "scan.failed"];
}

/** The `data` of a scan event; links are absolute when `KUBEGUARD_PUBLIC_URL` is configured. */
export function scanPayload(deps: AppDeps, tenantId: string, scan: StoredScan): ScanSummaryPayload {
  const { repository, commit, branch, pipelineUrl } = scan.source;
  const source = {
    ...(repository ? { repository } : {}),
    ...(commit ? { commit } : {}),
    ...(branch ? { branch } : {}),
    ...(pipelineUrl ? { pipelineUrl } : {}),
  };
  const base = deps.config.publicUrl;
  return {
    scanId: scan.id,
    tenantId,
    createdAt: scan.createdAt.toISOString(),
    verdict: scan.verdict,
    summary: scan.summary,
    ...(Object.keys(source).length ? { source } : {}),
    ...(base
      ? {
          links: {
            self: `${base}${scanPath(scan.id)}`,
            report: `${base}${scanPath(scan.id)}/report?format=html`,
          },
        }
      : {}),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Enqueues the scan's events for every subscribed endpoint and starts their first attempts in the
 * background. Never throws: the scan is stored already, and an enqueue failure is logged, not the
 * caller's problem.
 */
export async function enqueueScanEvents(
  ctx: { deps: AppDeps; background: (task: Promise<unknown>) => void },
  tenantId: string,
  scan: StoredScan,
): Promise<void> {
  const { deps } = ctx;
  try {
    const events = scanEvents(scan);
    const endpoints = await deps.store.webhooks.subscribers(tenantId, events);
    if (endpoints.length === 0) return;
    const payload = JSON.stringify(scanPayload(deps, tenantId, scan));
    const deliveries = endpoints.flatMap((endpoint) =>
      events
        .filter((type) => endpoint.events.includes(type))
        .map((type) => ({
          id: newId("dlv"),
          endpointId: endpoint.id,
          eventId: newId("msg"),
          eventType: type,
          scanId: scan.id,
          payload,
          eventAt: scan.completedAt,
        })),
    );
    await deps.store.webhooks.enqueue(tenantId, deliveries, deps.clock.now());
    ctx.background(Promise.all(deliveries.map((d) => attemptDelivery(deps, tenantId, d.id))));
  } catch (err) {
    deps.log?.("webhook enqueue failed", { tenantId, scanId: scan.id, error: errorText(err) });
  }
}

/** What one attempt did; undefined from {@link attemptDelivery} when the delivery was not due or taken. */
export interface AttemptReport {
  deliveryId: string;
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  /** When the next attempt is due; absent on success and when given up. */
  retryAt?: Date;
}

/**
 * Makes the next attempt of a delivery if it is due and nobody else has claimed it: signs the event
 * for this attempt, sends it with the configured timeout (re-checking the URL), and records the
 * outcome with the next attempt's time. Never throws for the receiver's behaviour.
 */
export async function attemptDelivery(
  deps: AppDeps,
  tenantId: string,
  deliveryId: string,
): Promise<AttemptReport | undefined> {
  const { store, clock, config } = deps;
  const { timeoutMs } = config.webhooks;
  const now = clock.now();
  const claimed = await store.webhooks.claim(
    tenantId,
    deliveryId,
    now,
    new Date(now.getTime() + timeoutMs + DELIVERY_LEASE_MARGIN_MS),
  );
  if (!claimed) return undefined;
  const attempt = claimed.attempts;

  let result: { ok: boolean; status?: number; error?: string };
  const endpoint = await store.webhooks.endpointForDelivery(tenantId, claimed.endpointId);
  if (!endpoint) {
    result = { ok: false, error: "the endpoint was deleted" };
  } else {
    try {
      const secret = await openSecret(
        endpoint.storedSecret,
        endpointSecretContext(tenantId, endpoint.id),
        config.secretKey,
      );
      const delivery = await buildDelivery(
        { id: endpoint.id, url: endpoint.url, secret, format: endpoint.format },
        {
          type: claimed.eventType,
          id: claimed.eventId,
          timestamp: claimed.eventAt,
          data: JSON.parse(claimed.payload) as ScanSummaryPayload,
        },
        now,
      );
      const fetchFn = deps.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
      result = await deliver(delivery, {
        fetch: fetchFn,
        timeoutMs,
        guard: { allowHttp: config.webhooks.allowHttp, allowPrivate: config.webhooks.allowPrivate },
      });
    } catch (err) {
      result = { ok: false, error: `cannot send: ${errorText(err)}` };
    }
  }

  const delay = result.ok || !endpoint ? undefined : nextAttemptDelay(attempt);
  const retryAt = delay === undefined ? undefined : new Date(clock.now().getTime() + delay);
  await store.webhooks.complete(tenantId, deliveryId, {
    succeeded: result.ok,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(retryAt ? { retryAt } : {}),
  });
  if (!result.ok && !retryAt) {
    // The URL is not logged: incoming-webhook URLs (Slack's) are secrets themselves.
    deps.log?.("webhook delivery given up", {
      tenantId,
      endpointId: claimed.endpointId,
      deliveryId,
      attempts: attempt,
      error: result.error,
    });
  }
  return {
    deliveryId,
    attempt,
    ok: result.ok,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(retryAt ? { retryAt } : {}),
  };
}

/**
 * Attempts every due delivery (up to {@link RETRY_BATCH}), a few at a time: the scheduled task of
 * outbound webhooks. Returns what was attempted.
 */
export async function retryDueDeliveries(deps: AppDeps, limit = RETRY_BATCH): Promise<AttemptReport[]> {
  const due = await deps.store.webhooks.due(deps.clock.now(), limit);
  const reports: AttemptReport[] = [];
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const item = due[next++];
      if (!item) break;
      const report = await attemptDelivery(deps, item.tenantId, item.id);
      if (report) reports.push(report);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RETRY_CONCURRENCY, due.length) }, worker));
  return reports;
}

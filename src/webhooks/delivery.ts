/**
 * Outbound webhook deliveries: build the signed request for an endpoint, send it with a timeout, and
 * schedule retries. Pure apart from `deliver`, which calls the `fetch` it is given; the API decides
 * when to run deliveries (after the scan response, through `waitUntil` on Workers) and the store keeps
 * the delivery log.
 *
 * - Every delivery is signed the Standard Webhooks way with the endpoint's secret, Slack-format ones
 *   too (Slack ignores the headers; a relay in between can still verify).
 * - `webhook-id` is the event id and stays the same on every retry, so receivers can dedupe;
 *   `webhook-timestamp` is the time of the attempt and the request is re-signed for each attempt,
 *   otherwise every retry after 5 minutes would fail the receiver's timestamp check.
 * - Standard body: `{ type, timestamp, data }` (the spec's payload structure) with `timestamp` the
 *   event time in ISO 8601 and `data` a `ScanSummaryPayload`.
 * - Slack body (`format: "slack"`): `{ text, blocks }` for an incoming-webhook URL. Every value that
 *   comes from a user (repository, branch, commit, ids) is escaped for mrkdwn, and links are buttons
 *   whose URL must be http(s), so a repository name cannot inject a link.
 * - Retries (`nextAttemptDelay`): after attempt 1 fails wait 10 s, then 1 min, 5 min, 30 min, 2 h,
 *   5 h; attempt 7 is the last (about 7.6 hours after the first). Deterministic, no jitter: the
 *   scheduler (the Worker's cron, the Node timer) batches due deliveries anyway. Every non-2xx
 *   answer, network error and timeout is retried.
 */
import { SEVERITIES, type Severity } from "../policies/types.ts";
import type { FailOn, ScanSummary } from "../scan/types.ts";
import { VERSION } from "../version.ts";
import { signStandard } from "./standard.ts";
import { checkWebhookUrl, type UrlGuardOptions } from "./url-guard.ts";

export const WEBHOOK_EVENT_TYPES = ["scan.completed", "scan.failed"] as const;
/** `scan.completed`: every finished scan; `scan.failed`: a finished scan whose verdict failed. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type WebhookFormat = "standard" | "slack";

/** The `data` of a scan event. */
export interface ScanSummaryPayload {
  scanId: string;
  tenantId?: string;
  /** ISO 8601. */
  createdAt: string;
  verdict: { passed: boolean; failOn: FailOn };
  summary: ScanSummary;
  source?: { repository?: string; commit?: string; branch?: string; pipelineUrl?: string };
  links?: { self?: string; report?: string };
}

export interface WebhookEndpointTarget {
  id: string;
  url: string;
  /** `whsec_…`, the endpoint's signing secret. */
  secret: string;
  format?: WebhookFormat;
}

export interface WebhookEvent {
  type: WebhookEventType;
  /** The message id (`webhook-id`), the same for every attempt: e.g. `msg_<scan id>_<endpoint id>`. */
  id: string;
  /** When the event happened. */
  timestamp: Date;
  data: ScanSummaryPayload;
}

/** A ready-to-send request. */
export interface WebhookDelivery {
  endpointId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const WEBHOOK_USER_AGENT = `kubeguard-webhooks/${VERSION}`;

/**
 * The signed request for one attempt of one event to one endpoint. `attemptAt` (default now) is the
 * signed `webhook-timestamp`; build a fresh delivery for every attempt.
 *
 * @example
 * const d = await buildDelivery(endpoint, { type: "scan.failed", id: "msg_01", timestamp: new Date(), data });
 * const result = await deliver(d, { fetch });
 */
export async function buildDelivery(
  endpoint: WebhookEndpointTarget,
  event: WebhookEvent,
  attemptAt: Date = new Date(),
): Promise<WebhookDelivery> {
  const body = JSON.stringify(
    endpoint.format === "slack"
      ? slackMessage(event)
      : { type: event.type, timestamp: event.timestamp.toISOString(), data: event.data },
  );
  const timestamp = Math.floor(attemptAt.getTime() / 1000);
  const signature = await signStandard(endpoint.secret, { id: event.id, timestamp, body });
  return {
    endpointId: endpoint.id,
    url: endpoint.url,
    headers: {
      "content-type": "application/json",
      "user-agent": WEBHOOK_USER_AGENT,
      "webhook-id": event.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    },
    body,
  };
}

/** The subset of Slack Block Kit that `slackMessage` produces. */
export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: true } }
  | { type: "section"; text?: { type: "mrkdwn"; text: string }; fields?: { type: "mrkdwn"; text: string }[] }
  | { type: "context"; elements: { type: "mrkdwn"; text: string }[] }
  | {
      type: "actions";
      elements: {
        type: "button";
        text: { type: "plain_text"; text: string };
        url: string;
        action_id: string;
      }[];
    };

export interface SlackMessage {
  /** The notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack mrkdwn escaping: `&`, `<` and `>` are control characters. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** An http(s) URL Slack accepts on a button, or undefined. */
function linkUrl(u: string | undefined): string | undefined {
  if (!u || u.length > 3000) return undefined;
  try {
    const parsed = new URL(u);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The Slack-compatible payload of an event: a `text` fallback and blocks with the verdict, the
 * repository, branch and commit, counts by severity, and buttons for the report and pipeline links.
 *
 * @example
 * slackMessage(event).text; // ":x: kubeguard scan failed for acme/shop@main (3f2a9c1): 3 findings (1 high, 2 low)"
 */
export function slackMessage(event: WebhookEvent): SlackMessage {
  const { data } = event;
  const passed = data.verdict.passed;
  const icon = passed ? ":white_check_mark:" : ":x:";
  const src = data.source ?? {};
  const shortCommit = src.commit ? src.commit.slice(0, 7) : undefined;
  const where = src.repository
    ? `${src.repository}${src.branch ? `@${src.branch}` : ""}${shortCommit ? ` (${shortCommit})` : ""}`
    : undefined;
  const counts = SEVERITIES.filter((s) => (data.summary.bySeverity[s] ?? 0) > 0).map(
    (s) => `${data.summary.bySeverity[s]} ${s}`,
  );
  const findingsText =
    plural(data.summary.findings, "finding") + (counts.length ? ` (${counts.join(", ")})` : "");
  const text = clip(
    `${icon} kubeguard scan ${passed ? "passed" : "failed"}${where ? ` for ${esc(where)}` : ""}: ${findingsText}`,
    3000,
  );

  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: clip(`kubeguard scan ${passed ? "passed" : "failed"}`, 150),
        emoji: true,
      },
    },
  ];
  const severityLine = SEVERITIES.map((s: Severity) => `${s} *${data.summary.bySeverity[s] ?? 0}*`).join(
    " · ",
  );
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text: clip(
        [
          `${icon} *Verdict:* ${passed ? "passed" : "failed"} (fail on ${esc(data.verdict.failOn)})`,
          `*Findings:* ${data.summary.findings} — ${severityLine}`,
          `${plural(data.summary.resources, "resource")} · ${data.summary.suppressed} suppressed · ${plural(data.summary.errors, "error")}`,
        ].join("\n"),
        3000,
      ),
    },
  });
  const fields: { type: "mrkdwn"; text: string }[] = [];
  if (src.repository)
    fields.push({ type: "mrkdwn", text: clip(`*Repository*\n${esc(src.repository)}`, 2000) });
  if (src.branch) fields.push({ type: "mrkdwn", text: clip(`*Branch*\n${esc(src.branch)}`, 2000) });
  if (src.commit) fields.push({ type: "mrkdwn", text: clip(`*Commit*\n\`${esc(src.commit)}\``, 2000) });
  if (fields.length) blocks.push({ type: "section", fields });
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: clip(`Scan ${esc(data.scanId)} · ${esc(data.createdAt)}`, 3000) }],
  });

  const buttons: Extract<SlackBlock, { type: "actions" }>["elements"] = [];
  const report = linkUrl(data.links?.report) ?? linkUrl(data.links?.self);
  if (report) {
    buttons.push({
      type: "button",
      text: { type: "plain_text", text: "View report" },
      url: report,
      action_id: "report",
    });
  }
  const pipeline = linkUrl(src.pipelineUrl);
  if (pipeline) {
    buttons.push({
      type: "button",
      text: { type: "plain_text", text: "Pipeline" },
      url: pipeline,
      action_id: "pipeline",
    });
  }
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  return { text, blocks };
}

/** The part of `fetch` that `deliver` uses; pass the global `fetch` or a stub. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface DeliverOptions {
  fetch: FetchLike;
  /** Abort after this many milliseconds (default 5000). */
  timeoutMs?: number;
  /** Re-check the URL before sending (recommended: the configuration may have changed since registration). */
  guard?: UrlGuardOptions;
  /** Milliseconds clock for `durationMs` (default `performance.now`). */
  clock?: () => number;
}

export interface DeliveryResult {
  /** A 2xx answer. */
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why it failed: `HTTP 500`, `timed out after 5000 ms`, a network error, a refused URL. */
  error?: string;
  durationMs: number;
}

/** Default `deliver` timeout in milliseconds. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;

/**
 * Sends a delivery: one POST, no redirects followed (a 3xx is a failure, so a receiver cannot bounce
 * the request to an internal address), aborted after `timeoutMs`, the response body discarded. Never
 * throws: every outcome is a `DeliveryResult`. On Workers pass `fetch` itself, not a method of another
 * object; `deliver` calls it unbound.
 *
 * @example
 * const r = await deliver(await buildDelivery(endpoint, event), { fetch, guard: { allowHttp: false } });
 * await store.logDelivery({ endpointId: endpoint.id, attempt, status: r.status, error: r.error });
 * const delay = r.ok ? undefined : nextAttemptDelay(attempt);
 */
export async function deliver(delivery: WebhookDelivery, opts: DeliverOptions): Promise<DeliveryResult> {
  const clock = opts.clock ?? (() => performance.now());
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const fetchFn = opts.fetch;
  const start = clock();
  const elapsed = () => Math.max(0, Math.round(clock() - start));
  if (opts.guard) {
    const check = checkWebhookUrl(delivery.url, opts.guard);
    if (!check.ok) return { ok: false, error: `refused URL: ${check.reason}`, durationMs: 0 };
  }
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  const timeoutResult = (): DeliveryResult => ({
    ok: false,
    error: `timed out after ${timeoutMs} ms`,
    durationMs: elapsed(),
  });
  try {
    // The race also bounds a fetch that ignores the abort signal.
    const res = await Promise.race([
      fetchFn(delivery.url, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        redirect: "manual",
        signal: controller.signal,
      }),
      timedOut,
    ]);
    if (res === "timeout") return timeoutResult();
    res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return ok
      ? { ok, status: res.status, durationMs: elapsed() }
      : { ok, status: res.status, error: `HTTP ${res.status}`, durationMs: elapsed() };
  } catch (err) {
    if (controller.signal.aborted) return timeoutResult();
    const message = err instanceof Error ? err.message + causeOf(err) : String(err);
    return { ok: false, error: `network error: ${message}`, durationMs: elapsed() };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Node's fetch says only "fetch failed"; the reason is in `cause`. */
function causeOf(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return ` (${cause.message})`;
  return "";
}

/** Delays before attempts 2…7, in milliseconds: 10 s, 1 min, 5 min, 30 min, 2 h, 5 h. */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  10_000,
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
];

/** Attempts in all, the first included. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

/**
 * How long to wait after attempt number `attempt` (1-based) failed before the next one, in
 * milliseconds; `undefined` when that was the last attempt and the delivery is given up. Throws a
 * `RangeError` for an attempt that is not a positive integer.
 *
 * @example
 * nextAttemptDelay(1); // 10_000
 * nextAttemptDelay(6); // 18_000_000 (5 h)
 * nextAttemptDelay(7); // undefined: give up
 */
export function nextAttemptDelay(attempt: number): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError("attempt must be a positive integer");
  return RETRY_SCHEDULE_MS[attempt - 1];
}

/**
 * Remote scans for `kubeguard scan --server URL`: send the inputs to `POST /v1/scans` of a kubeguard API,
 * fetch the report in the requested format and hand back the server's verdict. Retries 429 and 5xx
 * answers (and dropped connections) with exponential backoff, honouring `Retry-After`; the request
 * carries one `Idempotency-Key` and byte-identical bodies on every attempt, so a retry never creates a
 * second scan. Also reads the source metadata (repository, commit, branch, pipeline URL) from the CI
 * environment of GitHub Actions and GitLab CI. Over HTTP only; the engine does not run here.
 */
import { createHash, randomUUID } from "node:crypto";
import type { ScanOptions } from "../scan/types.ts";
import { VERSION } from "../version.ts";

/** A remote scan that could not be done: network failure, or a 4xx/5xx answer (the CLI exits 2). */
export class RemoteError extends Error {
  override name = "RemoteError";
  /** HTTP status of the answer, absent for a network failure. */
  readonly status?: number;
  /** The RFC 9457 problem document the server sent, when it sent one. */
  readonly problem?: Problem;

  constructor(message: string, opts: { status?: number; problem?: Problem; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.problem !== undefined) this.problem = opts.problem;
  }
}

/** The parts of an RFC 9457 problem document the CLI shows. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { file?: string; document?: number; line?: number; column?: number; message?: string }[];
}

/** Source metadata recorded with a scan; every field optional. */
export interface ScanSourceMeta {
  repository?: string;
  commit?: string;
  branch?: string;
  pipelineUrl?: string;
}

export interface RemoteScanOptions {
  /** Base URL of the kubeguard API (`https://kubeguard.example.com`); a path prefix is kept. */
  server: string;
  /** API key, sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Files to scan: one multipart part each, named by `file` (the report's file paths). */
  inputs: { file: string; text: string }[];
  options: Partial<ScanOptions>;
  source: ScanSourceMeta;
  /** Report format: `json`, `sarif`, `junit`, `markdown`, `html`, or `table` (fetched as json; see result). */
  format: string;
  /** Injected fetch (tests); default the global one. */
  fetch?: typeof fetch;
  /** Retries of 429, 5xx and dropped connections per request (default 3). */
  maxRetries?: number;
  /** Injected sleep (tests); default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Idempotency-Key of the POST; default a fresh UUID per call, reused by its retries. */
  idempotencyKey?: string;
  /** Per-request timeout in milliseconds (default 120 000). */
  timeoutMs?: number;
}

export interface RemoteScanResult {
  /** `verdict.passed` of the server's scan. */
  passed: boolean;
  /** The report text in `outputFormat`. */
  output: string;
  scanId: string;
  /** Format of `output`: the requested one, or `json` when `table` was asked (render it locally). */
  outputFormat: string;
  /** Absolute URL of the stored scan. */
  scanUrl: string;
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const RETRY_AFTER_MAX_MS = 120_000;
/** Network errors worth retrying; DNS failures and bad URLs are not. */
const FATAL_NETWORK = new Set(["ENOTFOUND", "ERR_INVALID_URL", "ERR_TLS_CERT_ALTNAME_INVALID"]);

function backoff(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, RETRY_AFTER_MAX_MS);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), RETRY_AFTER_MAX_MS);
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
    e = typeof e === "object" && e !== null && "cause" in e ? e.cause : undefined;
  }
  return undefined;
}

function networkReason(err: unknown): string {
  const code = errorCode(err);
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return "timed out";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found (DNS lookup failed)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}

/**
 * The multipart form of the inputs. The boundary is derived from the inputs, so the same inputs are
 * always the same bytes: a retry, or a re-run with the same Idempotency-Key, is the same request.
 */
function multipart(inputs: RemoteScanOptions["inputs"]): {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
} {
  const boundary = `kubeguard-${createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 32)}`;
  // Field values are quoted-strings in which the HTML form encoding escapes `"`, CR and LF.
  const quote = (s: string) => s.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const parts: string[] = [];
  for (const input of inputs) {
    const type =
      /\.json$/i.test(input.file) || /^\s*[{[]/.test(input.text) ? "application/json" : "application/yaml";
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(input.file)}"\r\n` +
        `Content-Type: ${type}\r\n\r\n${input.text}\r\n`,
    );
  }
  parts.push(`--${boundary}--\r\n`);
  return {
    body: new TextEncoder().encode(parts.join("")),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function problemOf(res: Response): Promise<Problem | undefined> {
  try {
    const text = await res.text();
    const body = JSON.parse(text) as unknown;
    return typeof body === "object" && body !== null ? (body as Problem) : undefined;
  } catch {
    return undefined;
  }
}

function describeProblem(
  what: string,
  status: number,
  statusText: string,
  problem: Problem | undefined,
): string {
  const title = problem?.title ?? statusText;
  let msg = `${what} answered ${status}${title ? ` ${title}` : ""}`;
  if (problem?.detail) msg += `: ${problem.detail}`;
  for (const e of (problem?.errors ?? []).slice(0, 5)) {
    const at = [e.file, e.line, e.column].filter((x) => x !== undefined).join(":");
    msg += `\n  ${at ? `${at}: ` : ""}${e.message ?? ""}`;
  }
  if ((problem?.errors?.length ?? 0) > 5) msg += `\n  … and ${(problem?.errors?.length ?? 0) - 5} more`;
  if (status === 401) msg += "\n  (check --api-key or KUBEGUARD_API_KEY)";
  return msg;
}

/**
 * Scan `inputs` on a kubeguard API server: `POST {server}/v1/scans` (multipart, one part per file),
 * then `GET /v1/scans/{id}/report?format=…`.
 *
 * @throws RemoteError when the server cannot be reached or answers 4xx/5xx (after retries for 429/5xx).
 * @example
 * const r = await remoteScan({ server: "https://kg.example.com", apiKey, inputs, options: { failOn: "high" },
 *   source: ciSourceFromEnv(process.env), format: "sarif" });
 * process.exitCode = r.passed ? 0 : 1;
 */
export async function remoteScan(opts: RemoteScanOptions): Promise<RemoteScanResult> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = opts.maxRetries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let base: URL;
  try {
    base = new URL(opts.server.endsWith("/") ? opts.server : `${opts.server}/`);
  } catch {
    throw new RemoteError(`--server must be an http(s) URL, got "${opts.server}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new RemoteError(`--server must be an http(s) URL, got "${opts.server}"`);
  }
  if (opts.inputs.length === 0) throw new RemoteError("nothing to send: no input files");
  const url = (path: string) => new URL(path.replace(/^\//, ""), base);
  const auth = { Authorization: `Bearer ${opts.apiKey}`, "User-Agent": `kubeguard-cli/${VERSION}` };

  const send = async (method: string, target: URL, init: RequestInit, what: string): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(target, { ...init, method, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const code = errorCode(err);
        if (attempt < maxRetries && !(code && FATAL_NETWORK.has(code))) {
          await sleep(backoff(attempt));
          continue;
        }
        throw new RemoteError(`cannot reach the kubeguard API at ${base.origin}: ${networkReason(err)}`, {
          cause: err,
        });
      }
      if ((res.status === 429 || res.status >= 500) && attempt < maxRetries) {
        await res.body?.cancel();
        await sleep(retryAfterMs(res.headers.get("retry-after")) ?? backoff(attempt));
        continue;
      }
      if (!res.ok) {
        const problem = await problemOf(res);
        throw new RemoteError(describeProblem(what, res.status, res.statusText, problem), {
          status: res.status,
          ...(problem ? { problem } : {}),
        });
      }
      return res;
    }
  };

  const query = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...opts.options, ...opts.source })) {
    if (typeof v === "string" && v !== "") query.set(k, v);
  }
  const target = url(`v1/scans${query.size ? `?${query}` : ""}`);
  const { body, contentType } = multipart(opts.inputs);
  const created = await send(
    "POST",
    target,
    {
      headers: {
        ...auth,
        Accept: "application/json",
        "Content-Type": contentType,
        "Idempotency-Key": opts.idempotencyKey ?? randomUUID(),
      },
      body,
    },
    "POST /v1/scans",
  );
  let scan: { id?: unknown; verdict?: { passed?: unknown } };
  try {
    scan = (await created.json()) as typeof scan;
  } catch {
    throw new RemoteError("POST /v1/scans answered with a body that is not JSON");
  }
  if (typeof scan.id !== "string" || typeof scan.verdict?.passed !== "boolean") {
    throw new RemoteError(
      "POST /v1/scans answered without a scan id and verdict: is --server a kubeguard API?",
    );
  }
  const outputFormat = opts.format === "table" ? "json" : opts.format;
  const reportPath = `v1/scans/${encodeURIComponent(scan.id)}/report?format=${encodeURIComponent(outputFormat)}`;
  const report = await send(
    "GET",
    url(reportPath),
    { headers: { ...auth, Accept: "*/*" } },
    `GET /v1/scans/${scan.id}/report`,
  );
  return {
    passed: scan.verdict.passed,
    output: await report.text(),
    scanId: scan.id,
    outputFormat,
    scanUrl: url(`v1/scans/${encodeURIComponent(scan.id)}`).toString(),
  };
}

/**
 * Source metadata from the CI environment: GitHub Actions (`GITHUB_REPOSITORY`, `GITHUB_SHA`,
 * `GITHUB_HEAD_REF` on pull requests else `GITHUB_REF_NAME`, run URL from `GITHUB_SERVER_URL`,
 * `GITHUB_REPOSITORY` and `GITHUB_RUN_ID`) or GitLab CI (`CI_PROJECT_PATH`, `CI_COMMIT_SHA`,
 * `CI_COMMIT_REF_NAME`, `CI_PIPELINE_URL`). Only fields that are set are returned; flags win over it.
 *
 * @example ciSourceFromEnv(process.env) // { repository: "acme/shop", commit: "9f1c…", branch: "main", pipelineUrl: "…" }
 */
export function ciSourceFromEnv(env: Record<string, string | undefined>): ScanSourceMeta {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
  const out: ScanSourceMeta = {};
  const set = (key: keyof ScanSourceMeta, value: string | undefined) => {
    if (value) out[key] = value;
  };
  if (env.GITHUB_ACTIONS === "true" || env.GITHUB_REPOSITORY) {
    set("repository", pick("GITHUB_REPOSITORY"));
    set("commit", pick("GITHUB_SHA"));
    set("branch", pick("GITHUB_HEAD_REF", "GITHUB_REF_NAME"));
    const server = pick("GITHUB_SERVER_URL") ?? "https://github.com";
    if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
      set(
        "pipelineUrl",
        `${server.replace(/\/+$/, "")}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
      );
    }
    return out;
  }
  if (env.GITLAB_CI === "true" || env.CI_PROJECT_PATH) {
    set("repository", pick("CI_PROJECT_PATH"));
    set("commit", pick("CI_COMMIT_SHA"));
    set("branch", pick("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME"));
    set("pipelineUrl", pick("CI_PIPELINE_URL"));
  }
  return out;
}

/**
 * Raw GET requests to the Kubernetes API with the kubeconfig's transport and credentials applied by
 * @kubernetes/client-node (`applyToHTTPSOptions`: CA, client certificates, bearer tokens, exec and
 * OIDC plugins, proxies). Raw rather than the typed `list*` methods, because a snapshot must carry
 * what the server answered: the typed models rename fields (`from` → `_from`, `continue` → `_continue`),
 * rewrite timestamps, drop fields they do not know, and cannot ask for `PartialObjectMetadataList`.
 */
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { VERSION } from "../version.ts";
import { ClusterUnreachableError, KubeconfigError } from "./errors.ts";

/** Accept header asking for metadata only: the server never sends `data` for such a list. */
export const PARTIAL_METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

export interface KubeResponse {
  status: number;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface KubeClientOptions {
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retries of 429 and 5xx answers (default 2). */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRIED = new Set([429, 500, 502, 503, 504]);
const TLS_CODES =
  /^(ERR_TLS|ERR_SSL|EPROTO|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL|HOSTNAME_MISMATCH)/;

function networkMessage(server: string, err: NodeJS.ErrnoException): string {
  const where = `cannot reach the Kubernetes API server at ${server}`;
  const code = err.code ?? "";
  if (code === "ECONNREFUSED") return `${where}: connection refused`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `${where}: host not found (DNS lookup failed)`;
  if (code === "ETIMEDOUT" || code === "KUBEGUARD_TIMEOUT") return `${where}: timed out`;
  if (code === "ECONNRESET") return `${where}: connection reset`;
  if (TLS_CODES.test(code)) {
    return `${where}: TLS handshake failed (${err.message}); check certificate-authority in the kubeconfig`;
  }
  return `${where}: ${err.message}`;
}

/** The message of a Kubernetes `Status` body, when there is one. */
export function statusMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string")
    return body.message;
  return undefined;
}

/** GET requests against one API server, authenticated as the kubeconfig's current context. */
export class KubeClient {
  readonly server: string;
  readonly #kc: KubeConfig;
  readonly #context: string;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(kc: KubeConfig, server: string, context: string, opts: KubeClientOptions = {}) {
    this.#kc = kc;
    this.server = server;
    this.#context = context;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#retries = opts.retries ?? 2;
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * GET a path. 429 and 5xx are retried with backoff; 401 throws ClusterUnreachableError; any other
   * status is returned for the caller to interpret (404 not served, 403 forbidden, …).
   *
   * @throws ClusterUnreachableError on a network or TLS failure, a timeout, or 401.
   */
  async get(
    path: string,
    query: Record<string, string | undefined> = {},
    accept = "application/json",
  ): Promise<KubeResponse> {
    const url = new URL(`${this.server}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      const res = await this.#once(url, accept);
      if (res.status === 401) {
        throw new ClusterUnreachableError(
          `authentication to the Kubernetes API server at ${this.server} failed (401 Unauthorized): ` +
            `check the credentials of context "${this.#context}"`,
          this.server,
          { status: 401 },
        );
      }
      if (!RETRIED.has(res.status) || attempt >= this.#retries) return res;
      const retryAfter = Number(res.headers["retry-after"]);
      const delay =
        Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 10) * 1000 : 250 * 2 ** attempt;
      await this.#sleep(delay);
    }
  }

  async #once(url: URL, accept: string): Promise<KubeResponse> {
    const opts: https.RequestOptions = {
      method: "GET",
      headers: { Accept: accept, "User-Agent": `kubeguard/${VERSION}` },
    };
    try {
      await this.#kc.applyToHTTPSOptions(opts);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/HTTP protocol is not allowed/.test(message)) {
        throw new KubeconfigError(
          `the cluster of context "${this.#context}" uses plain http (${this.server}); ` +
            "set insecure-skip-tls-verify: true on it to allow that",
        );
      }
      throw new KubeconfigError(`cannot apply the credentials of context "${this.#context}": ${message}`);
    }
    const transport = url.protocol === "http:" ? http : https;
    return new Promise<KubeResponse>((resolve, reject) => {
      const req = transport.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) =>
          reject(new ClusterUnreachableError(networkMessage(this.server, err), this.server)),
        );
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown;
          try {
            body = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      });
      req.setTimeout(this.#timeoutMs, () => {
        req.destroy(Object.assign(new Error("timed out"), { code: "KUBEGUARD_TIMEOUT" }));
      });
      req.on("error", (err: NodeJS.ErrnoException) =>
        reject(new ClusterUnreachableError(networkMessage(this.server, err), this.server, { cause: err })),
      );
      req.end();
    });
  }
}

/**
 * The two /v1 routes whose credential is not an `Authorization` header:
 * - `POST /v1/hooks/{id}`, a signed inbound hook: authenticated by its HMAC signature in the handler,
 *   so the auth middleware lets it through without a key;
 * - `POST /v1/admission/{token}`, the admission webhook's URL form: the API key is the last path
 *   segment (an API server's webhook client is easiest to configure with a URL) and is verified
 *   exactly like a bearer key. The path is a secret then: {@link redactPath} keeps it out of logs and
 *   problem documents.
 */

const SIGNED_HOOK = /^\/v1\/hooks\/[^/]+\/?$/;
const ADMISSION_TOKEN = /^\/v1\/admission\/([^/]+)\/?$/;
/** Sub-paths of /v1/admission that are routes of their own, not tokens. */
const ADMISSION_ROUTES = new Set(["decisions", "config"]);

export type PathCredential = { kind: "signature" } | { kind: "token"; token: string };

/**
 * How a request authenticates when not by its `Authorization` header; undefined for every other route.
 * @example pathCredential("POST", "/v1/admission/kg_…") // { kind: "token", token: "kg_…" }
 */
export function pathCredential(method: string, path: string): PathCredential | undefined {
  if (method !== "POST") return undefined;
  if (SIGNED_HOOK.test(path)) return { kind: "signature" };
  const token = ADMISSION_TOKEN.exec(path)?.[1];
  if (token && !ADMISSION_ROUTES.has(token)) return { kind: "token", token };
  return undefined;
}

/**
 * A path safe to log or echo: the segment after `/v1/admission/` (unless it names one of its routes),
 * and anything shaped like an API key anywhere, become `<redacted>`.
 * @example redactPath("/v1/admission/kg_abc") // "/v1/admission/<redacted>"
 */
export function redactPath(path: string): string {
  return path
    .replace(/^(\/v1\/admission\/)([^/]+)/, (whole, head: string, segment: string) =>
      ADMISSION_ROUTES.has(segment) ? whole : `${head}<redacted>`,
    )
    .replace(/kg_[A-Za-z0-9]+/g, "<redacted>");
}

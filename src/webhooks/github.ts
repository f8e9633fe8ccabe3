/**
 * GitHub-style webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, the
 * form GitHub, Gitea, Forgejo and many CI systems send.
 *
 * The key: an inbound hook has one secret, in the Standard Webhooks form `whsec_<base64>`. For the
 * GitHub style the HMAC key is that whole secret string as UTF-8, `whsec_` included, NOT the decoded
 * bytes: a GitHub user pastes the secret string into GitHub's webhook form, and GitHub keys the HMAC
 * with exactly the text it was given. One secret therefore works for both schemes.
 *
 * There is no timestamp or message id in this scheme, so a captured request can be replayed at any
 * time. The route should dedupe what it can (the body's SHA-256 per hook, or `X-GitHub-Delivery`, which
 * is not signed) and rely on scans being idempotent for the rest; prefer the Standard Webhooks scheme
 * where the sender supports it.
 */
import { type BytesLike, bytesToHex, hexToBytes, hmacSha256, timingSafeEqualBytes } from "../auth/bytes.ts";

/** The header GitHub sends the SHA-256 signature in (lowercase, as `Headers.get` takes it). */
export const GITHUB_SIGNATURE_HEADER = "x-hub-signature-256";

export type GithubVerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * The `X-Hub-Signature-256` value for a body: `sha256=` + lowercase hex HMAC-SHA256, keyed with the
 * secret string as UTF-8.
 *
 * @example
 * await signGithub("It's a Secret to Everybody", "Hello, World!");
 * // "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
 */
export async function signGithub(secret: string, body: BytesLike): Promise<string> {
  return `sha256=${bytesToHex(await hmacSha256(secret, body))}`;
}

/**
 * Verifies an `X-Hub-Signature-256` header against the body, in constant time. The header must be
 * `sha256=` and 64 hex digits (either case); the SHA-1 `X-Hub-Signature` is not accepted.
 *
 * @example
 * const v = await verifyGithub(hook.secret, c.req.header("x-hub-signature-256"), await c.req.arrayBuffer());
 * if (!v.ok) return problem(401, v.reason);
 */
export async function verifyGithub(
  secret: string,
  header: string | null | undefined,
  body: BytesLike,
): Promise<GithubVerifyResult> {
  if (!secret) throw new TypeError("webhook secret is empty");
  if (!header) return { ok: false, reason: "missing X-Hub-Signature-256 header" };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  const given = m?.[1] === undefined ? undefined : hexToBytes(m[1]);
  if (!given) return { ok: false, reason: "X-Hub-Signature-256 is not sha256=<64 hex digits>" };
  const expected = await hmacSha256(secret, body);
  if (!timingSafeEqualBytes(given, expected))
    return { ok: false, reason: "X-Hub-Signature-256 does not match" };
  return { ok: true };
}

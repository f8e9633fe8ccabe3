/**
 * API key and platform token helpers: pure and WebCrypto-only, for the API's auth middleware and the
 * store. The formats are exactly those of `api_keys` in src/store/schema.ts and of
 * src/store/api-keys.ts (same generation, prefix and hash, checked key for key), so the store can
 * import these instead of keeping its own.
 *
 * Key format: `kg_` followed by 40 characters of [A-Za-z0-9] (about 238 bits of entropy). Accepted
 * format: `kg_` and at least 32 such characters. Stored: the lookup prefix (`kg_` and the next 8
 * characters, 11 in all, as the schema's `prefix` column says) and the lowercase hex SHA-256 of the whole
 * key. A key is authenticated by looking the prefix up and comparing the hash of the presented key
 * with `timingSafeEqualHex`. A fast hash is right here: the keys are long and random, so there is
 * nothing to brute-force that a slow password hash would protect.
 *
 * Scopes (issue 5): `admin` (keys, settings, webhooks, audit), `scan` (create and read scans,
 * evaluate), `read` (read only), `admission` (the admission endpoint only). Decided: `admin` ⊇ `scan`
 * ⊇ `read`, so a tenant's admin key can do everything in the tenant's API; `admission` is separate in
 * both directions: an admission key reads nothing, and no other key is accepted by the admission
 * endpoint, because that key is written into cluster configuration (a `ValidatingWebhookConfiguration`
 * URL) where it is far more exposed than a CI secret, so it must be worth as little as possible and
 * nobody should be tempted to paste an admin key there.
 */
import { bytesToHex, sha256, timingSafeEqualString } from "./bytes.ts";

/** Every API key starts with this. */
export const API_KEY_PREFIX = "kg_";

/** Random characters in a generated key. */
export const API_KEY_RANDOM_LENGTH = 40;

/** Length of the stored lookup prefix: `kg_` and 8 characters, as `api_keys.prefix` in src/store/schema.ts. */
export const API_KEY_LOOKUP_PREFIX_LENGTH = 11;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** The largest multiple of 62 that fits a byte: bytes at or above it are dropped, so no modulo bias. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A new API key: `kg_` and 40 characters of [A-Za-z0-9] from `crypto.getRandomValues`, by rejection
 * sampling (bytes ≥ 248 are discarded), so every character is equally likely.
 *
 * @example
 * const key = generateApiKey(); // "kg_4fQ0…" (43 characters)
 */
export function generateApiKey(): string {
  let out = API_KEY_PREFIX;
  const target = API_KEY_PREFIX.length + API_KEY_RANDOM_LENGTH;
  while (out.length < target) {
    for (const b of crypto.getRandomValues(new Uint8Array(64))) {
      if (b >= UNBIASED_LIMIT) continue;
      out += ALPHABET.charAt(b % ALPHABET.length);
      if (out.length === target) break;
    }
  }
  return out;
}

const KEY_FORMAT = /^kg_[A-Za-z0-9]{32,}$/;

/**
 * Whether a string has the shape of an API key (`kg_` and at least 32 of [A-Za-z0-9]). Checked before
 * any database lookup, so junk never reaches the store.
 *
 * @example
 * isApiKeyFormat(generateApiKey()); // true
 * isApiKeyFormat("kg_short"); // false
 */
export function isApiKeyFormat(s: string): boolean {
  return KEY_FORMAT.test(s);
}

/**
 * The lookup and display prefix of a key: its first 11 characters (`kg_` and 8), the value of
 * `api_keys.prefix`.
 *
 * @example
 * keyPrefix("kg_AbCdEfGh1234567890123456789012345678"); // "kg_AbCdEfGh"
 */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_LOOKUP_PREFIX_LENGTH);
}

/**
 * Lowercase hex SHA-256 of the whole key (UTF-8), the value of `api_keys.hash`.
 *
 * @example
 * await hashApiKey("kg_…"); // 64 hex characters
 */
export async function hashApiKey(key: string): Promise<string> {
  return bytesToHex(await sha256(key));
}

/**
 * Constant-time comparison of two hex digests (or any two strings). False on a length mismatch, but
 * the loop still runs over all of `expected`, so the content never causes an early exit. Case
 * sensitive: both sides come from `hashApiKey`, which is lowercase.
 *
 * @example
 * timingSafeEqualHex(await hashApiKey(presented), row.hash);
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  return timingSafeEqualString(a, b);
}

export const SCOPES = ["admin", "scan", "read", "admission"] as const;
export type Scope = (typeof SCOPES)[number];

/** What holding a scope grants: admin ⊇ scan ⊇ read; admission stands alone. */
export const SCOPE_GRANTS: Readonly<Record<Scope, readonly Scope[]>> = {
  admin: ["admin", "scan", "read"],
  scan: ["scan", "read"],
  read: ["read"],
  admission: ["admission"],
};

/**
 * Whether a string is a scope name.
 *
 * @example
 * isScope("scan"); // true
 * isScope("write"); // false
 */
export function isScope(s: unknown): s is Scope {
  return typeof s === "string" && (SCOPES as readonly string[]).includes(s);
}

/**
 * Whether a key with `scopes` may do something that needs `needed`. Unknown scope names (say, from a
 * newer version's rows) grant nothing.
 *
 * @example
 * scopeAllows(["admin"], "read"); // true
 * scopeAllows(["read"], "scan"); // false
 * scopeAllows(["admin"], "admission"); // false: admission keys are separate
 */
export function scopeAllows(scopes: readonly string[], needed: Scope): boolean {
  return scopes.some((s) => isScope(s) && SCOPE_GRANTS[s].includes(needed));
}

/**
 * Whether the token given to an admin route equals the configured platform token
 * (`KUBEGUARD_PLATFORM_TOKEN`), in constant time. Always false when no token is configured (the admin
 * API is off) or none is given.
 *
 * @example
 * platformTokenMatches(bearerToken(c.req.header("authorization")), env.KUBEGUARD_PLATFORM_TOKEN);
 */
export function platformTokenMatches(
  given: string | null | undefined,
  configured: string | null | undefined,
): boolean {
  if (!configured || given === null || given === undefined) return false;
  return timingSafeEqualString(given, configured);
}

/**
 * The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or `undefined`.
 *
 * @example
 * bearerToken("Bearer kg_abc"); // "kg_abc"
 * bearerToken("Basic dXNlcg=="); // undefined
 */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const m = /^Bearer +([^\s]+) *$/i.exec(authorization ?? "");
  return m?.[1];
}

/**
 * Small Web Crypto helpers that run unchanged on Node and in workerd: random identifiers, SHA-256 and a
 * constant-time comparison.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * `length` characters drawn uniformly from [0-9A-Za-z] by rejection sampling (no modulo bias).
 * @example randomBase62(20) // "4fQ0v…"
 */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    // 248 = 4 × 62: bytes at or above it would favour the first characters.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

// Random bytes are drawn from `crypto.getRandomValues` a pool at a time: one call per request id was a
// measurable share of a fast request (the admission webhook), and every byte is still used only once.
const POOL = new Uint8Array(4096);
let poolAt = POOL.length;

function randomByte(): number {
  if (poolAt === POOL.length) {
    crypto.getRandomValues(POOL);
    poolAt = 0;
  }
  return POOL[poolAt++] as number;
}

/** A new identifier such as `scn_3hX…` (prefix, underscore, 20 base62 characters: 119 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(20)}`;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function toHex(bytes: ArrayBuffer): string {
  let out = "";
  for (const b of new Uint8Array(bytes)) out += HEX[b];
  return out;
}

/** Lowercase hex SHA-256 of a string (UTF-8) or of bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/**
 * Compares two strings in time that depends only on their length, so a caller cannot learn a stored
 * hash byte by byte. Both sides are fixed-length hex digests here, so the length leaks nothing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

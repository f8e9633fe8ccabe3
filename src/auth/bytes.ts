/**
 * Byte helpers shared by the auth and webhook modules: UTF-8, base64 and hex conversions, SHA-256 and
 * HMAC-SHA256 through WebCrypto, and constant-time comparisons. Web-standard APIs only (TextEncoder,
 * atob/btoa, crypto.subtle), so the same code runs on Node 20 and in workerd.
 *
 * "Constant time" in JavaScript is best effort: the comparison loops below touch every byte of the
 * expected value and never branch on content, so their running time depends only on the length of the
 * expected value, but a JIT gives no formal guarantee. WebCrypto has no `timingSafeEqual`, and this is
 * what the standard-webhooks and svix libraries do on the Web platform too.
 */

const encoder = new TextEncoder();

/** Anything that can be signed or hashed: a string (encoded as UTF-8) or raw bytes. */
export type BytesLike = string | Uint8Array | ArrayBuffer;

/**
 * The bytes of a string (UTF-8) or of a buffer, without copying when the buffer is already an
 * `ArrayBuffer`-backed view.
 *
 * @example
 * toBytes("é"); // Uint8Array [0xc3, 0xa9]
 */
export function toBytes(input: BytesLike): Uint8Array<ArrayBuffer> {
  // TextEncoder always returns a fresh ArrayBuffer-backed array (workers-types types it loosely).
  if (typeof input === "string") return encoder.encode(input) as Uint8Array<ArrayBuffer>;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (input.buffer instanceof ArrayBuffer)
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}

/**
 * Concatenates byte arrays.
 *
 * @example
 * concatBytes(toBytes("a."), toBytes("b")); // the bytes of "a.b"
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Standard base64 (RFC 4648 §4, with padding).
 *
 * @example
 * bytesToBase64(new Uint8Array([1, 2, 3])); // "AQID"
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Groups of four, then an optional final group of two or three characters, padded or not. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Decodes standard base64 (padding optional); `undefined` when the input is not base64. Stricter than
 * `atob`, which also skips whitespace.
 *
 * @example
 * base64ToBytes("AQID"); // Uint8Array [1, 2, 3]
 * base64ToBytes("not base64!"); // undefined
 */
export function base64ToBytes(input: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64.test(input)) return undefined;
  let binary: string;
  try {
    binary = atob(input);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Lowercase hex.
 *
 * @example
 * bytesToHex(new Uint8Array([0, 255])); // "00ff"
 */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * Decodes hex (either case); `undefined` when the input is not an even number of hex digits.
 *
 * @example
 * hexToBytes("00ff"); // Uint8Array [0, 255]
 */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * SHA-256 of the input (strings as UTF-8).
 *
 * @example
 * bytesToHex(await sha256("abc")); // "ba7816bf…15ad"
 */
export async function sha256(input: BytesLike): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", toBytes(input)));
}

/**
 * HMAC-SHA256 of `message` under `key` (strings as UTF-8).
 *
 * @example
 * bytesToHex(await hmacSha256("key", "The quick brown fox jumps over the lazy dog"));
 * // "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
 */
export async function hmacSha256(key: BytesLike, message: BytesLike): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    toBytes(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, toBytes(message)));
}

/**
 * Constant-time equality of two byte arrays. The loop always runs over the whole of `expected` and
 * folds a length difference into the result, so neither content nor where `given` first differs
 * changes the running time. Put the secret or the computed value in `expected`.
 *
 * @example
 * timingSafeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 * timingSafeEqualBytes(new Uint8Array([1]), new Uint8Array([1, 2])); // false
 */
export function timingSafeEqualBytes(given: Uint8Array, expected: Uint8Array): boolean {
  const n = given.length;
  let diff = n ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    diff |= (n === 0 ? 0 : given[i % n]!) ^ expected[i]!;
  }
  return diff === 0;
}

/**
 * Constant-time equality of two strings, compared as UTF-8 bytes (see `timingSafeEqualBytes`).
 *
 * @example
 * timingSafeEqualString("v1,abc", "v1,abc"); // true
 */
export function timingSafeEqualString(given: string, expected: string): boolean {
  return timingSafeEqualBytes(encoder.encode(given), encoder.encode(expected));
}

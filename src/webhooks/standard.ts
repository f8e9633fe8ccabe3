/**
 * Standard Webhooks (https://www.standardwebhooks.com/, the scheme Svix publishes): secrets, signing
 * and verification. Used both ways: inbound hooks (`POST /v1/hooks/{id}`) verify, outbound deliveries
 * sign.
 *
 * - Secret: `whsec_` + base64 of the key bytes; the HMAC key is the base64-decoded part (24 to 64
 *   bytes, as the spec recommends). Generated secrets have 32 bytes.
 * - Signed content: `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256, base64;
 *   header `webhook-signature: v1,<sig>`, possibly several space-separated entries (key rotation):
 *   any `v1` entry that matches passes, other versions (`v1a` asymmetric) are ignored.
 * - `webhook-timestamp`: integer seconds since the epoch; more than `toleranceSeconds` (5 minutes)
 *   away from `now`, in either direction, is refused.
 * - A verified result returns the `webhook-id`: the caller dedupes on it (a replayed id must not create
 *   a second scan); keeping ids for the tolerance window plus some margin is enough, because older
 *   replays fail the timestamp check.
 *
 * Sign and verify over the raw request bytes where possible (`await c.req.arrayBuffer()`): any
 * re-encoding of the body breaks the signature.
 */
import {
  type BytesLike,
  base64ToBytes,
  bytesToBase64,
  concatBytes,
  hmacSha256,
  timingSafeEqualString,
  toBytes,
} from "../auth/bytes.ts";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
/** Key bytes of a generated secret. */
export const WEBHOOK_SECRET_BYTES = 32;
/** Default clock tolerance of `verifyStandard`, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Longest `webhook-id` accepted: the id is stored for dedupe, so it must be bounded. */
const MAX_ID_LENGTH = 256;
const ID_FORMAT = /^[\x21-\x2d\x2f-\x7e]+$/; // printable ASCII without space and "."

/** Header names of the Standard Webhooks scheme (lowercase). */
export interface StandardWebhookHeaders {
  "webhook-id"?: string | null;
  "webhook-timestamp"?: string | null;
  "webhook-signature"?: string | null;
}

/** Where `verifyStandard` reads headers from: a `Headers` object (Hono's `c.req.raw.headers`) or a plain record. */
export type HeaderSource = Headers | StandardWebhookHeaders | Record<string, string | null | undefined>;

export type StandardVerifyResult =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: string; id?: string };

/**
 * A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
 *
 * @example
 * generateWebhookSecret(); // "whsec_3q2+7w…=" (50 characters)
 */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(WEBHOOK_SECRET_BYTES)));
}

/**
 * The HMAC key bytes of a secret: the base64 after `whsec_` (a bare base64 secret is accepted too, as
 * the reference libraries do). Throws a `TypeError` when the secret is not base64 or the key is not
 * 24 to 64 bytes: a bad secret is the server's fault, never the sender's.
 *
 * @example
 * decodeWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").length; // 24
 */
export function decodeWebhookSecret(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  const key = base64ToBytes(encoded);
  if (!key) throw new TypeError("webhook secret is not whsec_<base64>");
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new TypeError(
      `webhook secret key must be ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}

/** Signs the header values exactly as sent (the timestamp as its header text). */
async function signature(key: Uint8Array, id: string, timestamp: string, body: BytesLike): Promise<string> {
  const content = concatBytes(toBytes(`${id}.${timestamp}.`), toBytes(body));
  return bytesToBase64(await hmacSha256(key, content));
}

/**
 * The `webhook-signature` value for a message: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 * Throws a `TypeError` for a bad secret or an id with "." or whitespace (it would make the signed
 * content ambiguous), a `RangeError` for a timestamp that is not whole seconds.
 *
 * @example
 * await signStandard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", {
 *   id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
 *   timestamp: 1614265330,
 *   body: '{"test": 2432232314}',
 * }); // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 */
export async function signStandard(
  secret: string,
  message: { id: string; timestamp: number; body: BytesLike },
): Promise<string> {
  const key = decodeWebhookSecret(secret);
  if (!isValidId(message.id))
    throw new TypeError("webhook id must be 1-256 printable characters without '.'");
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    throw new RangeError("webhook timestamp must be whole seconds since the epoch");
  }
  return `v1,${await signature(key, message.id, String(message.timestamp), message.body)}`;
}

function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH && ID_FORMAT.test(id);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | null | undefined>;
  const exact = record[name];
  if (exact !== undefined && exact !== null) return exact;
  for (const [k, v] of Object.entries(record)) {
    if (k.toLowerCase() === name && v !== undefined && v !== null) return v;
  }
  return undefined;
}

/**
 * Verifies a Standard Webhooks request. Refused: a missing header, a `webhook-id` that is not 1-256
 * printable characters without ".", a timestamp that is not an integer, a timestamp more than
 * `toleranceSeconds` older or newer than `now`, and a signature header with no matching `v1` entry
 * (compared in constant time). On success the `webhook-id` is returned for the caller's replay
 * dedupe. Never throws for anything the sender controls; throws a `TypeError` for a bad secret.
 *
 * @example
 * const v = await verifyStandard(hook.secret, c.req.raw.headers, await c.req.arrayBuffer(), new Date());
 * if (!v.ok) return problem(401, v.reason);
 * if (await store.seenHookMessage(hook.id, v.id)) return c.json(previous, 200);
 */
export async function verifyStandard(
  secret: string,
  headers: HeaderSource,
  body: BytesLike,
  now: Date,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): Promise<StandardVerifyResult> {
  const key = decodeWebhookSecret(secret);
  const id = readHeader(headers, "webhook-id");
  const ts = readHeader(headers, "webhook-timestamp");
  const sig = readHeader(headers, "webhook-signature");
  if (!id) return { ok: false, reason: "missing webhook-id header" };
  if (!ts) return { ok: false, reason: "missing webhook-timestamp header", id };
  if (!sig) return { ok: false, reason: "missing webhook-signature header", id };
  if (!isValidId(id)) return { ok: false, reason: "invalid webhook-id header" };

  if (!/^[0-9]{1,15}$/.test(ts)) {
    return { ok: false, reason: "webhook-timestamp is not an integer number of seconds", id };
  }
  const timestamp = Number(ts);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (timestamp < nowSeconds - toleranceSeconds)
    return { ok: false, reason: "webhook-timestamp is too old", id };
  if (timestamp > nowSeconds + toleranceSeconds) {
    return { ok: false, reason: "webhook-timestamp is too far in the future", id };
  }

  const expected = await signature(key, id, ts, body);
  let matched = false;
  for (const entry of sig.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    // No early exit: every v1 entry is compared, so the position of a match does not show.
    if (timingSafeEqualString(entry.slice(comma + 1), expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: "no matching webhook-signature", id };
  return { ok: true, id, timestamp };
}

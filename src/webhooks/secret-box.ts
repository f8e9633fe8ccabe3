/**
 * Webhook secrets at rest. Inbound hook and outbound endpoint secrets must be usable later (HMAC needs
 * the secret itself, a hash would not do), so they are stored, never returned after creation and never
 * logged. With `KUBEGUARD_SECRET_KEY` configured they are stored encrypted with AES-256-GCM under a key
 * derived from it (SHA-256 of the configured text), with the row's identity as additional data so a
 * sealed value copied to another row does not open; without it they are stored as given.
 *
 * Stored forms: `enc:v1:<base64 12-byte IV>:<base64 ciphertext and tag>`, or the secret in clear
 * (`whsec_…`). Rows written before a key was configured keep working; rows sealed under a key cannot
 * be opened without it (rotate by re-creating the hooks and endpoints).
 */
import { base64ToBytes, bytesToBase64, sha256, toBytes } from "../auth/bytes.ts";

const SEALED_PREFIX = "enc:v1:";

/** Shortest `KUBEGUARD_SECRET_KEY` accepted, in characters. */
export const MIN_SECRET_KEY_LENGTH = 32;

const keys = new Map<string, Promise<CryptoKey>>();

function aesKey(secretKey: string): Promise<CryptoKey> {
  let key = keys.get(secretKey);
  if (!key) {
    key = sha256(secretKey).then((raw) =>
      crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]),
    );
    keys.set(secretKey, key);
  }
  return key;
}

/**
 * The stored form of a secret: sealed when a key is configured, else the secret itself.
 * @example await sealSecret("whsec_…", "hook:hk_1", config.secretKey) // "enc:v1:…"
 */
export async function sealSecret(secret: string, context: string, secretKey?: string): Promise<string> {
  if (!secretKey) return secret;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: toBytes(context) },
    await aesKey(secretKey),
    toBytes(secret),
  );
  return `${SEALED_PREFIX}${bytesToBase64(iv)}:${bytesToBase64(new Uint8Array(sealed))}`;
}

/** Whether a stored value is sealed. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/**
 * The secret of a stored value. Throws an `Error` (without the value in its message) when it is sealed
 * and no key, or another key, is configured, or when it was sealed for another row.
 */
export async function openSecret(stored: string, context: string, secretKey?: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  if (!secretKey) throw new Error("the secret is encrypted but KUBEGUARD_SECRET_KEY is not configured");
  const [ivText = "", dataText = ""] = stored.slice(SEALED_PREFIX.length).split(":");
  const iv = base64ToBytes(ivText);
  const data = base64ToBytes(dataText);
  if (!iv || !data) throw new Error("the stored secret is corrupt");
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: toBytes(context) },
      await aesKey(secretKey),
      data,
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new Error(
      "the stored secret does not open with KUBEGUARD_SECRET_KEY (another key, or another row)",
    );
  }
}

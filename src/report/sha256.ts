/**
 * CSP source expressions for the HTML report's inline style and script, hashed with the project's
 * synchronous SHA-256 (Web Crypto's digest is async).
 */
import { bytesToBase64 } from "../auth/bytes.ts";
import { sha256BytesSync } from "../auth/sha256-sync.ts";

/** A CSP source expression for inline content: `'sha256-…'`. */
export function cspHash(content: string): string {
  return `'sha256-${bytesToBase64(sha256BytesSync(content))}'`;
}

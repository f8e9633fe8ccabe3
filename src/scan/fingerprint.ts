/**
 * Stable finding fingerprints: resource identity, check and field path — never the line or file, so
 * moving a manifest or adding lines above it does not make a finding "new".
 */
import type { ResourceRef } from "../ingest/types.ts";

/** Two independent 32-bit FNV-1a lanes, so a resource's identity can be hashed once and reused. */
export interface HashState {
  a: number;
  b: number;
}

const SEED: HashState = { a: 0x811c9dc5 | 0, b: 0x050c5d1f | 0 };

// The lanes fold() leaves behind, so the per-finding hash allocates no state object.
let foldedA = 0;
let foldedB = 0;

/** Feeds `text` (and a separator) into the lanes `a`, `b`; the result is in foldedA / foldedB. */
function fold(a0: number, b0: number, text: string): void {
  let a = a0;
  let b = b0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) + (a >>> 15);
  }
  // The separator keeps ("ab","c") and ("a","bc") apart.
  foldedA = Math.imul(a ^ 0x1f, 0x01000193);
  foldedB = Math.imul(b ^ 0x1f, 0x01000193);
}

/** Feed `text` (and a separator) into a hash state; returns the new state. */
export function hashUpdate(state: HashState, text: string): HashState {
  fold(state.a, state.b, text);
  return { a: foldedA, b: foldedB };
}

// Character codes of the 16 hex digits. One digest is built per finding, and `toString(16).padStart`
// was a hot spot; one `String.fromCharCode` call also yields a flat string, not a rope of two halves.
const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** 16 lowercase hex digits of two 32-bit values, as `(n >>> 0).toString(16).padStart(8, "0")` twice. */
function hex64(a: number, b: number): string {
  return String.fromCharCode(
    HEX[(a >>> 28) & 15]!,
    HEX[(a >>> 24) & 15]!,
    HEX[(a >>> 20) & 15]!,
    HEX[(a >>> 16) & 15]!,
    HEX[(a >>> 12) & 15]!,
    HEX[(a >>> 8) & 15]!,
    HEX[(a >>> 4) & 15]!,
    HEX[a & 15]!,
    HEX[(b >>> 28) & 15]!,
    HEX[(b >>> 24) & 15]!,
    HEX[(b >>> 20) & 15]!,
    HEX[(b >>> 16) & 15]!,
    HEX[(b >>> 12) & 15]!,
    HEX[(b >>> 8) & 15]!,
    HEX[(b >>> 4) & 15]!,
    HEX[b & 15]!,
  );
}

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``): versions change, identity does not. */
function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** The hash state of a resource's identity (API group, kind, namespace, name). */
export function resourceHash(resource: ResourceRef): HashState {
  let s = hashUpdate(SEED, apiGroup(resource.apiVersion));
  s = hashUpdate(s, resource.kind);
  s = hashUpdate(s, resource.namespace ?? "");
  return hashUpdate(s, resource.name);
}

/**
 * Fingerprint of a finding: its resource's identity hash, then the check ID, then the field path, as
 * `pathFingerprint(hashUpdate(resourceHash(ref), check), path)`. The first two are passed in hashed, so
 * the engine hashes them once for all the findings of one check on one resource.
 */
export function pathFingerprint(resourceAndCheck: HashState, path: string): string {
  fold(resourceAndCheck.a, resourceAndCheck.b, path);
  return hex64(foldedA, foldedB);
}

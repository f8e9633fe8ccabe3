/**
 * Stable finding fingerprints: check, resource identity and field path — never the line or file,
 * so moving a manifest or adding lines above it does not make a finding "new".
 */
import type { ResourceRef } from "../ingest/types.ts";

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits. Fast, pure and deterministic. */
export function fnv1a64(text: string): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0xcbf29ce4 | 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ (c + 0x9e37), 0x01000193) ^ (h1 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``): versions change, identity does not. */
function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** Fingerprint of a finding. */
export function fingerprint(check: string, resource: ResourceRef, path: string): string {
  return fnv1a64(
    [check, apiGroup(resource.apiVersion), resource.kind, resource.namespace ?? "", resource.name, path].join(
      "\u0000",
    ),
  );
}

/**
 * A short-lived in-memory cache of verified API keys, used only on the admission webhook's hot path
 * (`POST /v1/admission`, `POST /v1/admission/{token}`): the API server calls it for every Pod and pod
 * controller write, with a 5-second budget, and verifying the key in the database was the largest part
 * of its latency. A verified key is remembered for {@link KEY_CACHE_TTL_MS} by the SHA-256 of the
 * presented key (never the key itself); failures are never cached.
 *
 * The price: a key revoked, expired or suspended elsewhere keeps working for admission reviews for up to
 * that long on an instance that verified it just before. `forgetKey` and `forgetTenant` drop entries at
 * once on the instance that makes the change: `DELETE /v1/keys/{id}` and `PATCH`/`DELETE
 * /v1/admin/tenants/{id}` are to call them. Every other route verifies against the database each time.
 */
import { sha256HexSync } from "../auth/sha256-sync.ts";
import type { Store, VerifiedKey } from "../store/index.ts";

/** How long a verified key is trusted without asking the database again. */
export const KEY_CACHE_TTL_MS = 5_000;

/** Entries kept at most (the oldest is dropped first). */
const MAX_ENTRIES = 1_000;

class VerifiedKeyCache {
  private readonly entries = new Map<string, { key: VerifiedKey; until: number }>();

  async verify(store: Store, presented: string, now: Date): Promise<VerifiedKey | undefined> {
    // Synchronous: WebCrypto's digest costs more to dispatch than this hash takes (sha256-sync.ts).
    const digest = sha256HexSync(presented);
    const hit = this.entries.get(digest);
    if (hit && hit.until > now.getTime()) return hit.key;
    if (hit) this.entries.delete(digest);
    const key = await store.apiKeys.verify(presented, now);
    if (key) {
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(digest, { key, until: now.getTime() + KEY_CACHE_TTL_MS });
    }
    return key;
  }

  forget(match: (key: VerifiedKey) => boolean): void {
    for (const [digest, entry] of this.entries) if (match(entry.key)) this.entries.delete(digest);
  }
}

const caches = new WeakMap<Store, VerifiedKeyCache>();

function cacheOf(store: Store): VerifiedKeyCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new VerifiedKeyCache();
    caches.set(store, cache);
  }
  return cache;
}

/**
 * `store.apiKeys.verify`, answered from the cache for up to {@link KEY_CACHE_TTL_MS} after a success.
 * @example const identity = await verifyKeyCached(store, token, clock.now());
 */
export function verifyKeyCached(
  store: Store,
  presented: string,
  now: Date,
): Promise<VerifiedKey | undefined> {
  return cacheOf(store).verify(store, presented, now);
}

/** Drops a key from the cache (after revoking it). */
export function forgetKey(store: Store, keyId: string): void {
  caches.get(store)?.forget((key) => key.keyId === keyId);
}

/** Drops a tenant's keys from the cache (after suspending or deleting it, or changing its limits). */
export function forgetTenant(store: Store, tenantId: string): void {
  caches.get(store)?.forget((key) => key.tenantId === tenantId);
}

/**
 * A `CounterStore` that keeps an instance's counts in memory and writes them to the shared store in
 * batches, so a request costs no database write: at a few thousand requests a second the per-request
 * upsert was a third of the admission webhook's CPU time, and on a remote libSQL server it is a network
 * round trip on every request.
 *
 * Per window it knows how many requests this instance counted (`local`), how many of them the shared
 * store already has (`flushed`), and what the shared store said the other instances had counted at the
 * last write (`others`). A request's count is `others + its own position`, so:
 * - on one instance the counts are exact, as with the write-through store: the limit is never exceeded;
 * - across instances, a count misses what the other instances admitted since this one last wrote, and
 *   that view is never older than `flushMs`: a request that finds it older waits for a write first
 *   (so does the first request of a window). With N instances a limit can be exceeded by at most what
 *   the other N − 1 admit in `flushMs`.
 * Pending counts are written `flushMs` after they start (one statement per window, `add`), again on
 * failure, and by `close()`. Counts written late still land in their window's row, which the
 * scheduled purge removes only after the window is over.
 */
import type { AddingCounterStore, CounterStore } from "./window.ts";

export interface BatchedCounterOptions {
  /** How long counts may stay in memory, and how old the view of other instances may get (ms, > 0). */
  flushMs: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Failed background writes go here (the counts are kept and retried); default: ignored. */
  onError?: (err: unknown) => void;
}

interface Window {
  key: string;
  windowStart: number;
  ttlSeconds: number;
  /** Requests this instance counted in the window. */
  local: number;
  /** How many of them the shared store has. */
  flushed: number;
  /** The shared count minus ours, as of the last write. */
  others: number;
  /** When the last write answered (ms); -Infinity before the first. */
  syncedAt: number;
  /** The write in flight, if any. */
  syncing?: Promise<void>;
}

export class BatchedCounterStore implements CounterStore {
  private readonly windows = new Map<string, Window>();
  private readonly flushMs: number;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly inner: AddingCounterStore,
    options: BatchedCounterOptions,
  ) {
    if (!(options.flushMs > 0)) throw new RangeError("flushMs must be positive");
    this.flushMs = options.flushMs;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => {});
  }

  /**
   * Counts one request and returns its count in the window.
   * @example await new BatchedCounterStore(store.counters, { flushMs: 100 }).increment("req:key_1", 0, 60) // 1
   */
  async increment(key: string, windowStart: number, ttlSeconds: number): Promise<number> {
    if (this.closed) return this.inner.increment(key, windowStart, ttlSeconds);
    const id = `${windowStart} ${key}`;
    let w = this.windows.get(id);
    if (!w) {
      w = { key, windowStart, ttlSeconds, local: 0, flushed: 0, others: 0, syncedAt: -Infinity };
      this.windows.set(id, w);
    }
    w.local++;
    const mine = w.local;
    if (this.now() - w.syncedAt >= this.flushMs) {
      // Too old a view of the other instances (or none yet): write and read before answering.
      try {
        await (w.syncing ?? this.sync(w));
      } catch (err) {
        this.schedule(); // the counts stay pending; the timer retries them
        throw err;
      }
    }
    if (w.local > w.flushed) this.schedule();
    return w.others + mine;
  }

  /** Writes every pending count now (the timer does this `flushMs` after counts start waiting). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const writes: Promise<void>[] = [];
    for (const w of this.windows.values()) {
      if (!w.syncing && w.local === w.flushed) continue;
      // After a write in flight, what counted meanwhile is still pending: write that too.
      const before = w.syncing ? w.syncing.catch(() => {}) : Promise.resolve();
      writes.push(
        before
          .then(() => (w.local > w.flushed ? (w.syncing ?? this.sync(w)) : undefined))
          .catch(this.onError),
      );
    }
    await Promise.all(writes);
    const now = this.now();
    let pending = false;
    for (const [id, w] of this.windows) {
      if (w.local > w.flushed) pending = true;
      else if (!w.syncing && w.windowStart + w.ttlSeconds * 1000 <= now) this.windows.delete(id);
    }
    if (pending && !this.closed) this.schedule();
  }

  /** Writes what is pending; later increments go straight to the shared store. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Windows held in memory (for tests). */
  get size(): number {
    return this.windows.size;
  }

  private sync(w: Window): Promise<void> {
    const sent = w.local;
    const amount = sent - w.flushed;
    // The view is as old as the moment the write left, not the moment it answered.
    const sentAt = this.now();
    const write = this.inner
      .add(w.key, w.windowStart, w.ttlSeconds, amount)
      .then((count) => {
        w.flushed = sent;
        w.others = count - sent;
        w.syncedAt = sentAt;
      })
      .finally(() => {
        w.syncing = undefined;
      });
    w.syncing = write;
    return write;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.onError);
    }, this.flushMs);
    // A timer must not keep a Node process alive; close() writes what is left.
    (this.timer as { unref?: () => void }).unref?.();
  }
}

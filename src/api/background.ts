/**
 * Work after the response on runtimes without `waitUntil` (the Node server): tasks are tracked so that a
 * graceful shutdown can wait for in-flight webhook deliveries and decision inserts, briefly.
 */

/** A set of running background tasks. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks a task until it settles; its failure is the caller's to log (the app guards every task). */
  add = (task: Promise<unknown>): void => {
    const tracked = task.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
  };

  /** Tasks still running. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Waits until every task settled or `timeoutMs` passed; returns how many were still running then.
   * @example await background.drain(5000);
   */
  async drain(timeoutMs: number): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const settle = async () => {
      while (this.running.size > 0) await Promise.all(this.running);
    };
    await Promise.race([settle(), timeout]);
    if (timer !== undefined) clearTimeout(timer);
    return this.running.size;
  }
}

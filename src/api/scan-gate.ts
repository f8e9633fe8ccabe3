/**
 * A first-in, first-out gate for the scan engine. A scan is synchronous CPU work (milliseconds for a
 * chart, far more for a 10 MB upload); without a gate every request whose body is complete scans in the
 * same event-loop turn. Through the gate, scans run one at a time in arrival order and the event loop
 * turns (I/O is polled) between two scans. It orders work; it cannot add CPU.
 */

type Defer = (fn: () => void) => void;

/** The next event-loop turn after I/O: setImmediate on Node (and workerd with nodejs_compat). */
const nextTurn: Defer =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === "function"
    ? (fn) => (globalThis as unknown as { setImmediate(fn: () => void): void }).setImmediate(fn)
    : (fn) => setTimeout(fn, 0);

/** Runs functions at most `limit` at a time, in the order they asked. */
export class ScanGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit = 1) {}

  /**
   * Runs `fn` when a slot is free.
   * @example const report = await gate.run(() => scanInputs(request));
   */
  async run<T>(fn: () => T): Promise<T> {
    await this.acquire();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes to the next waiter on the next turn, after pending I/O has been read.
    if (next) nextTurn(next);
    else this.running--;
  }
}

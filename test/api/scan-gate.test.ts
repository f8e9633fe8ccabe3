/**
 * The scan gate: one scan at a time, in arrival order, with the event loop turning between two scans.
 */
import { describe, expect, it } from "vitest";
import { ScanGate } from "../../src/api/scan-gate.ts";

describe("ScanGate", () => {
  it("runs one function at a time in the order they asked", async () => {
    const gate = new ScanGate(1);
    const order: string[] = [];
    let active = 0;
    const job = (name: string) =>
      gate.run(() => {
        active++;
        expect(active).toBe(1);
        order.push(name);
        active--;
        return name;
      });
    const results = await Promise.all(["a", "b", "c", "d"].map(job));
    expect(results).toEqual(["a", "b", "c", "d"]);
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(gate.queued).toBe(0);
  });

  it("lets timers and I/O callbacks run between two queued scans", async () => {
    const gate = new ScanGate(1);
    const events: string[] = [];
    const first = gate.run(() => {
      // Queued while the first scan runs: must fire before the second scan starts.
      setImmediate(() => events.push("io"));
      events.push("scan 1");
    });
    const second = gate.run(() => events.push("scan 2"));
    await Promise.all([first, second]);
    expect(events).toEqual(["scan 1", "io", "scan 2"]);
  });

  it("frees the slot when a function throws", async () => {
    const gate = new ScanGate(1);
    await expect(
      gate.run(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await gate.run(() => 42)).toBe(42);
  });
});

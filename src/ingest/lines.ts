/**
 * Line index of one input text: offsets to 1-based line and column, built once on first use.
 * Columns count UTF-16 code units, as the `yaml` package's LineCounter does.
 */
import type { Position } from "./types.ts";

/** Maps offsets of one text to positions. Lines end at `\n`; a `\r` before it belongs to the line. */
export class LineIndex {
  private starts: Int32Array | undefined;
  private count = 0;

  constructor(private readonly text: string) {}

  private build(): Int32Array {
    const text = this.text;
    let starts = new Int32Array(Math.max(16, (text.length >> 5) + 16));
    let n = 1;
    let i = text.indexOf("\n");
    while (i !== -1) {
      if (n === starts.length) {
        const bigger = new Int32Array(starts.length * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[n++] = i + 1;
      i = text.indexOf("\n", i + 1);
    }
    this.count = n;
    this.starts = starts;
    return starts;
  }

  /** Number of lines (a trailing newline opens one more, empty line, as editors show it). */
  get lineCount(): number {
    if (!this.starts) this.build();
    return this.count;
  }

  /** Position of an offset; offsets outside the text are clamped, so the line is never 0. */
  position(offset: number): Position {
    const starts = this.starts ?? this.build();
    const off = Math.max(0, Math.min(offset, this.text.length)) || 0;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - starts[lo]! + 1 };
  }
}

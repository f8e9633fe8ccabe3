/** The `json` report: the scan report itself, the CLI's and the API's `schemaVersion: 1` document. */
import type { ScanReport } from "../scan/types.ts";

/**
 * The report as JSON with a 2-space indent and a final newline. Keys keep the object's order, so the
 * same report always renders to the same bytes.
 */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `JSON.stringify(value, null, 2)` as it would appear one level deep. */
function nested(value: unknown): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", "\n  ");
}

// Small enough that each batch's text stays below V8's large-object size and dies young: 256-element
// batches (~240 KB strings) went straight to the old generation and raised the CLI's peak RSS by ~20 MB.
const BATCH = 64;
/** Elements of a top-level array, `BATCH` at a time, with the indentation they have in the whole document. */
function* arrayBody(items: unknown[]): Generator<string> {
  for (let i = 0; i < items.length; i += BATCH) {
    // Stringifying inside a one-key wrapper gives the elements their depth-2 indent for free.
    const text = JSON.stringify({ k: items.slice(i, i + BATCH) }, null, 2);
    // Separator and body go out as two pieces: joined, the body would be copied once more to flatten it.
    yield i === 0 ? "\n" : ",\n";
    yield text.slice('{\n  "k": [\n'.length, text.length - "\n  ]\n}".length);
  }
}

/**
 * The same bytes as {@link renderJson}, in pieces: one per top-level key and one per batch of array
 * elements, so a large report is written without ever holding the whole document as one string.
 */
export function* renderJsonChunks(report: ScanReport): Generator<string> {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  yield "{";
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    const sep = i < entries.length - 1 ? "," : "";
    if (Array.isArray(value) && value.length > 0) {
      yield `\n  ${JSON.stringify(key)}: [`;
      yield* arrayBody(value);
      yield `\n  ]${sep}`;
    } else {
      yield `\n  ${JSON.stringify(key)}: ${nested(value)}${sep}`;
    }
  }
  yield entries.length ? "\n}\n" : "}\n";
}

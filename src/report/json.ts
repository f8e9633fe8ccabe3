/** The `json` report: the scan report itself, the CLI's and the API's `schemaVersion: 1` document. */
import type { ScanReport } from "../scan/types.ts";

/**
 * The report as JSON with a 2-space indent and a final newline. Keys keep the object's order, so the
 * same report always renders to the same bytes.
 */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Stored objects → their JSON representation on the wire.
 */
import type { StoredScan } from "../store/index.ts";

/** The `Scan` representation. */
export function presentScan(scan: StoredScan) {
  return {
    id: scan.id,
    createdAt: scan.createdAt.toISOString(),
    completedAt: scan.completedAt.toISOString(),
    tool: { name: "kubeguard" as const, version: scan.toolVersion },
    options: scan.options,
    source: scan.source,
    summary: scan.summary,
    frameworks: scan.frameworks,
    verdict: scan.verdict,
    ...(scan.settings !== undefined ? { settings: scan.settings } : {}),
  };
}

/** Path of a scan, for `Location` and links. */
export function scanPath(id: string): string {
  return `/v1/scans/${encodeURIComponent(id)}`;
}

/**
 * `kind: ClusterSnapshot` (`apiVersion: kubeguard.dev/v1`): what `kubeguard snapshot` captures from a live
 * cluster. Its `items` are resources; its `metadata` describes the cluster for the cluster-wide checks.
 */
import type { FieldProblem } from "./podspec.ts";
import type { KObject, SnapshotMeta } from "./types.ts";

/** The apiVersion of a kubeguard cluster snapshot. */
export const SNAPSHOT_API_VERSION = "kubeguard.dev/v1";
/** The kind of a kubeguard cluster snapshot. */
export const SNAPSHOT_KIND = "ClusterSnapshot";

/** Whether an object is a kubeguard cluster snapshot (a `ClusterSnapshot` of another API group is not). */
export function isSnapshot(o: KObject): boolean {
  return o.kind === SNAPSHOT_KIND && o.apiVersion === SNAPSHOT_API_VERSION;
}

/** Reads a snapshot's metadata; fields of the wrong type are left out and reported. */
export function snapshotMeta(o: KObject): { meta: SnapshotMeta; problems: FieldProblem[] } {
  const meta: SnapshotMeta = {};
  const problems: FieldProblem[] = [];
  const m = o.metadata;
  if (m === undefined || m === null) return { meta, problems };
  if (typeof m !== "object" || Array.isArray(m)) {
    problems.push({ path: ["metadata"], message: "metadata: expected a mapping" });
    return { meta, problems };
  }
  const md = m as KObject;
  for (const key of ["cluster", "capturedAt", "serverVersion", "provider"] as const) {
    const v = md[key];
    if (v === undefined || v === null) continue;
    if (typeof v === "string") meta[key] = v;
    else problems.push({ path: ["metadata", key], message: `metadata.${key}: expected a string` });
  }
  const w = md.warnings;
  if (w !== undefined && w !== null) {
    if (Array.isArray(w) && w.every((x) => typeof x === "string")) meta.warnings = w as string[];
    else
      problems.push({
        path: ["metadata", "warnings"],
        message: "metadata.warnings: expected a list of strings",
      });
  }
  return { meta, problems };
}

/** Test support for the encryption module: contexts from YAML, with optional snapshot metadata. */
import type { SnapshotMeta } from "../../ingest/types.ts";
import { buildInventory } from "../../scan/inventory.ts";
import { resourcesFromYaml } from "../testing.ts";
import type { CheckContext, ClusterCheck, RawFinding } from "../types.ts";

/** A context over the YAML's resources; `snapshot` marks it as a cluster snapshot with that metadata. */
export function ctxOf(yaml: string, snapshot?: SnapshotMeta): CheckContext {
  return {
    pssLevel: "restricted",
    pssVersion: "latest",
    now: new Date("2026-12-01T00:00:00Z"),
    inventory: buildInventory(resourcesFromYaml(yaml), snapshot),
  };
}

/** Findings of a cluster check, empty when it does not apply (as the engine runs it). */
export function run(check: ClusterCheck, yaml: string, snapshot?: SnapshotMeta): RawFinding[] {
  const ctx = ctxOf(yaml, snapshot);
  return check.applies && !check.applies(ctx) ? [] : check.evaluate(ctx);
}

/** The parts of a finding a report shows (message, path, severity), as one string. */
export function shown(f: RawFinding): string {
  return JSON.stringify({ message: f.message, path: f.path, severity: f.severity });
}

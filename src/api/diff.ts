/**
 * Scan diff by fingerprint: what a change introduced (`new`), removed (`fixed`) and kept (`unchanged`).
 * Fingerprints ignore line numbers, so moving a resource within a file is not a change.
 */
import { failsVerdict } from "../scan/run.ts";
import type { FailOn, Finding } from "../scan/types.ts";

export interface ScanDiff {
  new: Finding[];
  fixed: Finding[];
  unchanged: Finding[];
  /** Fails only on new, unsuppressed findings at or above `failOn`. */
  verdict: { passed: boolean; failOn: FailOn };
}

/**
 * Compares a scan's findings with a base scan's. Equal fingerprints are paired one to one, so two
 * identical findings in the head against one in the base count one unchanged and one new.
 * @example diffFindings(base, head, "high").new // findings the change introduced
 */
export function diffFindings(base: readonly Finding[], head: readonly Finding[], failOn: FailOn): ScanDiff {
  const remaining = new Map<string, number>();
  for (const f of base) remaining.set(f.id, (remaining.get(f.id) ?? 0) + 1);
  const added: Finding[] = [];
  const unchanged: Finding[] = [];
  for (const f of head) {
    const left = remaining.get(f.id) ?? 0;
    if (left > 0) {
      remaining.set(f.id, left - 1);
      unchanged.push(f);
    } else added.push(f);
  }
  const fixed: Finding[] = [];
  // Walk the base backwards so that, of duplicated fingerprints, the last ones are the fixed ones.
  for (let i = base.length - 1; i >= 0; i--) {
    const f = base[i] as Finding;
    const left = remaining.get(f.id) ?? 0;
    if (left > 0) {
      remaining.set(f.id, left - 1);
      fixed.unshift(f);
    }
  }
  const passed = !added.some((f) => !f.suppressed && failsVerdict(f.severity, failOn));
  return { new: added, fixed, unchanged, verdict: { passed, failOn } };
}

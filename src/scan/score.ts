/**
 * Per-framework compliance: every control with its status and a score.
 *
 * A control is `failed` when any of its checks has an unsuppressed finding, `suppressed` when its
 * checks have only suppressed findings, `passed` when at least one of its checks applied and found
 * nothing, and `not-applicable` when none of its checks had anything to look at (or all are disabled).
 * Score = 100 × (passed + suppressed) / (passed + suppressed + failed), one decimal; null when no
 * control applies. Waived controls count as compliant because the waiver is an accepted, recorded risk.
 */
import { FRAMEWORKS } from "../policies/frameworks.ts";
import type { Check } from "../policies/types.ts";
import type { ControlResult, ControlStatus, FrameworkResult } from "./types.ts";

export interface CheckTally {
  findings: number;
  suppressed: number;
}

export interface ScoreInput {
  checks: readonly Check[];
  /** Checks that ran and had something to look at. */
  applicable: ReadonlySet<string>;
  /** Findings per check ID (for PSS frameworks, keyed `pss-baseline:<id>` / `pss-restricted:<id>`). */
  tally: ReadonlyMap<string, CheckTally>;
}

function statusOf(ids: string[], input: ScoreInput, keyPrefix: string): Omit<ControlResult, "id" | "title"> {
  let findings = 0;
  let suppressed = 0;
  let applies = false;
  for (const id of ids) {
    const t = input.tally.get(keyPrefix + id);
    if (t) {
      findings += t.findings;
      suppressed += t.suppressed;
    }
    if (input.applicable.has(id)) applies = true;
  }
  const status: ControlStatus =
    findings > 0 ? "failed" : suppressed > 0 ? "suppressed" : applies ? "passed" : "not-applicable";
  return { status, checks: ids, findings, suppressed };
}

/** Round to one decimal. */
function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Compute every framework's controls and score. */
export function scoreFrameworks(input: ScoreInput): FrameworkResult[] {
  return FRAMEWORKS.map((fw) => {
    const isPss = fw.id === "pss-baseline" || fw.id === "pss-restricted";
    const controls: ControlResult[] = fw.controls.map((control) => {
      const ids = input.checks
        .filter((c) =>
          isPss ? c.scope === "pss" && c.pssCheck === control.id : c.frameworks[fw.id] === control.id,
        )
        .map((c) => c.id);
      return { id: control.id, title: control.title, ...statusOf(ids, input, isPss ? `${fw.id}:` : "") };
    });
    const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
    const passed = count("passed");
    const failed = count("failed");
    const suppressed = count("suppressed");
    const denominator = passed + failed + suppressed;
    return {
      id: fw.id,
      title: fw.title,
      score: denominator === 0 ? null : round1((100 * (passed + suppressed)) / denominator),
      passed,
      failed,
      suppressed,
      notApplicable: count("not-applicable"),
      controls,
    };
  });
}

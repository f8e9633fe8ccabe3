/**
 * The Pod Security Standards evaluator's contract: the library's verdict for one pod
 * at one level and version, plus the field paths behind each violation.
 */
import type { KObject, Path } from "../../ingest/types.ts";
import type { PssLevel } from "../types.ts";

/** The pod as PSS sees it: pod (or template) metadata and spec. */
export interface PssPod {
  metadata: KObject;
  spec: KObject;
}

export interface PssViolation {
  /** Upstream PSA check ID, e.g. `allowPrivilegeEscalation`. */
  check: string;
  /** Exactly as the library writes it, e.g. `allowPrivilegeEscalation != false`. */
  reason: string;
  /** Exactly as the library writes it, e.g. `container "app" must set securityContext.allowPrivilegeEscalation=false`. */
  detail: string;
  /**
   * The offending fields, relative to the PssPod (`["spec","containers",0,"securityContext","privileged"]`,
   * `["metadata","annotations","container.apparmor.security.beta.kubernetes.io/app"]`).
   * A field that must be set but is missing is named by the path where it belongs. At least one path.
   */
  paths: Path[];
}

export interface PssEvaluation {
  level: PssLevel;
  /** The version as requested (`latest`, `v1.40`), which is what messages print. */
  version: string;
  allowed: boolean;
  violations: PssViolation[];
  /** The library's aggregate detail: `reason (detail), reason (detail)`; empty when allowed. */
  message: string;
}

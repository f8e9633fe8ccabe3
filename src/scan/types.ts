/**
 * The scan result: the `schemaVersion: 1` JSON report of the CLI and the API. It is a public,
 * versioned contract (docs/schema/scan-report.v1.json); changes are additive only.
 */
import type { IngestError, ResourceRef, SnapshotMeta } from "../ingest/types.ts";
import type { FrameworkId, PssLevel, Severity } from "../policies/types.ts";

export type FailOn = Severity | "none";

export interface ScanOptions {
  /** The PSS level findings are reported for (default `restricted`). */
  pssLevel: PssLevel;
  /** `latest` or `v1.N` (default `latest`). */
  pssVersion: string;
  /** The lowest severity that fails the verdict (default `high`). */
  failOn: FailOn;
}

export interface PssLevelResult {
  allowed: boolean;
  violations: { check: string; reason: string; detail: string }[];
  /** The library's aggregate `reason (detail), …`; empty when allowed. */
  message: string;
}

export interface ResourcePss {
  version: string;
  /** The highest level the pod satisfies at that version. */
  level: PssLevel;
  baseline: PssLevelResult;
  restricted: PssLevelResult;
}

export interface ResourceReport extends ResourceRef {
  source: { file: string; document: number; line: number };
  /** Present on every resource that carries a pod spec. */
  pss?: ResourcePss;
}

export interface Suppression {
  /** `annotation` (kubeguard.dev/exempt on the object), `config` (.kubeguard.yaml) or `settings` (tenant settings). */
  source: "annotation" | "config" | "settings";
  reason: string;
  /** YYYY-MM-DD, when the exemption expires. */
  until?: string;
}

export interface Finding {
  /** Stable fingerprint: check, resource identity and path, never the line. */
  id: string;
  check: string;
  severity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  path: string;
  location: { file: string; line: number; column: number };
  suppressed: boolean;
  suppression?: Suppression;
  /** The upstream PSA check ID, PSS findings only. */
  pssCheck?: string;
}

export type ControlStatus = "passed" | "failed" | "suppressed" | "not-applicable";

export interface ControlResult {
  id: string;
  title: string;
  status: ControlStatus;
  /** Check IDs mapped to this control. */
  checks: string[];
  /** Unsuppressed findings. */
  findings: number;
  suppressed: number;
}

export interface FrameworkResult {
  id: FrameworkId;
  title: string;
  /** Compliance score in percent, one decimal; null when no control applies. See README. */
  score: number | null;
  passed: number;
  failed: number;
  suppressed: number;
  notApplicable: number;
  controls: ControlResult[];
}

export interface ScanSummary {
  resources: number;
  /** Unsuppressed findings. */
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  errors: number;
}

export interface ScanReport {
  schemaVersion: 1;
  tool: { name: "kubeguard"; version: string };
  options: ScanOptions;
  summary: ScanSummary;
  verdict: { passed: boolean; failOn: FailOn };
  resources: ResourceReport[];
  findings: Finding[];
  errors: IngestError[];
  frameworks: FrameworkResult[];
  snapshot?: SnapshotMeta;
  /** Things the user should know that are not findings (e.g. an expired config exemption). */
  warnings?: string[];
}

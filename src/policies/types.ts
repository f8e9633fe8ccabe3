/**
 * The check contract: a check is metadata plus a pure evaluate function.
 * Resource checks see one resource; cluster checks see the whole inventory.
 */
import type { Path, Resource, SnapshotMeta } from "../ingest/types.ts";

export type { SnapshotMeta };

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: critical = 4 … info = 0. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

/** The Pod Security Standards levels, least to most restrictive. */
export const PSS_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** Frameworks whose controls map onto check IDs. */
export const FRAMEWORK_IDS = [
  "pss-baseline",
  "pss-restricted",
  "nsa-cisa",
  "cis",
  "microservices-hardening",
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface Reference {
  title: string;
  url: string;
}

export interface CheckMeta {
  /** `<module>.<kebab-name>`, stable forever. */
  id: string;
  /** Former IDs that still select this check (exemptions, config). */
  aliases?: string[];
  title: string;
  severity: Severity;
  /** What is checked: the fields read and the allowed values. */
  description: string;
  /** What to do; ends with a period. */
  remediation: string;
  references: Reference[];
  /** Control ID of this check in each framework it belongs to (e.g. `{ cis: "5.2.2" }`). */
  frameworks: Partial<Record<FrameworkId, string>>;
  /** The upstream Pod Security Admission check ID, PSS checks only. */
  pssCheck?: string;
  /** The PSS level the check belongs to, PSS checks only. */
  pssLevel?: "baseline" | "restricted";
}

/** What a check reports; the engine adds identity, location, fingerprint and suppression. */
export interface RawFinding {
  resource: Resource;
  /** Path of the offending field relative to the resource object. */
  path: Path;
  message: string;
  /** Overrides the check's severity for this finding. */
  severity?: Severity;
}

/** The inventory as cluster checks see it: every resource, indexed once. */
export interface Inventory {
  readonly resources: readonly Resource[];
  /** Resources of a kind (`"Role"`, `"NetworkPolicy"`), in input order. */
  byKind(kind: string): readonly Resource[];
  /** Present when the input was a ClusterSnapshot. */
  readonly snapshot?: SnapshotMeta;
}

export interface CheckContext {
  /** The PSS level and version the scan was asked for. */
  pssLevel: PssLevel;
  pssVersion: string;
  /** The scan's clock, for expiry dates. */
  now: Date;
  inventory: Inventory;
}

export interface ResourceCheck extends CheckMeta {
  scope: "resource";
  /** Kinds this check looks at; absent means every resource. */
  kinds?: readonly string[];
  evaluate(resource: Resource, ctx: CheckContext): RawFinding[];
}

export interface ClusterCheck extends CheckMeta {
  scope: "cluster";
  /**
   * Whether the check has anything to look at in this inventory (e.g. an EncryptionConfiguration or a
   * kube-apiserver is present). A check that does not apply counts as "not applicable" in framework
   * scores instead of "passed". Absent means it always applies.
   */
  applies?(ctx: CheckContext): boolean;
  evaluate(ctx: CheckContext): RawFinding[];
}

/** PSS checks are evaluated together by the PSS evaluator; the registry holds their metadata. */
export interface PssCheckMeta extends CheckMeta {
  scope: "pss";
  pssCheck: string;
  pssLevel: "baseline" | "restricted";
}

export type Check = ResourceCheck | ClusterCheck | PssCheckMeta;

/** Identity helper so check files read as data. */
export function defineCheck<T extends Check>(check: T): T {
  return check;
}

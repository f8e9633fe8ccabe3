/**
 * Every check, by ID, in one explicit list. Frameworks map onto these IDs (see frameworks.ts).
 */
import { admissionChecks } from "./admission/index.ts";
import { encryptionChecks } from "./encryption/index.ts";
import { invalidExemption } from "./kubeguard/invalid-exemption.ts";
import { networkChecks } from "./network/index.ts";
import { PSS_CHECKS } from "./pss/index.ts";
import { rbacChecks } from "./rbac/index.ts";
import { secretsChecks } from "./secrets/index.ts";
import type { Check, ClusterCheck, ResourceCheck } from "./types.ts";
import { workloadChecks } from "./workload/index.ts";

/** All checks in registry order: PSS first, then the modules, then kubeguard's own. */
export const CHECKS: readonly Check[] = [
  ...PSS_CHECKS,
  ...workloadChecks,
  ...rbacChecks,
  ...secretsChecks,
  ...encryptionChecks,
  ...networkChecks,
  ...admissionChecks,
  invalidExemption,
];

const BY_ID = new Map<string, Check>();
for (const check of CHECKS) {
  BY_ID.set(check.id, check);
  for (const alias of check.aliases ?? []) BY_ID.set(alias, check);
}

/** A check by ID or alias. */
export function getCheck(id: string): Check | undefined {
  return BY_ID.get(id);
}

/** The canonical ID for an ID or alias (the input itself when unknown). */
export function canonicalCheckId(id: string): string {
  return BY_ID.get(id)?.id ?? id;
}

export const RESOURCE_CHECKS: readonly ResourceCheck[] = CHECKS.filter(
  (c): c is ResourceCheck => c.scope === "resource",
);
export const CLUSTER_CHECKS: readonly ClusterCheck[] = CHECKS.filter(
  (c): c is ClusterCheck => c.scope === "cluster",
);

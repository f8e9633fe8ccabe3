/**
 * Exemptions: annotations on the object and rules from `.kubeguard.yaml` or tenant settings.
 * An exempted finding is kept and marked suppressed with its reason; an auditor must see what was waived.
 */
import type { Resource } from "../ingest/types.ts";
import { exemptionExpired, readExemptionAnnotation } from "../policies/kubeguard/exemption-annotation.ts";
import { canonicalCheckId } from "../policies/registry.ts";
import type { Exemption } from "./config.ts";
import type { Suppression } from "./types.ts";

const globCache = new Map<string, RegExp>();

/** Shell-style glob (`*`, `?`) matched against the whole string. */
export function globMatch(glob: string, value: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re.test(value);
}

export interface ExemptionMatcher {
  /** The suppression for a finding of `checkId` on `resource`, if an exemption covers it. */
  match(checkId: string, resource: Resource): Suppression | undefined;
  /** Config exemptions that did not apply because they expired. */
  expired: Exemption[];
}

/** Build a matcher from config exemptions (source `config` or `settings`) plus per-object annotations. */
export function exemptionMatcher(
  rules: readonly Exemption[],
  source: "config" | "settings",
  now: Date,
): ExemptionMatcher {
  const active: { rule: Exemption; checks: Set<string> }[] = [];
  const expired: Exemption[] = [];
  for (const rule of rules) {
    if (rule.until && exemptionExpired(rule.until, now)) expired.push(rule);
    else active.push({ rule, checks: new Set(rule.checks.map(canonicalCheckId)) });
  }
  const annotationCache = new WeakMap<Resource, { checks: Set<string>; suppression: Suppression } | null>();
  const fromAnnotation = (resource: Resource) => {
    let cached = annotationCache.get(resource);
    if (cached === undefined) {
      const ex = readExemptionAnnotation(resource.object, now);
      cached =
        ex && !ex.invalid && ex.reason
          ? {
              checks: new Set(ex.checks.map(canonicalCheckId)),
              suppression: {
                source: "annotation",
                reason: ex.reason,
                ...(ex.until ? { until: ex.until } : {}),
              },
            }
          : null;
      annotationCache.set(resource, cached);
    }
    return cached;
  };
  return {
    expired,
    match(checkId, resource) {
      // The invalid-exemption report must never be waived by the exemption it reports on.
      if (checkId === "kubeguard.invalid-exemption") return undefined;
      const ann = fromAnnotation(resource);
      if (ann && (ann.checks.has(checkId) || ann.checks.has("*"))) return ann.suppression;
      for (const { rule, checks } of active) {
        if (!checks.has(checkId) && !checks.has("*")) continue;
        if (rule.kind && rule.kind !== resource.kind) continue;
        if (rule.namespace && !globMatch(rule.namespace, resource.namespace ?? "")) continue;
        if (rule.name && !globMatch(rule.name, resource.name)) continue;
        return { source, reason: rule.reason, ...(rule.until ? { until: rule.until } : {}) };
      }
      return undefined;
    },
  };
}

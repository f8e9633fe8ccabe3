/**
 * admission.invalid-label: Pod Security labels with a value admission does not understand. The API
 * server refuses to create a namespace with them; on an existing namespace admission falls back:
 * an invalid enforce level to `restricted` (fail closed), an invalid audit or warn level to
 * `privileged` (fail open), an invalid version to `latest`.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  isLevel,
  isVersion,
  NSA_GUIDE,
  PSA_DOCS,
  PSA_LABELS_DOCS,
  PSS_LABEL_PREFIX,
  rawLabels,
  showValue,
} from "./util.ts";

const MODES = ["enforce", "audit", "warn"] as const;
const KNOWN = new Set<string>(MODES.flatMap((m) => [m, `${m}-version`]));

function fallback(suffix: string): string {
  if (suffix.endsWith("-version")) return 'admission uses "latest" instead';
  if (suffix === "enforce") return 'admission enforces "restricted" instead (fail closed)';
  return `admission uses "privileged" for ${suffix} instead (nothing is ${suffix === "audit" ? "audited" : "warned about"})`;
}

export const invalidLabel = defineCheck({
  id: "admission.invalid-label",
  scope: "resource",
  kinds: ["Namespace"],
  title: "Invalid Pod Security namespace label",
  severity: "medium",
  description:
    "Reads every `metadata.labels` key of a Namespace that starts with `pod-security.kubernetes.io/`. The level labels `enforce`, `audit` and `warn` take `privileged`, `baseline` or `restricted` (case-sensitive); the version labels `enforce-version`, `audit-version` and `warn-version` take `latest` or `v1.N` (`^v1\\.(0|[1-9][0-9]*)$`: not `v1.025`, `1.30` or `v1.30.0`). Fails for each invalid value, naming the fallback admission applies (enforce → restricted, audit and warn → privileged, versions → latest), and for any other key under the prefix, which admission ignores (a typo such as `enforced`).",
  remediation:
    "Fix the label: levels are privileged, baseline or restricted; versions are latest or v1.N (for example v1.30); the keys are enforce, audit and warn with their -version forms.",
  references: [PSA_LABELS_DOCS, PSA_DOCS, NSA_GUIDE],
  frameworks: { "nsa-cisa": "admission", cis: "5.2.1", "microservices-hardening": "1-pod-security" },
  evaluate(resource) {
    const out: RawFinding[] = [];
    for (const [key, value] of Object.entries(rawLabels(resource))) {
      if (!key.startsWith(PSS_LABEL_PREFIX)) continue;
      const suffix = key.slice(PSS_LABEL_PREFIX.length);
      const path = ["metadata", "labels", key];
      if (!KNOWN.has(suffix)) {
        out.push({
          resource,
          path,
          message: `Namespace "${resource.name}" label ${key} is not a Pod Security label (expected enforce, audit or warn, or their -version forms); admission ignores it`,
        });
        continue;
      }
      const isVersionLabel = suffix.endsWith("-version");
      if (isVersionLabel ? isVersion(value) : isLevel(value)) continue;
      const allowed = isVersionLabel ? '"latest" or "v1.N"' : '"privileged", "baseline" or "restricted"';
      out.push({
        resource,
        path,
        message: `Namespace "${resource.name}" label ${key} has invalid value ${showValue(value)} (must be ${allowed}); ${fallback(suffix)}`,
      });
    }
    return out;
  },
});

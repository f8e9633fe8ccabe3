/**
 * admission.missing-enforce-label: a namespace without `pod-security.kubernetes.io/enforce` gets the
 * cluster's default policy, which is `privileged` (nothing rejected) unless the API server's
 * AdmissionConfiguration sets another.
 */
import { defineCheck } from "../types.ts";
import {
  CIS_BENCHMARK,
  ENFORCE_LABEL,
  NSA_GUIDE,
  PSA_DOCS,
  PSA_LABELS_DOCS,
  rawLabels,
  SYSTEM_NAMESPACES,
} from "./util.ts";

export const missingEnforceLabel = defineCheck({
  id: "admission.missing-enforce-label",
  scope: "resource",
  kinds: ["Namespace"],
  title: "Namespace without a Pod Security enforce label",
  severity: "medium",
  description:
    "Reads `metadata.labels` of every Namespace. Fails when the label `pod-security.kubernetes.io/enforce` is absent: Pod Security admission then applies the cluster default, `privileged` out of the box (kubeguard cannot see the API server's AdmissionConfiguration defaults or exemptions). The Kubernetes namespaces `kube-system`, `kube-public` and `kube-node-lease` are not reported, since `privileged` is expected there. A present but invalid value is reported by admission.invalid-label instead.",
  remediation:
    "Label the namespace with pod-security.kubernetes.io/enforce: restricted (or baseline where restricted cannot be met yet) and pin pod-security.kubernetes.io/enforce-version.",
  references: [PSA_LABELS_DOCS, PSA_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "admission", cis: "5.2.1", "microservices-hardening": "1-pod-security" },
  evaluate(resource) {
    if (SYSTEM_NAMESPACES.has(resource.name)) return [];
    if (Object.hasOwn(rawLabels(resource), ENFORCE_LABEL)) return [];
    return [
      {
        resource,
        path: ["metadata", "labels", ENFORCE_LABEL],
        message: `Namespace "${resource.name}" has no ${ENFORCE_LABEL} label: Pod Security admission applies the cluster default there (privileged unless the AdmissionConfiguration sets another level)`,
      },
    ];
  },
});

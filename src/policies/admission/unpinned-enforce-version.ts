/**
 * admission.unpinned-enforce-version: without `enforce-version` (or with `latest`) the enforced
 * rules move with every Kubernetes upgrade, so an upgrade can start rejecting pods that were admitted.
 */
import { defineCheck } from "../types.ts";
import {
  ENFORCE_LABEL,
  ENFORCE_VERSION_LABEL,
  isLevel,
  PSA_LABELS_DOCS,
  PSS_DOCS,
  rawLabels,
} from "./util.ts";

export const unpinnedEnforceVersion = defineCheck({
  id: "admission.unpinned-enforce-version",
  scope: "resource",
  kinds: ["Namespace"],
  title: "Pod Security enforce version not pinned",
  severity: "info",
  description:
    "Reads the labels `pod-security.kubernetes.io/enforce` and `pod-security.kubernetes.io/enforce-version` of every Namespace. Reports when enforce is set to `baseline` or `restricted` (or to an invalid value, which enforces `restricted`) and enforce-version is absent or `latest`, so the rules change with the cluster's Kubernetes version. `privileged` allows everything at any version and is not reported; an invalid enforce-version is reported by admission.invalid-label.",
  remediation:
    "Set pod-security.kubernetes.io/enforce-version to the Kubernetes minor version you tested against (for example v1.30), and raise it deliberately after checking warnings.",
  references: [PSA_LABELS_DOCS, PSS_DOCS],
  frameworks: { "nsa-cisa": "admission", cis: "5.2.1", "microservices-hardening": "1-pod-security" },
  evaluate(resource) {
    const labels = rawLabels(resource);
    if (!Object.hasOwn(labels, ENFORCE_LABEL)) return [];
    const level = labels[ENFORCE_LABEL];
    if (level === "privileged") return [];
    const hasVersion = Object.hasOwn(labels, ENFORCE_VERSION_LABEL);
    const version = labels[ENFORCE_VERSION_LABEL];
    if (hasVersion && version !== "latest") return [];
    const shown = isLevel(level) ? level : "restricted";
    return [
      {
        resource,
        path: ["metadata", "labels", ENFORCE_VERSION_LABEL],
        message: hasVersion
          ? `Namespace "${resource.name}" enforces Pod Security "${shown}" with ${ENFORCE_VERSION_LABEL}=latest: the rules change with each Kubernetes upgrade`
          : `Namespace "${resource.name}" enforces Pod Security "${shown}" without ${ENFORCE_VERSION_LABEL} (latest): the rules change with each Kubernetes upgrade`,
      },
    ];
  },
});

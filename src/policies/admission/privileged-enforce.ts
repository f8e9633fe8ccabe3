/**
 * admission.privileged-enforce: `enforce: privileged` turns Pod Security admission off for the
 * namespace; any pod, privileged or on the host network, is admitted.
 */
import { defineCheck } from "../types.ts";
import {
  CIS_BENCHMARK,
  ENFORCE_LABEL,
  NSA_GUIDE,
  PSA_DOCS,
  PSS_DOCS,
  rawLabels,
  SYSTEM_NAMESPACES,
} from "./util.ts";

export const privilegedEnforce = defineCheck({
  id: "admission.privileged-enforce",
  scope: "resource",
  kinds: ["Namespace"],
  title: "Namespace enforces the privileged Pod Security level",
  severity: "high",
  description:
    "Reads the label `pod-security.kubernetes.io/enforce` of every Namespace. Fails when it is `privileged` (no restriction) in a namespace other than the Kubernetes system namespaces `kube-system`, `kube-public` and `kube-node-lease`. Allowed values are `privileged`, `baseline` and `restricted`; `baseline` or `restricted` pass.",
  remediation:
    "Set pod-security.kubernetes.io/enforce to restricted or baseline, and move workloads that truly need host access into a dedicated, tightly controlled namespace.",
  references: [PSS_DOCS, PSA_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "admission", cis: "5.2.1", "microservices-hardening": "1-pod-security" },
  evaluate(resource) {
    if (SYSTEM_NAMESPACES.has(resource.name)) return [];
    if (rawLabels(resource)[ENFORCE_LABEL] !== "privileged") return [];
    return [
      {
        resource,
        path: ["metadata", "labels", ENFORCE_LABEL],
        message: `Namespace "${resource.name}" sets ${ENFORCE_LABEL}=privileged: Pod Security admission rejects no pod there`,
      },
    ];
  },
});

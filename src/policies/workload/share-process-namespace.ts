/**
 * workload.share-process-namespace: with a shared process namespace every container sees the others'
 * processes and, as the same user, their environment and filesystem through /proc — secrets included.
 * Not covered by the Pod Security Standards. Reads `spec.shareProcessNamespace`.
 */

import { describeResource, POD_TEMPLATE_KINDS, podSpecPath } from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { defineCheck } from "../types.ts";
import { NSA_GUIDE } from "./util.ts";

export const shareProcessNamespace = defineCheck({
  id: "workload.share-process-namespace",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Containers share a process namespace",
  severity: "low",
  description:
    "Reads the pod spec's `shareProcessNamespace`; `true` fails, unset or `false` passes. Containers of such a pod can signal each other's processes and read each other's /proc/<pid>/environ and /proc/<pid>/root, which the Pod Security Standards do not restrict.",
  remediation:
    "Remove shareProcessNamespace or set it to false unless a sidecar must see the application's processes; use an ephemeral debug container with kubectl debug --target instead.",
  references: [
    {
      title: "Share Process Namespace between Containers in a Pod",
      url: "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
    },
    NSA_GUIDE,
  ],
  frameworks: { "nsa-cisa": "pod-security", "microservices-hardening": "1-pod-security" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    if (resource.pod?.spec.shareProcessNamespace !== true) return [];
    return [
      {
        resource,
        path: [...podSpecPath(resource), "shareProcessNamespace"],
        message: `${describeResource(resource)} sets shareProcessNamespace=true`,
      },
    ];
  },
});

/**
 * network.workload-not-selected: a pod that no policy selects is not isolated in either direction;
 * every other pod, and anything routed to the cluster, can reach it and it can reach them.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  CILIUM_LANGUAGE_DOCS,
  CIS_BENCHMARK,
  NETWORK_POLICY_DOCS,
  NSA_GUIDE,
  networkIndex,
  runsWorkloads,
} from "./util.ts";

export const workloadNotSelected = defineCheck({
  id: "network.workload-not-selected",
  scope: "cluster",
  title: "Workload selected by no network policy",
  severity: "medium",
  description:
    "For every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob; in a snapshot, pods and ReplicaSets whose controller is in the input are counted once, through the controller), matches the pod template's `metadata.labels` against the `spec.podSelector` (`matchLabels`, `matchExpressions` In/NotIn/Exists/DoesNotExist; empty selects all) of every NetworkPolicy in its namespace (no `metadata.namespace` means `default`), the `endpointSelector` of every CiliumNetworkPolicy in its namespace (`spec` or `specs[]`, `k8s:` key prefixes removed, namespace and service-account labels understood) and of every CiliumClusterwideNetworkPolicy. Fails when none selects it. Cilium rules without any ingress, ingressDeny, egress or egressDeny section and host policies (`nodeSelector`) isolate nothing and are not counted; an invalid selector selects nothing. Pods with `hostNetwork: true` are outside NetworkPolicy and skipped.",
  remediation:
    "Add a default-deny NetworkPolicy (podSelector: {}) to the namespace, or a policy whose podSelector matches the workload's pod labels and allows only the traffic it needs.",
  references: [NETWORK_POLICY_DOCS, CILIUM_LANGUAGE_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: {
    "nsa-cisa": "network-separation",
    cis: "5.3.2",
    "microservices-hardening": "5-least-privilege",
  },
  applies: (ctx) => runsWorkloads(ctx.inventory),
  evaluate(ctx) {
    const index = networkIndex(ctx.inventory);
    const out: RawFinding[] = [];
    for (const ns of index.namespaces) {
      for (const w of index.workloadsIn(ns)) {
        if (index.selecting(w)) continue;
        const pod = w.resource.pod;
        out.push({
          resource: w.resource,
          path: [...(pod?.path ?? []), "metadata", "labels"],
          message: `${w.resource.kind} "${w.resource.name}" in namespace "${ns}" runs pods that no NetworkPolicy or Cilium policy selects: their ingress and egress traffic is not restricted`,
        });
      }
    }
    return out;
  },
});

/**
 * network.missing-default-deny-ingress: without a default-deny ingress policy, every pod of the
 * namespace that no other policy selects accepts connections from anywhere in the cluster.
 */
import { defineCheck } from "../types.ts";
import {
  CILIUM_LANGUAGE_DOCS,
  CILIUM_POLICY_DOCS,
  CIS_BENCHMARK,
  missingDefaultDeny,
  NETWORK_POLICY_DOCS,
  NSA_GUIDE,
  runsWorkloads,
} from "./util.ts";

export const missingDefaultDenyIngress = defineCheck({
  id: "network.missing-default-deny-ingress",
  scope: "cluster",
  title: "Namespace without a default-deny ingress policy",
  severity: "medium",
  description:
    "For every namespace that runs workloads (any Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob; no `metadata.namespace` means `default`; `hostNetwork: true` pods are outside NetworkPolicy and not counted), looks for a default-deny ingress rule. A NetworkPolicy of that namespace counts when its `spec.podSelector` is empty (`{}` or absent), `spec.policyTypes` includes `Ingress` (absent `policyTypes` means Ingress) and every `spec.ingress` rule lists `from` peers, none a catch-all (`ingress` absent or `[]` is deny-all; `- {}` or a rule with only `ports` allows everyone; `namespaceSelector: {}` alone and `ipBlock` 0.0.0.0/0 or ::/0 are catch-alls). A CiliumNetworkPolicy (`cilium.io/v2`, `spec` or each of `specs`) of the namespace, or a CiliumClusterwideNetworkPolicy, counts when its `endpointSelector` selects every endpoint of the namespace (`{}`, or only `io.kubernetes.pod.namespace` / namespace-label requirements), `ingress` or `ingressDeny` is non-empty, `enableDefaultDeny.ingress` is not false, and no `ingress` rule allows a catch-all (`toPorts`/`icmps` without a peer, `fromEntities` all/world/cluster, a 0.0.0.0/0 CIDR, or `fromEndpoints: [{}]` in a clusterwide policy); `ingress: [{}]` is Cilium's deny-all. The finding points at the Namespace object when the input holds it, else at the namespace's first workload.",
  remediation:
    "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules to the namespace (or a Cilium policy with an empty endpointSelector and ingress: [{}]), then allow the traffic each workload needs with narrower policies.",
  references: [NETWORK_POLICY_DOCS, CILIUM_POLICY_DOCS, CILIUM_LANGUAGE_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: {
    "nsa-cisa": "network-separation",
    cis: "5.3.2",
    "microservices-hardening": "5-least-privilege",
  },
  applies: (ctx) => runsWorkloads(ctx.inventory),
  evaluate: (ctx) => missingDefaultDeny(ctx.inventory, "ingress"),
});

/**
 * network.missing-default-deny-egress: without a default-deny egress policy, a compromised pod can
 * reach every service of the cluster, the cloud metadata endpoint and the internet.
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

export const missingDefaultDenyEgress = defineCheck({
  id: "network.missing-default-deny-egress",
  scope: "cluster",
  title: "Namespace without a default-deny egress policy",
  severity: "low",
  description:
    "For every namespace that runs workloads (as in network.missing-default-deny-ingress; `hostNetwork: true` pods are not counted), looks for a default-deny egress rule. A NetworkPolicy of that namespace counts when its `spec.podSelector` is empty, `spec.policyTypes` includes `Egress` (absent `policyTypes` means Egress only when `spec.egress` has rules) and every `spec.egress` rule lists `to` peers, none a catch-all (`egress` absent or `[]` is deny-all; a rule allowing only DNS to kube-dns counts; `- {}`, a rule with only `ports`, `namespaceSelector: {}` alone or `ipBlock` 0.0.0.0/0 or ::/0 does not). A CiliumNetworkPolicy of the namespace or a CiliumClusterwideNetworkPolicy counts when its `endpointSelector` selects every endpoint of the namespace, `egress` or `egressDeny` is non-empty, `enableDefaultDeny.egress` is not false, and no `egress` rule allows a catch-all (`toPorts`/`icmps` without a peer, `toEntities` all/world/cluster, a 0.0.0.0/0 CIDR, `toEndpoints: [{}]` in a clusterwide policy); `toFQDNs`, `toServices` and named endpoints are restricted peers. The finding points at the Namespace object when the input holds it, else at the namespace's first workload.",
  remediation:
    "Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] that allows only DNS to kube-dns (or a Cilium policy with an empty endpointSelector and the same egress rule), then allow each workload's destinations with narrower policies.",
  references: [NETWORK_POLICY_DOCS, CILIUM_POLICY_DOCS, CILIUM_LANGUAGE_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: {
    "nsa-cisa": "network-separation",
    cis: "5.3.2",
    "microservices-hardening": "5-least-privilege",
  },
  applies: (ctx) => runsWorkloads(ctx.inventory),
  evaluate: (ctx) => missingDefaultDeny(ctx.inventory, "egress"),
});

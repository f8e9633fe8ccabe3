/**
 * rbac.cluster-admin-binding: the `cluster-admin` ClusterRole allows every action on every object;
 * bound cluster-wide it is full control of the cluster, bound in a namespace full control of it.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  CIS_BENCHMARK,
  describeBinding,
  describeSubject,
  hasBindings,
  isSystemComponentSubject,
  NSA_GUIDE,
  RBAC_DOCS,
  RBAC_GOOD_PRACTICES,
  rbacIndex,
} from "./util.ts";

export const clusterAdminBinding = defineCheck({
  id: "rbac.cluster-admin-binding",
  scope: "cluster",
  title: "cluster-admin bound to a non-system subject",
  severity: "critical",
  description:
    "Reads `roleRef` and `subjects[]` of every ClusterRoleBinding and RoleBinding. Fails for each subject of a binding whose roleRef is the ClusterRole `cluster-admin`, unless the subject is a Kubernetes component identity: a User or Group named `system:…` (such as `system:masters`, the group the default `cluster-admin` binding uses; membership in it comes from client certificates and cannot be seen in manifests). Service accounts (`ServiceAccount` subjects, `system:serviceaccount:<ns>:<name>` users, the `system:serviceaccounts[:<ns>]` groups) and the anonymous and all-users groups are not system subjects and are reported. Critical for a ClusterRoleBinding; high for a RoleBinding (full control of that namespace).",
  remediation:
    "Bind a role with only the rights the subject needs instead of cluster-admin; keep cluster-admin for break-glass access through system:masters or a dedicated, audited group.",
  references: [
    {
      title: "Kubernetes RBAC: user-facing roles",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
    },
    RBAC_DOCS,
    RBAC_GOOD_PRACTICES,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.1", "microservices-hardening": "5-least-privilege" },
  applies: hasBindings,
  evaluate(ctx) {
    const out: RawFinding[] = [];
    for (const b of rbacIndex(ctx.inventory).bindings) {
      if (b.roleRef?.kind !== "ClusterRole" || b.roleRef.name !== "cluster-admin") continue;
      for (const s of b.subjects) {
        if (isSystemComponentSubject(s)) continue;
        const scope =
          b.kind === "ClusterRoleBinding"
            ? "full control of the cluster"
            : `full control of namespace "${b.namespace ?? "default"}"`;
        out.push({
          resource: b.resource,
          path: ["subjects", s.index],
          message: `${describeBinding(b)} binds ClusterRole "cluster-admin" to ${describeSubject(s)} (${scope})`,
          ...(b.kind === "RoleBinding" ? { severity: "high" as const } : {}),
        });
      }
    }
    return out;
  },
});

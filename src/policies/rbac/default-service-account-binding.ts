/**
 * rbac.default-service-account-binding: every pod that names no service account runs as its
 * namespace's `default` one, so a role bound to it is granted to all of them.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  CIS_BENCHMARK,
  describeBinding,
  describeSubject,
  hasBindings,
  NSA_GUIDE,
  RBAC_GOOD_PRACTICES,
  rbacIndex,
} from "./util.ts";

const SA_USER = /^system:serviceaccount:([^:]+):default$/;

export const defaultServiceAccountBinding = defineCheck({
  id: "rbac.default-service-account-binding",
  scope: "cluster",
  title: "Role bound to a default service account",
  severity: "medium",
  description:
    "Reads `subjects[]` of every RoleBinding and ClusterRoleBinding. Fails for each subject that is the `default` service account of a namespace: kind `ServiceAccount` with name `default` (its namespace is `subjects[].namespace`, else the RoleBinding's), or a User named `system:serviceaccount:<namespace>:default`. The `system:serviceaccounts` groups are not counted here.",
  remediation:
    "Bind the role to a dedicated ServiceAccount used only by the workloads that need it, and leave the default service account without roles.",
  references: [
    {
      title: "Kubernetes: Service accounts",
      url: "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
    },
    RBAC_GOOD_PRACTICES,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.5", "microservices-hardening": "5-least-privilege" },
  applies: hasBindings,
  evaluate(ctx) {
    const out: RawFinding[] = [];
    for (const b of rbacIndex(ctx.inventory).bindings) {
      for (const s of b.subjects) {
        let namespace: string | undefined;
        if (s.kind === "ServiceAccount" && s.name === "default") namespace = s.namespace ?? "default";
        else if (s.kind === "User") namespace = SA_USER.exec(s.name)?.[1];
        if (namespace === undefined) continue;
        const role = b.roleRef ? `${b.roleRef.kind} "${b.roleRef.name}"` : "no role";
        out.push({
          resource: b.resource,
          path: ["subjects", s.index],
          message: `${describeBinding(b)} binds ${role} to ${describeSubject(s)}, the identity of every pod in namespace "${namespace}" that sets no serviceAccountName`,
        });
      }
    }
    return out;
  },
});

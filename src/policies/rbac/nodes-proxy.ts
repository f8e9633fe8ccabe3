/**
 * rbac.nodes-proxy: `nodes/proxy` reaches the kubelet API of every node (exec into any pod, read
 * logs and secrets) and its requests bypass admission and most audit policies.
 */
import { defineCheck } from "../types.ts";
import {
  BUILT_IN_ROLES_NOTE,
  CIS_BENCHMARK,
  hasRoles,
  NSA_GUIDE,
  type Permission,
  permissionFindings,
  RBAC_GOOD_PRACTICES,
} from "./util.ts";

const PERMISSIONS: readonly Permission[] = ["get", "create", "update", "patch", "delete"].map((verb) => ({
  group: "",
  resource: "nodes",
  subresource: "proxy",
  verb,
}));

export const nodesProxy = defineCheck({
  id: "rbac.nodes-proxy",
  scope: "cluster",
  title: "RBAC rule grants access to nodes/proxy (the kubelet API)",
  severity: "high",
  description: `Reads \`rules[]\` of every ClusterRole, matched as the RBAC authorizer does (\`*\` and \`*/proxy\` count). Fails for each rule granting any verb the kubelet maps HTTP methods to (\`get\`, \`create\`, \`update\`, \`patch\`, \`delete\`) on \`nodes/proxy\` in the core group. Roles are not read: nodes are cluster-scoped, so a Role or RoleBinding cannot grant them. Medium when limited by \`resourceNames\`. ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Remove nodes/proxy from roles; give monitoring agents nodes/metrics or nodes/stats instead, and reach the kubelet through its authorized read-only endpoints.",
  references: [
    RBAC_GOOD_PRACTICES,
    {
      title: "Kubernetes: Kubelet authentication/authorization",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    },
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.10", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "high",
      clusterRolesOnly: true,
    }),
});

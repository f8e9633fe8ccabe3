/**
 * rbac.secrets-read: `get`, `list` or `watch` on Secrets reveals their values (list and watch return
 * every Secret of the scope with its data), including service-account tokens of other identities.
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

const PERMISSIONS: readonly Permission[] = ["get", "list", "watch"].map((verb) => ({
  group: "",
  resource: "secrets",
  verb,
}));

export const secretsRead = defineCheck({
  id: "rbac.secrets-read",
  scope: "cluster",
  title: "RBAC rule grants read access to Secrets",
  severity: "high",
  description: `Reads \`rules[].verbs\`, \`apiGroups\`, \`resources\` and \`resourceNames\` of every Role and ClusterRole, matched as the RBAC authorizer does (\`*\` in verbs, apiGroups or resources counts). Fails for each rule granting \`get\`, \`list\` or \`watch\` on \`secrets\` in the core group (\`""\`). High when a ClusterRoleBinding grants the ClusterRole (every Secret of the cluster), directly or through an aggregated ClusterRole; medium for a Role, or a ClusterRole bound only by RoleBindings or not bound in the input. One level lower when the rule is limited by \`resourceNames\` (the names are shown; Secret values never are). ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Grant read access to Secrets only to the identities that need it, in their own namespace, limited by resourceNames; mount Secrets into pods instead of reading them through the API.",
  references: [
    RBAC_GOOD_PRACTICES,
    {
      title: "Kubernetes: Good practices for Kubernetes Secrets",
      url: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    },
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.2", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "medium",
    }),
});

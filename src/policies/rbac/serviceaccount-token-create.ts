/**
 * rbac.serviceaccount-token-create: `create` on `serviceaccounts/token` mints tokens for any service
 * account in scope, so the subject gains every right those accounts hold.
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

const PERMISSIONS: readonly Permission[] = [
  { group: "", resource: "serviceaccounts", subresource: "token", verb: "create" },
];

export const serviceaccountTokenCreate = defineCheck({
  id: "rbac.serviceaccount-token-create",
  scope: "cluster",
  title: "RBAC rule grants creating service-account tokens",
  severity: "high",
  description: `Reads \`rules[]\` of every Role and ClusterRole, matched as the RBAC authorizer does (\`*\` and \`*/token\` count). Fails for each rule granting \`create\` on \`serviceaccounts/token\` in the core group (the TokenRequest API). High when a ClusterRoleBinding grants it; medium for a namespaced grant or an unbound ClusterRole; one level lower when limited by \`resourceNames\`. ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Remove create on serviceaccounts/token, or limit it with resourceNames to the service accounts the subject must act for.",
  references: [
    RBAC_GOOD_PRACTICES,
    {
      title: "Kubernetes: TokenRequest API",
      url: "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
    },
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.13", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "medium",
    }),
});

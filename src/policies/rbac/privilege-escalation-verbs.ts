/**
 * rbac.privilege-escalation-verbs: `escalate` lets a subject write roles with rights it lacks, `bind`
 * lets it bind roles it does not hold, `impersonate` lets it act as another user, group or service
 * account. Each bypasses RBAC's own escalation prevention.
 */
import { defineCheck } from "../types.ts";
import {
  BUILT_IN_ROLES_NOTE,
  CIS_BENCHMARK,
  hasRoles,
  NSA_GUIDE,
  type Permission,
  permissionFindings,
  RBAC_DOCS,
  RBAC_GOOD_PRACTICES,
} from "./util.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

const PERMISSIONS: readonly Permission[] = [
  { group: RBAC_GROUP, resource: "roles", verb: "escalate" },
  { group: RBAC_GROUP, resource: "clusterroles", verb: "escalate" },
  { group: RBAC_GROUP, resource: "roles", verb: "bind" },
  { group: RBAC_GROUP, resource: "clusterroles", verb: "bind" },
  { group: "", resource: "users", verb: "impersonate" },
  { group: "", resource: "groups", verb: "impersonate" },
  { group: "", resource: "serviceaccounts", verb: "impersonate" },
  { group: "authentication.k8s.io", resource: "uids", verb: "impersonate" },
  { group: "authentication.k8s.io", resource: "userextras", subresource: "*", verb: "impersonate" },
];

export const privilegeEscalationVerbs = defineCheck({
  id: "rbac.privilege-escalation-verbs",
  scope: "cluster",
  title: "RBAC rule grants escalate, bind or impersonate",
  severity: "high",
  description: `Reads \`rules[]\` of every Role and ClusterRole, matched as the RBAC authorizer does (\`*\` counts). Fails for each rule granting \`escalate\` or \`bind\` on \`roles\` or \`clusterroles\` (group \`rbac.authorization.k8s.io\`), or \`impersonate\` on \`users\`, \`groups\`, \`serviceaccounts\` (core group) or \`uids\`, \`userextras/*\` (group \`authentication.k8s.io\`). Medium instead of high when the rule is limited by \`resourceNames\`. ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Remove escalate, bind and impersonate from roles that workloads and people use day to day; where binding is needed, limit bind to named roles with resourceNames.",
  references: [
    {
      title: "Kubernetes RBAC: privilege escalation prevention",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
    },
    {
      title: "Kubernetes: User impersonation",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
    },
    RBAC_DOCS,
    RBAC_GOOD_PRACTICES,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.8", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "high",
    }),
});

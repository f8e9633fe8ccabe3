/**
 * rbac.pod-exec-attach: `pods/exec` and `pods/attach` give a shell or the console of any pod in
 * scope, with its service-account token, mounted Secrets and network position.
 */
import { defineCheck } from "../types.ts";
import {
  BUILT_IN_ROLES_NOTE,
  hasRoles,
  NSA_GUIDE,
  type Permission,
  permissionFindings,
  RBAC_GOOD_PRACTICES,
} from "./util.ts";

const PERMISSIONS: readonly Permission[] = ["exec", "attach"].flatMap((subresource) =>
  ["create", "get"].map((verb) => ({ group: "", resource: "pods", subresource, verb })),
);

export const podExecAttach = defineCheck({
  id: "rbac.pod-exec-attach",
  scope: "cluster",
  title: "RBAC rule grants exec or attach into pods",
  severity: "high",
  description: `Reads \`rules[]\` of every Role and ClusterRole, matched as the RBAC authorizer does (\`*\` and \`*/exec\` count). Fails for each rule granting \`create\` or \`get\` (WebSocket clients use get) on \`pods/exec\` or \`pods/attach\` in the core group. High when a ClusterRoleBinding grants it; medium for a namespaced grant or an unbound ClusterRole; one level lower when limited by \`resourceNames\`. ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Grant pods/exec and pods/attach only to break-glass or debugging roles, in the namespaces that need them; prefer logs, metrics and ephemeral debug containers under review.",
  references: [RBAC_GOOD_PRACTICES, NSA_GUIDE],
  frameworks: { "nsa-cisa": "authorization", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "medium",
    }),
});

/**
 * rbac.create-workloads: whoever can create a pod, or a controller that creates pods, can run it as
 * any service account of the namespace and mount any Secret, ConfigMap or volume of it.
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

const CONTROLLERS: readonly { group: string; resource: string }[] = [
  { group: "", resource: "replicationcontrollers" },
  { group: "apps", resource: "deployments" },
  { group: "apps", resource: "replicasets" },
  { group: "apps", resource: "statefulsets" },
  { group: "apps", resource: "daemonsets" },
  { group: "batch", resource: "jobs" },
  { group: "batch", resource: "cronjobs" },
];

const PERMISSIONS: readonly Permission[] = [
  { group: "", resource: "pods", verb: "create" },
  ...CONTROLLERS.map((c) => ({ ...c, verb: "create" })),
  ...CONTROLLERS.flatMap((c) => ["update", "patch"].map((verb) => ({ ...c, verb }))),
];

export const createWorkloads = defineCheck({
  id: "rbac.create-workloads",
  scope: "cluster",
  title: "RBAC rule grants creating pods or workloads",
  severity: "high",
  description: `Reads \`rules[]\` of every Role and ClusterRole, matched as the RBAC authorizer does (\`*\` counts). Fails for each rule granting \`create\` on \`pods\`, \`replicationcontrollers\` (core group), \`deployments\`, \`replicasets\`, \`statefulsets\`, \`daemonsets\` (\`apps\`), \`jobs\` or \`cronjobs\` (\`batch\`), or \`update\`/\`patch\` on those controllers (which rewrites their pod template): the subject can then run pods as any service account of the namespace. A rule limited by \`resourceNames\` never authorizes create; for update and patch it lowers the finding one level. High when a ClusterRoleBinding grants it (every namespace); medium for a namespaced grant or an unbound ClusterRole. ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    "Grant creating and changing workloads only to deployment pipelines and operators, per namespace, and enforce Pod Security admission in those namespaces.",
  references: [RBAC_GOOD_PRACTICES, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.4", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) =>
    permissionFindings(ctx.inventory, {
      permissions: PERMISSIONS,
      severity: "high",
      namespacedSeverity: "medium",
    }),
});

/**
 * rbac.wildcard-api-groups: a `*` in a rule's `apiGroups` extends its resources to every API group,
 * including those that CRDs and aggregated APIs add later.
 */
import { defineCheck } from "../types.ts";
import {
  BUILT_IN_ROLES_NOTE,
  CIS_BENCHMARK,
  hasRoles,
  NSA_GUIDE,
  RBAC_GOOD_PRACTICES,
  wildcardFindings,
} from "./util.ts";

export const wildcardApiGroups = defineCheck({
  id: "rbac.wildcard-api-groups",
  scope: "cluster",
  title: "RBAC rule grants every API group (*)",
  severity: "low",
  description: `Reads \`rules[].apiGroups\` of every Role and ClusterRole. Fails for each rule on resources whose apiGroups contain \`*\` (the rule's resources in every group, present and future; \`""\` is the core group). The finding is high when the same rule also has \`*\` in \`verbs\` and \`resources\` (full access, as cluster-admin). ${BUILT_IN_ROLES_NOTE}`,
  remediation:
    'Replace "*" in apiGroups with the API groups of the resources the subject needs ("" for the core group).',
  references: [RBAC_GOOD_PRACTICES, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.3", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) => wildcardFindings(ctx.inventory, "apiGroups", "low"),
});

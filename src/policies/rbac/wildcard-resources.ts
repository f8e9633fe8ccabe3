/**
 * rbac.wildcard-resources: a `*` in a rule's `resources` grants every resource and subresource of
 * its API groups, including Secrets, `pods/exec` and resources that CRDs add later.
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

export const wildcardResources = defineCheck({
  id: "rbac.wildcard-resources",
  scope: "cluster",
  title: "RBAC rule grants every resource (*)",
  severity: "medium",
  description: `Reads \`rules[].resources\` of every Role and ClusterRole. Fails for each rule whose resources contain \`*\` (every resource and subresource of the rule's apiGroups, present and future). Subresource patterns such as \`*/scale\` are not reported here. The finding is high when the same rule also has \`*\` in \`verbs\` and \`apiGroups\` (full access, as cluster-admin). ${BUILT_IN_ROLES_NOTE}`,
  remediation: 'Replace "*" in resources with the resources (and subresources) the subject needs.',
  references: [RBAC_GOOD_PRACTICES, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.3", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) => wildcardFindings(ctx.inventory, "resources", "medium"),
});

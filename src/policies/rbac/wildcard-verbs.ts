/**
 * rbac.wildcard-verbs: a `*` in a rule's `verbs` grants every verb the API has or will have,
 * including `escalate`, `bind`, `impersonate` and `delete`.
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

export const wildcardVerbs = defineCheck({
  id: "rbac.wildcard-verbs",
  scope: "cluster",
  title: "RBAC rule grants every verb (*)",
  severity: "medium",
  description: `Reads \`rules[].verbs\` of every Role and ClusterRole. Fails for each rule on resources (\`resources\` not empty) whose verbs contain \`*\`; list the verbs the subject needs instead (get, list, watch, create, update, patch, delete, deletecollection). Rules on \`nonResourceURLs\` only are not reported. The finding is high when the same rule also has \`*\` in \`resources\` and \`apiGroups\` (full access, as cluster-admin). ${BUILT_IN_ROLES_NOTE}`,
  remediation: 'Replace "*" in verbs with the explicit verbs the subject needs.',
  references: [RBAC_GOOD_PRACTICES, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "authorization", cis: "5.1.3", "microservices-hardening": "5-least-privilege" },
  applies: hasRoles,
  evaluate: (ctx) => wildcardFindings(ctx.inventory, "verbs", "medium"),
});

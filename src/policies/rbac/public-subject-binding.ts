/**
 * rbac.public-subject-binding: `system:anonymous` and `system:unauthenticated` are every request
 * without credentials; `system:authenticated` is every identity the cluster accepts (on some managed
 * clusters, any account of the provider). A role bound to them is granted to everyone.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  type BindingInfo,
  describeBinding,
  describeSubject,
  hasBindings,
  NSA_GUIDE,
  type PolicyRule,
  PUBLIC_SUBJECTS,
  RBAC_DOCS,
  RBAC_GOOD_PRACTICES,
  type RbacIndex,
  rbacIndex,
} from "./util.ts";

/** The default ClusterRoleBindings Kubernetes creates for everyone, with the public subjects each one has. */
const DEFAULT_PUBLIC_BINDINGS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["system:public-info-viewer", new Set(["system:authenticated", "system:unauthenticated"])],
  ["system:discovery", new Set(["system:authenticated"])],
  ["system:basic-user", new Set(["system:authenticated"])],
]);

const SELF_REVIEWS: ReadonlySet<string> = new Set([
  "selfsubjectaccessreviews",
  "selfsubjectrulesreviews",
  "selfsubjectreviews",
]);
const REVIEW_GROUPS: ReadonlySet<string> = new Set(["authorization.k8s.io", "authentication.k8s.io"]);

/** A rule as the default public roles have them: `get` on non-resource URLs, or creating self reviews. */
function harmless(rule: PolicyRule): boolean {
  if (rule.resources.length === 0) return rule.verbs.length > 0 && rule.verbs.every((v) => v === "get");
  return (
    rule.verbs.length > 0 &&
    rule.verbs.every((v) => v === "create") &&
    rule.apiGroups.length > 0 &&
    rule.apiGroups.every((g) => REVIEW_GROUPS.has(g)) &&
    rule.resources.every((r) => SELF_REVIEWS.has(r))
  );
}

/**
 * Whether a subject of a binding is one Kubernetes creates itself: the binding is one of the default
 * three, points at the ClusterRole of the same name, the subject is one that default has, and the
 * ClusterRole (when the input holds it) still grants only what the default does.
 */
function isDefault(index: RbacIndex, b: BindingInfo, subjectName: string): boolean {
  const expected = DEFAULT_PUBLIC_BINDINGS.get(b.name);
  if (b.kind !== "ClusterRoleBinding" || !expected?.has(subjectName)) return false;
  if (b.roleRef?.kind !== "ClusterRole" || b.roleRef.name !== b.name) return false;
  return !b.role || index.effectiveRules(b.role).every(harmless);
}

const WHO: Readonly<Record<string, string>> = {
  "system:anonymous": "every request without credentials",
  "system:unauthenticated": "every request without credentials",
  "system:authenticated": "every authenticated identity",
};

export const publicSubjectBinding = defineCheck({
  id: "rbac.public-subject-binding",
  scope: "cluster",
  title: "Role bound to anonymous or all users",
  severity: "critical",
  description:
    "Reads `subjects[]` and `roleRef` of every ClusterRoleBinding and RoleBinding. Fails for each subject named `system:anonymous`, `system:unauthenticated` or `system:authenticated` (User or Group). The default bindings Kubernetes creates are ignored, identified exactly rather than by a `system:` prefix (anyone can name a binding `system:…`): the ClusterRoleBindings `system:public-info-viewer` (authenticated and unauthenticated), `system:discovery` and `system:basic-user` (authenticated), each bound to the ClusterRole of the same name, as long as that ClusterRole, when the input holds it, grants only `get` on non-resource URLs and `create` on self subject reviews. A subject added to them, or a widened default role, is reported.",
  remediation:
    "Remove the anonymous and all-users groups from the binding and bind the role to the users, groups or service accounts that need it.",
  references: [
    {
      title: "Kubernetes RBAC: discovery roles",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
    },
    {
      title: "Kubernetes: Anonymous requests",
      url: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
    },
    RBAC_DOCS,
    RBAC_GOOD_PRACTICES,
    NSA_GUIDE,
  ],
  frameworks: { "nsa-cisa": "authorization", "microservices-hardening": "5-least-privilege" },
  applies: hasBindings,
  evaluate(ctx) {
    const index = rbacIndex(ctx.inventory);
    const out: RawFinding[] = [];
    for (const b of index.bindings) {
      for (const s of b.subjects) {
        if (!PUBLIC_SUBJECTS.has(s.name) || s.kind === "ServiceAccount") continue;
        if (isDefault(index, b, s.name)) continue;
        const role = b.roleRef ? `${b.roleRef.kind} "${b.roleRef.name}"` : "no role";
        out.push({
          resource: b.resource,
          path: ["subjects", s.index],
          message: `${describeBinding(b)} binds ${role} to ${describeSubject(s)} (${WHO[s.name]})`,
        });
      }
    }
    return out;
  },
});

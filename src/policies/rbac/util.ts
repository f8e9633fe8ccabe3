/**
 * The RBAC view the `rbac` checks share: Roles, ClusterRoles and their bindings resolved across the
 * inventory once (by namespace and name, by roleRef, aggregated ClusterRoles by label), rule
 * matching as the RBAC authorizer does it, and the phrasing of roles, bindings and subjects.
 */
import type { Resource } from "../../ingest/types.ts";
import { NamespacedIndex, perInventory } from "../common/inventory.ts";
import { type LabelSelector, labelsOf, matchesLabels, parseLabelSelector } from "../common/label-selector.ts";
import { asList, asObject, asString } from "../common/objects.ts";
import type { ClusterCheck, Inventory, RawFinding, Reference, Severity } from "../types.ts";
import { SEVERITIES } from "../types.ts";

export const RBAC_DOCS: Reference = {
  title: "Kubernetes: Using RBAC Authorization",
  url: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
};

export const RBAC_GOOD_PRACTICES: Reference = {
  title: "Kubernetes: Role Based Access Control Good Practices",
  url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
};

export const NSA_GUIDE: Reference = {
  title: "NSA/CISA Kubernetes Hardening Guidance: Authentication and authorization",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};

export const CIS_BENCHMARK: Reference = {
  title: "CIS Kubernetes Benchmark, section 5.1 (RBAC and Service Accounts)",
  url: "https://www.cisecurity.org/benchmark/kubernetes",
};

/** Where the description of every role-rule check says which roles it skips. */
export const BUILT_IN_ROLES_NOTE =
  "Roles and ClusterRoles shipped by Kubernetes are not reported for their own rules (only bindings to them matter): names starting with `system:`, and the `cluster-admin`, `admin`, `edit` and `view` ClusterRoles when the input is a cluster snapshot or they carry the label `kubernetes.io/bootstrapping: rbac-defaults`. A role no binding in the input uses is still reported (the upload may hold only the role); the message names the bindings that grant it, directly or through an aggregated ClusterRole, when the input holds them.";

/** One entry of a role's `rules`, with wrong-typed fields read as empty lists. */
export interface PolicyRule {
  /** Index in `rules`, for paths. */
  index: number;
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
}

export interface RoleInfo {
  resource: Resource;
  kind: "Role" | "ClusterRole";
  /** The namespace as written (absent for ClusterRoles and for Roles without one). */
  namespace: string | undefined;
  name: string;
  rules: readonly PolicyRule[];
  labels: Readonly<Record<string, string>>;
  /** `aggregationRule.clusterRoleSelectors`, parsed; `undefined` for a role without aggregationRule. */
  aggregation: readonly (LabelSelector | undefined)[] | undefined;
  /** Shipped by Kubernetes (see BUILT_IN_ROLES_NOTE). */
  builtIn: boolean;
}

export interface Subject {
  /** Index in `subjects`, for paths. */
  index: number;
  kind: string;
  name: string;
  /** For ServiceAccounts: the subject's namespace, else the RoleBinding's. */
  namespace: string | undefined;
}

export interface BindingInfo {
  resource: Resource;
  kind: "RoleBinding" | "ClusterRoleBinding";
  namespace: string | undefined;
  name: string;
  roleRef: { kind: string; name: string } | undefined;
  /** The bound role, when it is in the inventory. */
  role: RoleInfo | undefined;
  subjects: readonly Subject[];
}

export interface RbacIndex {
  /** Roles and ClusterRoles, in input order. */
  roles: readonly RoleInfo[];
  /** RoleBindings and ClusterRoleBindings, in input order. */
  bindings: readonly BindingInfo[];
  clusterRole(name: string): RoleInfo | undefined;
  /** ClusterRoles this role's rules are aggregated into, directly or transitively. */
  aggregatorsOf(role: RoleInfo): readonly RoleInfo[];
  /** ClusterRoles an aggregated ClusterRole selects (directly), without itself. */
  aggregatedFrom(role: RoleInfo): readonly RoleInfo[];
  /** Bindings that grant this role's rules: its own and those of every ClusterRole it is aggregated into. */
  grantsOf(role: RoleInfo): readonly BindingInfo[];
  /** The rules a role grants: its own plus, for an aggregated ClusterRole, those of every role it selects. */
  effectiveRules(role: RoleInfo): readonly PolicyRule[];
}

function strings(v: unknown): string[] {
  return asList(v).filter((x): x is string => typeof x === "string");
}

/** The rules of a Role or ClusterRole object. Entries that are not objects are skipped. */
export function rulesOf(obj: unknown): PolicyRule[] {
  const out: PolicyRule[] = [];
  asList(asObject(obj)?.rules).forEach((entry, index) => {
    const r = asObject(entry);
    if (!r) return;
    out.push({
      index,
      apiGroups: strings(r.apiGroups),
      resources: strings(r.resources),
      verbs: strings(r.verbs),
      resourceNames: strings(r.resourceNames),
      nonResourceURLs: strings(r.nonResourceURLs),
    });
  });
  return out;
}

const DEFAULT_CLUSTER_ROLES: ReadonlySet<string> = new Set(["cluster-admin", "admin", "edit", "view"]);

function isBuiltIn(kind: string, name: string, labels: Record<string, string>, snapshot: boolean): boolean {
  if (name.startsWith("system:")) return true;
  if (kind !== "ClusterRole" || !DEFAULT_CLUSTER_ROLES.has(name)) return false;
  return snapshot || labels["kubernetes.io/bootstrapping"] === "rbac-defaults";
}

function roleInfo(resource: Resource, snapshot: boolean): RoleInfo {
  const kind = resource.kind as "Role" | "ClusterRole";
  const labels = labelsOf(resource.object);
  const agg = asObject(resource.object.aggregationRule);
  return {
    resource,
    kind,
    namespace: kind === "Role" ? resource.namespace : undefined,
    name: resource.name,
    rules: rulesOf(resource.object),
    labels,
    aggregation:
      kind === "ClusterRole" && agg
        ? asList(agg.clusterRoleSelectors).map((s) => parseLabelSelector(s))
        : undefined,
    builtIn: isBuiltIn(kind, resource.name, labels, snapshot),
  };
}

function subjectsOf(obj: unknown, bindingNamespace: string | undefined): Subject[] {
  const out: Subject[] = [];
  asList(asObject(obj)?.subjects).forEach((entry, index) => {
    const s = asObject(entry);
    if (!s) return;
    const kind = asString(s.kind) ?? "";
    const name = asString(s.name) ?? "";
    const ns = asString(s.namespace);
    out.push({
      index,
      kind,
      name,
      namespace: kind === "ServiceAccount" ? ns || bindingNamespace : ns,
    });
  });
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndex(inventory: Inventory): RbacIndex {
  const snapshot = inventory.snapshot !== undefined;
  const roles: RoleInfo[] = [];
  const bindingResources: Resource[] = [];
  const namespacedRoles = new NamespacedIndex<RoleInfo>();
  const clusterRoles = new Map<string, RoleInfo>();
  const clusterRolesByLabel = new Map<string, RoleInfo[]>();
  for (const r of inventory.resources) {
    if (r.kind === "RoleBinding" || r.kind === "ClusterRoleBinding") {
      bindingResources.push(r);
      continue;
    }
    if (r.kind !== "Role" && r.kind !== "ClusterRole") continue;
    const info = roleInfo(r, snapshot);
    roles.push(info);
    if (info.kind === "Role") {
      namespacedRoles.add(info.namespace, info.name, info);
      continue;
    }
    if (!clusterRoles.has(info.name)) clusterRoles.set(info.name, info);
    for (const [k, v] of Object.entries(info.labels)) push(clusterRolesByLabel, `${k}=${v}`, info);
  }

  // Aggregation: which ClusterRoles each aggregated ClusterRole selects, and the reverse.
  const selects = new Map<RoleInfo, RoleInfo[]>();
  const selectedBy = new Map<RoleInfo, RoleInfo[]>();
  const allClusterRoles = [...clusterRoles.values()];
  for (const agg of allClusterRoles) {
    if (!agg.aggregation) continue;
    const chosen = new Set<RoleInfo>();
    for (const selector of agg.aggregation) {
      if (!selector) continue;
      // Narrow by one `In` requirement with a single value when there is one; else look at all.
      const pivot = selector.requirements.find((q) => q.operator === "In" && q.values.length === 1);
      const candidates = pivot
        ? (clusterRolesByLabel.get(`${pivot.key}=${pivot.values[0]}`) ?? [])
        : allClusterRoles;
      for (const c of candidates) if (c !== agg && matchesLabels(selector, c.labels)) chosen.add(c);
    }
    selects.set(agg, [...chosen]);
    for (const c of chosen) push(selectedBy, c, agg);
  }

  const bindings: BindingInfo[] = [];
  const bindingsByRole = new Map<RoleInfo, BindingInfo[]>();
  for (const r of bindingResources) {
    const kind = r.kind as "RoleBinding" | "ClusterRoleBinding";
    const namespace = kind === "RoleBinding" ? r.namespace : undefined;
    const ref = asObject(r.object.roleRef);
    const refKind = asString(ref?.kind);
    const refName = asString(ref?.name);
    const roleRef =
      refKind !== undefined && refName !== undefined ? { kind: refKind, name: refName } : undefined;
    let role: RoleInfo | undefined;
    if (roleRef?.kind === "ClusterRole") role = clusterRoles.get(roleRef.name);
    else if (roleRef?.kind === "Role" && kind === "RoleBinding")
      role = namespacedRoles.get(namespace, roleRef.name);
    const info: BindingInfo = {
      resource: r,
      kind,
      namespace,
      name: r.name,
      roleRef,
      role,
      subjects: subjectsOf(r.object, namespace),
    };
    bindings.push(info);
    if (role) push(bindingsByRole, role, info);
  }

  const aggregatorsMemo = new Map<RoleInfo, RoleInfo[]>();
  const aggregatorsOf = (role: RoleInfo): RoleInfo[] => {
    const memo = aggregatorsMemo.get(role);
    if (memo) return memo;
    const seen = new Set<RoleInfo>([role]);
    const out: RoleInfo[] = [];
    const queue = [...(selectedBy.get(role) ?? [])];
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      queue.push(...(selectedBy.get(next) ?? []));
    }
    aggregatorsMemo.set(role, out);
    return out;
  };

  const grantsMemo = new Map<RoleInfo, BindingInfo[]>();
  const effectiveMemo = new Map<RoleInfo, PolicyRule[]>();
  const effectiveRules = (role: RoleInfo): PolicyRule[] => {
    const memo = effectiveMemo.get(role);
    if (memo) return memo;
    const out = [...role.rules];
    const seen = new Set<RoleInfo>([role]);
    const queue = [...(selects.get(role) ?? [])];
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(...next.rules);
      queue.push(...(selects.get(next) ?? []));
    }
    effectiveMemo.set(role, out);
    return out;
  };

  return {
    roles,
    bindings,
    clusterRole: (name) => clusterRoles.get(name),
    aggregatorsOf,
    aggregatedFrom: (role) => selects.get(role) ?? [],
    grantsOf: (role) => {
      const memo = grantsMemo.get(role);
      if (memo) return memo;
      const out = [...(bindingsByRole.get(role) ?? [])];
      for (const agg of aggregatorsOf(role)) out.push(...(bindingsByRole.get(agg) ?? []));
      grantsMemo.set(role, out);
      return out;
    },
    effectiveRules,
  };
}

/** The RBAC index of an inventory, built once. */
export const rbacIndex: (inventory: Inventory) => RbacIndex = perInventory(buildIndex);

// --- Rule matching, as the RBAC authorizer does it (k8s.io/component-helpers/auth/rbac/validation). ---

/** `verbs` holds `verb` or `*`. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes("*") || rule.verbs.includes(verb);
}

/** `apiGroups` holds `group` or `*`. */
export function groupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes("*") || rule.apiGroups.includes(group);
}

/**
 * `resources` holds `*`, `resource` (`pods`) or `resource/subresource` (`pods/exec`), or for a
 * subresource `*\/subresource`. `resource/*` is not an RBAC wildcard and matches nothing. A
 * `subresource` of `*` asks for any subresource (impersonating `userextras/<key>`).
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  if (subresource === "*") {
    return rule.resources.some((r) => r === "*" || r.startsWith(`${resource}/`) || r.startsWith("*/"));
  }
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources) {
    if (r === "*" || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

/** What a check looks for: a verb on a resource (or subresource) of an API group. */
export interface Permission {
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
}

/** Whether the rule grants the permission on at least one object (resourceNames narrow, never block, except for create). */
export function ruleGrants(rule: PolicyRule, p: Permission): boolean {
  if (!verbMatches(rule, p.verb) || !groupMatches(rule, p.group)) return false;
  if (!resourceMatches(rule, p.resource, p.subresource)) return false;
  // A create of a top-level resource has no name when it is authorized, so resourceNames never match it.
  if (p.verb === "create" && !p.subresource && rule.resourceNames.length > 0) return false;
  return true;
}

/** Whether the grant relies on a `*` in verbs, apiGroups or resources. */
export function viaWildcard(rule: PolicyRule, p: Permission): boolean {
  if (!rule.verbs.includes(p.verb) || !rule.apiGroups.includes(p.group)) return true;
  if (p.subresource === "*") return !rule.resources.some((r) => r.startsWith(`${p.resource}/`));
  return !rule.resources.includes(p.subresource ? `${p.resource}/${p.subresource}` : p.resource);
}

/** One severity step lower (info stays info). */
export function lower(severity: Severity): Severity {
  const i = SEVERITIES.indexOf(severity);
  return SEVERITIES[Math.min(i + 1, SEVERITIES.length - 1)] ?? severity;
}

// --- Phrasing ---

/** `Role "deployer"` / `ClusterRole "ops"`; a Role from another namespace is `Role "prod/deployer"`. */
export function describeRole(role: RoleInfo, withNamespace = false): string {
  return withNamespace && role.namespace
    ? `${role.kind} "${role.namespace}/${role.name}"`
    : `${role.kind} "${role.name}"`;
}

/** `ClusterRoleBinding "ops"` / `RoleBinding "prod/deployer"`. */
export function describeBinding(b: BindingInfo): string {
  return b.namespace ? `${b.kind} "${b.namespace}/${b.name}"` : `${b.kind} "${b.name}"`;
}

/** `User "alice"`, `Group "devs"`, `ServiceAccount "ci/deployer"`. */
export function describeSubject(s: Subject): string {
  if (s.kind === "ServiceAccount") return `ServiceAccount "${s.namespace ? `${s.namespace}/` : ""}${s.name}"`;
  return `${s.kind || "subject"} "${s.name}"`;
}

/** `"a", "b"`. */
export function quoted(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(", ");
}

const MAX_LISTED = 3;

function listed(items: readonly string[]): string {
  if (items.length <= MAX_LISTED) return items.join(", ");
  return `${items.slice(0, MAX_LISTED).join(", ")} and ${items.length - MAX_LISTED} more`;
}

/**
 * What the message says about who holds a role: `; aggregated into ClusterRole "admin"; bound by
 * ClusterRoleBinding "ops" to Group "devs"`. Empty when the input holds neither.
 */
export function boundToPhrase(index: RbacIndex, role: RoleInfo): string {
  let out = "";
  const aggs = index.aggregatorsOf(role);
  if (aggs.length > 0) out += `; aggregated into ${listed(aggs.map((a) => describeRole(a)))}`;
  const grants = index.grantsOf(role);
  if (grants.length > 0) {
    const parts = grants.map((b) => {
      const subjects = b.subjects.map(describeSubject);
      return subjects.length > 0
        ? `${describeBinding(b)} to ${listed(subjects)}`
        : `${describeBinding(b)} (no subjects)`;
    });
    out += `; bound by ${listed(parts)}`;
  }
  return out;
}

/** Whether a ClusterRoleBinding grants the role, so its rules apply in every namespace. */
export function boundClusterWide(index: RbacIndex, role: RoleInfo): boolean {
  return role.kind === "ClusterRole" && index.grantsOf(role).some((b) => b.kind === "ClusterRoleBinding");
}

/** Where a namespaced grant applies: `cluster-wide`, `in namespace "prod"`, `in namespaces "a", "b"`, or empty. */
export function scopePhrase(index: RbacIndex, role: RoleInfo): string {
  if (boundClusterWide(index, role)) return " cluster-wide";
  if (role.kind === "Role") return role.namespace ? ` in namespace "${role.namespace}"` : "";
  const namespaces = [
    ...new Set(index.grantsOf(role).flatMap((b) => (b.namespace !== undefined ? [b.namespace] : []))),
  ];
  if (namespaces.length === 0) return "";
  return namespaces.length === 1
    ? ` in namespace "${namespaces[0]}"`
    : ` in namespaces ${quoted(namespaces)}`;
}

function ruleSignature(rule: PolicyRule): string {
  const sorted = (l: readonly string[]) => [...l].sort().join(",");
  return [rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames, rule.nonResourceURLs]
    .map(sorted)
    .join("|");
}

/**
 * The rules of a role that its own rule checks look at: none for a built-in role; for an aggregated
 * ClusterRole, its rules minus those copied from a ClusterRole it selects (the aggregation
 * controller writes them into `rules` in a cluster; they are reported on the role they come from).
 */
export function reportableRules(index: RbacIndex, role: RoleInfo): readonly PolicyRule[] {
  if (role.builtIn) return [];
  const sources = index.aggregatedFrom(role);
  if (sources.length === 0) return role.rules;
  const own = new Set(role.rules);
  const copied = new Set<string>();
  for (const s of sources) {
    for (const r of index.effectiveRules(s)) if (!own.has(r)) copied.add(ruleSignature(r));
  }
  return role.rules.filter((r) => !copied.has(ruleSignature(r)));
}

/** Shared `applies` of the role-rule checks: the input holds a Role or ClusterRole. */
export const hasRoles: NonNullable<ClusterCheck["applies"]> = (ctx) =>
  ctx.inventory.byKind("Role").length > 0 || ctx.inventory.byKind("ClusterRole").length > 0;

/** Shared `applies` of the binding checks: the input holds a RoleBinding or ClusterRoleBinding. */
export const hasBindings: NonNullable<ClusterCheck["applies"]> = (ctx) =>
  ctx.inventory.byKind("RoleBinding").length > 0 || ctx.inventory.byKind("ClusterRoleBinding").length > 0;

/** The identities every request, or every authenticated request, carries. */
export const PUBLIC_SUBJECTS: ReadonlySet<string> = new Set([
  "system:anonymous",
  "system:unauthenticated",
  "system:authenticated",
]);

/**
 * Users and groups that Kubernetes components authenticate as (`system:kube-controller-manager`,
 * `system:nodes`, `system:masters`…). Not system: service accounts (as `ServiceAccount` subjects or
 * as `system:serviceaccount:<ns>:<name>` users), the `system:serviceaccounts[:<ns>]` groups, and the
 * anonymous and all-users identities, which are checked by `rbac.public-subject-binding`.
 */
export function isSystemComponentSubject(s: Subject): boolean {
  if (s.kind !== "User" && s.kind !== "Group") return false;
  if (!s.name.startsWith("system:")) return false;
  if (PUBLIC_SUBJECTS.has(s.name)) return false;
  if (s.name.startsWith("system:serviceaccount:") || s.name === "system:serviceaccounts") return false;
  if (s.name.startsWith("system:serviceaccounts:")) return false;
  return true;
}

// --- The evaluation shared by the permission checks (secrets, exec, tokens, workloads, escalation). ---

/** What a permission check looks for, and how it rates a finding. */
export interface PermissionSpec {
  permissions: readonly Permission[];
  /** Severity when a ClusterRoleBinding grants the role (the check's own severity). */
  severity: Severity;
  /** Severity otherwise (a Role, or a ClusterRole bound only by RoleBindings or not bound in the input). */
  namespacedSeverity: Severity;
  /** Only ClusterRoles can grant it (cluster-scoped resources such as nodes). */
  clusterRolesOnly?: boolean;
}

function resourceLabel(p: Permission): string {
  return p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
}

/**
 * `get, list, watch on secrets` / `create on pods, deployments; update, patch on deployments`:
 * resources grouped by the verbs granted on them, in the order of `permissions`.
 */
export function describeGrants(granted: readonly Permission[]): string {
  const verbsByResource = new Map<string, string[]>();
  for (const p of granted) {
    const label = resourceLabel(p);
    const verbs = verbsByResource.get(label);
    if (!verbs) verbsByResource.set(label, [p.verb]);
    else if (!verbs.includes(p.verb)) verbs.push(p.verb);
  }
  const byVerbs = new Map<string, string[]>();
  for (const [resource, verbs] of verbsByResource) {
    const k = verbs.join(", ");
    const list = byVerbs.get(k);
    if (list) list.push(resource);
    else byVerbs.set(k, [resource]);
  }
  return [...byVerbs].map(([verbs, resources]) => `${verbs} on ${resources.join(", ")}`).join("; ");
}

/** Findings of a permission check: one per rule of a non-built-in role that grants any of the permissions. */
export function permissionFindings(inventory: Inventory, spec: PermissionSpec): RawFinding[] {
  const index = rbacIndex(inventory);
  const out: RawFinding[] = [];
  for (const role of index.roles) {
    if (spec.clusterRolesOnly && role.kind !== "ClusterRole") continue;
    const rules = reportableRules(index, role);
    if (rules.length === 0) continue;
    const clusterWide = boundClusterWide(index, role);
    for (const rule of rules) {
      const granted = spec.permissions.filter((p) => ruleGrants(rule, p));
      if (granted.length === 0) continue;
      let severity = clusterWide ? spec.severity : spec.namespacedSeverity;
      let names = "";
      if (rule.resourceNames.length > 0) {
        severity = lower(severity);
        names = `, limited to resourceNames ${quoted(rule.resourceNames)}`;
      }
      const wildcard = granted.some((p) => viaWildcard(rule, p)) ? " (through a wildcard)" : "";
      const scope = spec.clusterRolesOnly ? "" : scopePhrase(index, role);
      out.push({
        resource: role.resource,
        path: ["rules", rule.index, "verbs"],
        message: `${describeRole(role)} rules[${rule.index}] grants ${describeGrants(granted)}${wildcard}${names}${scope}${boundToPhrase(index, role)}`,
        ...(severity !== spec.severity ? { severity } : {}),
      });
    }
  }
  return out;
}

/** Findings of a wildcard check: one per `*` in `field` of a resource rule of a non-built-in role. */
export function wildcardFindings(
  inventory: Inventory,
  field: "verbs" | "resources" | "apiGroups",
  base: Severity,
): RawFinding[] {
  const index = rbacIndex(inventory);
  const out: RawFinding[] = [];
  for (const role of index.roles) {
    const rules = reportableRules(index, role);
    if (rules.length === 0) continue;
    for (const rule of rules) {
      // Non-resource rules (nonResourceURLs only) reach health and discovery endpoints, not objects.
      if (rule.resources.length === 0) continue;
      const at = rule[field].indexOf("*");
      if (at < 0) continue;
      const full = rule.verbs.includes("*") && rule.resources.includes("*") && rule.apiGroups.includes("*");
      const severity: Severity = full ? "high" : base;
      const what = full
        ? ' (verbs, resources and apiGroups are all "*": every action on every object, as cluster-admin)'
        : "";
      const scope = scopePhrase(index, role);
      out.push({
        resource: role.resource,
        path: ["rules", rule.index, field, at],
        message: `${describeRole(role)} rules[${rule.index}].${field} contains "*"${scope ? `, granted${scope}` : ""}${what}${boundToPhrase(index, role)}`,
        ...(severity !== base ? { severity } : {}),
      });
    }
  }
  return out;
}

import { describe, expect, it } from "vitest";
import { runCheck } from "../testing.ts";
import type { RawFinding } from "../types.ts";
import { clusterAdminBinding } from "./cluster-admin-binding.ts";
import { createWorkloads } from "./create-workloads.ts";
import { defaultServiceAccountBinding } from "./default-service-account-binding.ts";
import { rbacChecks } from "./index.ts";
import { nodesProxy } from "./nodes-proxy.ts";
import { podExecAttach } from "./pod-exec-attach.ts";
import { privilegeEscalationVerbs } from "./privilege-escalation-verbs.ts";
import { publicSubjectBinding } from "./public-subject-binding.ts";
import { secretsRead } from "./secrets-read.ts";
import { serviceaccountTokenCreate } from "./serviceaccount-token-create.ts";
import { resourceMatches, ruleGrants, rulesOf } from "./util.ts";
import { wildcardApiGroups } from "./wildcard-api-groups.ts";
import { wildcardResources } from "./wildcard-resources.ts";
import { wildcardVerbs } from "./wildcard-verbs.ts";

function summary(findings: RawFinding[]) {
  return findings.map((f) => ({
    name: `${f.resource.kind}/${f.resource.name}`,
    path: f.path,
    message: f.message,
    severity: f.severity,
  }));
}

const clusterRole = (name: string, rules: string, extra = "") => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
${extra}rules:
${rules}
`;

const role = (name: string, ns: string, rules: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${name}
  namespace: ${ns}
rules:
${rules}
`;

const crb = (name: string, roleName: string, subjects: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${roleName}
subjects:
${subjects}
`;

const rb = (name: string, ns: string, kind: string, roleName: string, subjects: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${name}
  namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${kind}
  name: ${roleName}
subjects:
${subjects}
`;

const docs = (...d: string[]) => d.join("\n---\n");

describe("rule matching", () => {
  const [rule] = rulesOf({ rules: [{ apiGroups: [""], resources: ["*/exec", "pods"], verbs: ["get"] }] });
  it("matches */subresource and exact resources, not resource/*", () => {
    expect(rule && resourceMatches(rule, "pods", "exec")).toBe(true);
    expect(rule && resourceMatches(rule, "pods")).toBe(true);
    expect(rule && resourceMatches(rule, "pods", "attach")).toBe(false);
    const [slashStar] = rulesOf({ rules: [{ resources: ["pods/*"], verbs: ["*"], apiGroups: ["*"] }] });
    expect(slashStar && resourceMatches(slashStar, "pods", "exec")).toBe(false);
  });
  it("never lets resourceNames authorize a create of a top-level resource", () => {
    const [named] = rulesOf({
      rules: [{ apiGroups: [""], resources: ["pods", "pods/exec"], verbs: ["create"], resourceNames: ["a"] }],
    });
    expect(named && ruleGrants(named, { group: "", resource: "pods", verb: "create" })).toBe(false);
    expect(
      named && ruleGrants(named, { group: "", resource: "pods", subresource: "exec", verb: "create" }),
    ).toBe(true);
  });
  it("reads wrong-typed rules as empty", () => {
    expect(rulesOf({ rules: [{ verbs: "get", resources: [1, "pods"] }, "x", null] })).toEqual([
      { index: 0, apiGroups: [], resources: ["pods"], verbs: [], resourceNames: [], nonResourceURLs: [] },
    ]);
    expect(rulesOf({ rules: "nope" })).toEqual([]);
  });
});

describe("rbac.wildcard-*", () => {
  const full = clusterRole("superuser", `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]`);
  it("reports each wildcard field at its element, high for a full wildcard rule, with the bindings", () => {
    const yaml = docs(
      full,
      crb("superuser", "superuser", "- kind: Group\n  name: ops\n  apiGroup: rbac.authorization.k8s.io"),
    );
    expect(summary(runCheck(wildcardVerbs, yaml))).toEqual([
      {
        name: "ClusterRole/superuser",
        path: ["rules", 0, "verbs", 0],
        message:
          'ClusterRole "superuser" rules[0].verbs contains "*", granted cluster-wide (verbs, resources and apiGroups are all "*": every action on every object, as cluster-admin); bound by ClusterRoleBinding "superuser" to Group "ops"',
        severity: "high",
      },
    ]);
    expect(runCheck(wildcardResources, yaml).map((f) => f.path)).toEqual([["rules", 0, "resources", 0]]);
    expect(runCheck(wildcardApiGroups, yaml).map((f) => f.severity)).toEqual(["high"]);
  });
  it("uses the check severity for a partial wildcard and names the namespace", () => {
    const yaml = role(
      "cm-admin",
      "prod",
      `- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["get", "*"]`,
    );
    expect(summary(runCheck(wildcardVerbs, yaml))).toEqual([
      {
        name: "Role/cm-admin",
        path: ["rules", 0, "verbs", 1],
        message: 'Role "cm-admin" rules[0].verbs contains "*", granted in namespace "prod"',
        severity: undefined,
      },
    ]);
    expect(runCheck(wildcardResources, yaml)).toEqual([]);
    expect(runCheck(wildcardApiGroups, yaml)).toEqual([]);
  });
  it("skips non-resource rules and built-in roles", () => {
    const nonResource = clusterRole("health", `- nonResourceURLs: ["/healthz"]\n  verbs: ["*"]`);
    const system = clusterRole(
      "system:controller:foo",
      `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]`,
    );
    const bootstrap = clusterRole(
      "cluster-admin",
      `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]`,
      "  labels:\n    kubernetes.io/bootstrapping: rbac-defaults\n",
    );
    expect(runCheck(wildcardVerbs, docs(nonResource, system, bootstrap))).toEqual([]);
  });
  it("reports a user-made ClusterRole named admin in an upload, but not in a snapshot", () => {
    const admin = clusterRole("admin", `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]`);
    expect(runCheck(wildcardVerbs, admin)).toHaveLength(1);
    expect(runCheck(wildcardVerbs, admin, { snapshot: true })).toEqual([]);
  });
  it("does not apply without roles", () => {
    const yaml = crb("x", "view", "- kind: User\n  name: bob");
    expect(wildcardVerbs.applies?.({ inventory: { resources: [], byKind: () => [] } } as never)).toBe(false);
    expect(runCheck(wildcardVerbs, yaml)).toEqual([]);
  });
});

describe("rbac.secrets-read", () => {
  const reader = clusterRole(
    "secret-reader",
    `- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get", "list", "watch"]`,
  );
  it("is high when a ClusterRoleBinding grants it", () => {
    const yaml = docs(
      reader,
      crb("read-all", "secret-reader", "- kind: ServiceAccount\n  name: backup\n  namespace: ops"),
    );
    expect(summary(runCheck(secretsRead, yaml))).toEqual([
      {
        name: "ClusterRole/secret-reader",
        path: ["rules", 0, "verbs"],
        message:
          'ClusterRole "secret-reader" rules[0] grants get, list, watch on secrets cluster-wide; bound by ClusterRoleBinding "read-all" to ServiceAccount "ops/backup"',
        severity: undefined,
      },
    ]);
  });
  it("is medium for a ClusterRole bound only in namespaces, or not bound", () => {
    const yaml = docs(
      reader,
      rb("read", "prod", "ClusterRole", "secret-reader", "- kind: User\n  name: alice"),
      rb("read", "dev", "ClusterRole", "secret-reader", "- kind: User\n  name: alice"),
    );
    expect(summary(runCheck(secretsRead, yaml))).toEqual([
      {
        name: "ClusterRole/secret-reader",
        path: ["rules", 0, "verbs"],
        message:
          'ClusterRole "secret-reader" rules[0] grants get, list, watch on secrets in namespaces "prod", "dev"; bound by RoleBinding "prod/read" to User "alice", RoleBinding "dev/read" to User "alice"',
        severity: "medium",
      },
    ]);
    expect(runCheck(secretsRead, reader).map((f) => f.severity)).toEqual(["medium"]);
  });
  it("counts wildcards and says so", () => {
    const yaml = role("ops", "prod", `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]`);
    expect(runCheck(secretsRead, yaml).map((f) => f.message)).toEqual([
      'Role "ops" rules[0] grants get, list, watch on secrets (through a wildcard) in namespace "prod"',
    ]);
  });
  it("lowers the severity for resourceNames and names them, never any value", () => {
    const yaml = docs(
      clusterRole(
        "one-secret",
        `- apiGroups: [""]\n  resources: ["secrets"]\n  resourceNames: ["tls-cert"]\n  verbs: ["get"]`,
      ),
      crb("one", "one-secret", "- kind: User\n  name: alice"),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-cert\n  namespace: prod\ndata:\n  tls.key: c3VwZXJzZWNyZXR2YWx1ZQ==`,
    );
    const findings = runCheck(secretsRead, yaml);
    expect(summary(findings)).toEqual([
      {
        name: "ClusterRole/one-secret",
        path: ["rules", 0, "verbs"],
        message:
          'ClusterRole "one-secret" rules[0] grants get on secrets, limited to resourceNames "tls-cert" cluster-wide; bound by ClusterRoleBinding "one" to User "alice"',
        severity: "medium",
      },
    ]);
    expect(JSON.stringify(summary(findings))).not.toMatch(/c3VwZXJzZWNyZXR2YWx1ZQ|supersecretvalue/);
  });
  it("ignores other groups and resources", () => {
    const yaml = docs(
      clusterRole(
        "x",
        `- apiGroups: ["apps"]\n  resources: ["secrets"]\n  verbs: ["get"]\n- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["list"]`,
      ),
    );
    expect(runCheck(secretsRead, yaml)).toEqual([]);
  });
});

describe("aggregated ClusterRoles", () => {
  const aggregated = clusterRole(
    "monitoring",
    "  []",
    'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      rbac.example.com/aggregate-to-monitoring: "true"\n',
  );
  const part = clusterRole(
    "monitoring-secrets",
    `- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["list"]`,
    '  labels:\n    rbac.example.com/aggregate-to-monitoring: "true"\n',
  );
  it("reports the rule on the role it comes from, bound through the aggregate", () => {
    const yaml = docs(aggregated, part, crb("monitoring", "monitoring", "- kind: Group\n  name: sre"));
    expect(summary(runCheck(secretsRead, yaml))).toEqual([
      {
        name: "ClusterRole/monitoring-secrets",
        path: ["rules", 0, "verbs"],
        message:
          'ClusterRole "monitoring-secrets" rules[0] grants list on secrets cluster-wide; aggregated into ClusterRole "monitoring"; bound by ClusterRoleBinding "monitoring" to Group "sre"',
        severity: undefined,
      },
    ]);
  });
  it("does not report rules copied into the aggregate in a snapshot twice", () => {
    const filled = clusterRole(
      "monitoring",
      `- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["list"]`,
      "aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    - key: rbac.example.com/aggregate-to-monitoring\n      operator: Exists\n",
    );
    const findings = runCheck(secretsRead, docs(filled, part), { snapshot: true });
    expect(findings.map((f) => f.resource.name)).toEqual(["monitoring-secrets"]);
  });
  it("reports an aggregate's own rules when no source is in the input", () => {
    const filled = clusterRole(
      "monitoring",
      `- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["list"]`,
      "aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      x: y\n",
    );
    expect(runCheck(secretsRead, filled).map((f) => f.resource.name)).toEqual(["monitoring"]);
  });
  it("resolves aggregation transitively and survives cycles", () => {
    const a = clusterRole(
      "a",
      "  []",
      "  labels:\n    agg: b\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      agg: a\n",
    );
    const b = clusterRole(
      "b",
      `- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get"]`,
      "  labels:\n    agg: a\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      agg: b\n",
    );
    const findings = runCheck(secretsRead, docs(a, b, crb("a", "a", "- kind: User\n  name: u")));
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRole "b" rules[0] grants get on secrets cluster-wide; aggregated into ClusterRole "a"; bound by ClusterRoleBinding "a" to User "u"',
    ]);
  });
});

describe("rbac.privilege-escalation-verbs", () => {
  it("reports escalate, bind and impersonate, grouped by verb", () => {
    const yaml = clusterRole(
      "escalator",
      `- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles", "roles"]\n  verbs: ["bind", "escalate"]\n- apiGroups: [""]\n  resources: ["users", "serviceaccounts"]\n  verbs: ["impersonate"]\n- apiGroups: ["authentication.k8s.io"]\n  resources: ["userextras/scopes"]\n  verbs: ["impersonate"]`,
    );
    expect(runCheck(privilegeEscalationVerbs, yaml).map((f) => [f.path, f.message])).toEqual([
      [
        ["rules", 0, "verbs"],
        'ClusterRole "escalator" rules[0] grants escalate, bind on roles, clusterroles',
      ],
      [
        ["rules", 1, "verbs"],
        'ClusterRole "escalator" rules[1] grants impersonate on users, serviceaccounts',
      ],
      [["rules", 2, "verbs"], 'ClusterRole "escalator" rules[2] grants impersonate on userextras/*'],
    ]);
  });
  it("is medium when bind is limited to named roles", () => {
    const yaml = role(
      "binder",
      "prod",
      `- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  resourceNames: ["view"]\n  verbs: ["bind"]`,
    );
    expect(runCheck(privilegeEscalationVerbs, yaml).map((f) => f.severity)).toEqual(["medium"]);
  });
  it("passes ordinary RBAC management", () => {
    const yaml = clusterRole(
      "rbac-reader",
      `- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["*"]\n  verbs: ["get", "list"]`,
    );
    expect(runCheck(privilegeEscalationVerbs, yaml)).toEqual([]);
  });
});

describe("rbac.pod-exec-attach, nodes-proxy, serviceaccount-token-create", () => {
  it("reports exec and attach with get or create", () => {
    const yaml = role(
      "debug",
      "prod",
      `- apiGroups: [""]\n  resources: ["pods/exec", "pods/attach"]\n  verbs: ["create", "get"]\n- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get"]`,
    );
    expect(summary(runCheck(podExecAttach, yaml))).toEqual([
      {
        name: "Role/debug",
        path: ["rules", 0, "verbs"],
        message: 'Role "debug" rules[0] grants create, get on pods/exec, pods/attach in namespace "prod"',
        severity: "medium",
      },
    ]);
  });
  it("reports */exec through a wildcard", () => {
    const yaml = clusterRole("x", `- apiGroups: [""]\n  resources: ["*/exec"]\n  verbs: ["create"]`);
    expect(runCheck(podExecAttach, yaml).map((f) => f.message)).toEqual([
      'ClusterRole "x" rules[0] grants create on pods/exec (through a wildcard)',
    ]);
  });
  it("reports nodes/proxy on ClusterRoles only", () => {
    const yaml = docs(
      clusterRole(
        "kubelet-api",
        `- apiGroups: [""]\n  resources: ["nodes/proxy", "nodes/metrics"]\n  verbs: ["get"]`,
      ),
      role("weird", "prod", `- apiGroups: [""]\n  resources: ["nodes/proxy"]\n  verbs: ["get"]`),
    );
    expect(summary(runCheck(nodesProxy, yaml))).toEqual([
      {
        name: "ClusterRole/kubelet-api",
        path: ["rules", 0, "verbs"],
        message: 'ClusterRole "kubelet-api" rules[0] grants get on nodes/proxy',
        severity: undefined,
      },
    ]);
  });
  it("reports serviceaccounts/token create but not get", () => {
    const yaml = docs(
      role("minter", "ci", `- apiGroups: [""]\n  resources: ["serviceaccounts/token"]\n  verbs: ["create"]`),
      role("looker", "ci", `- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get"]`),
    );
    expect(runCheck(serviceaccountTokenCreate, yaml).map((f) => f.message)).toEqual([
      'Role "minter" rules[0] grants create on serviceaccounts/token in namespace "ci"',
    ]);
  });
});

describe("rbac.create-workloads", () => {
  it("reports create on pods and controllers and update/patch on controllers", () => {
    const yaml = docs(
      role(
        "deployer",
        "prod",
        `- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["create", "update", "patch"]\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["create", "delete"]`,
      ),
      rb("deployer", "prod", "Role", "deployer", "- kind: ServiceAccount\n  name: ci"),
    );
    expect(summary(runCheck(createWorkloads, yaml))).toEqual([
      {
        name: "Role/deployer",
        path: ["rules", 0, "verbs"],
        message:
          'Role "deployer" rules[0] grants create, update, patch on deployments in namespace "prod"; bound by RoleBinding "prod/deployer" to ServiceAccount "prod/ci"',
        severity: "medium",
      },
      {
        name: "Role/deployer",
        path: ["rules", 1, "verbs"],
        message:
          'Role "deployer" rules[1] grants create on pods in namespace "prod"; bound by RoleBinding "prod/deployer" to ServiceAccount "prod/ci"',
        severity: "medium",
      },
    ]);
  });
  it("ignores create limited by resourceNames, and reads pods/log or pod deletion as fine", () => {
    const yaml = role(
      "x",
      "prod",
      `- apiGroups: [""]\n  resources: ["pods"]\n  resourceNames: ["a"]\n  verbs: ["create"]\n- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get", "delete"]`,
    );
    expect(runCheck(createWorkloads, yaml)).toEqual([]);
  });
  it("is high cluster-wide", () => {
    const yaml = docs(
      clusterRole(
        "job-runner",
        `- apiGroups: ["batch"]\n  resources: ["jobs", "cronjobs"]\n  verbs: ["create"]`,
      ),
      crb("job-runner", "job-runner", "- kind: User\n  name: scheduler"),
    );
    expect(runCheck(createWorkloads, yaml).map((f) => [f.severity, f.message])).toEqual([
      [
        undefined,
        'ClusterRole "job-runner" rules[0] grants create on jobs, cronjobs cluster-wide; bound by ClusterRoleBinding "job-runner" to User "scheduler"',
      ],
    ]);
  });
});

describe("rbac.cluster-admin-binding", () => {
  it("reports non-system subjects at their index, critical cluster-wide and high in a namespace", () => {
    const yaml = docs(
      crb(
        "admins",
        "cluster-admin",
        "- kind: Group\n  name: system:masters\n- kind: User\n  name: alice\n- kind: ServiceAccount\n  name: argocd\n  namespace: argocd\n- kind: User\n  name: system:kube-controller-manager",
      ),
      rb("ns-admin", "prod", "ClusterRole", "cluster-admin", "- kind: Group\n  name: prod-team"),
      rb("ns-edit", "prod", "ClusterRole", "edit", "- kind: Group\n  name: prod-team"),
    );
    expect(summary(runCheck(clusterAdminBinding, yaml))).toEqual([
      {
        name: "ClusterRoleBinding/admins",
        path: ["subjects", 1],
        message:
          'ClusterRoleBinding "admins" binds ClusterRole "cluster-admin" to User "alice" (full control of the cluster)',
        severity: undefined,
      },
      {
        name: "ClusterRoleBinding/admins",
        path: ["subjects", 2],
        message:
          'ClusterRoleBinding "admins" binds ClusterRole "cluster-admin" to ServiceAccount "argocd/argocd" (full control of the cluster)',
        severity: undefined,
      },
      {
        name: "RoleBinding/ns-admin",
        path: ["subjects", 0],
        message:
          'RoleBinding "prod/ns-admin" binds ClusterRole "cluster-admin" to Group "prod-team" (full control of namespace "prod")',
        severity: "high",
      },
    ]);
  });
  it("treats service-account users and groups as non-system", () => {
    const yaml = crb(
      "all-sa",
      "cluster-admin",
      "- kind: Group\n  name: system:serviceaccounts\n- kind: User\n  name: system:serviceaccount:ci:deployer",
    );
    expect(runCheck(clusterAdminBinding, yaml).map((f) => f.path)).toEqual([
      ["subjects", 0],
      ["subjects", 1],
    ]);
  });
  it("passes the default binding", () => {
    const yaml = crb("cluster-admin", "cluster-admin", "- kind: Group\n  name: system:masters");
    expect(runCheck(clusterAdminBinding, yaml)).toEqual([]);
  });
});

describe("rbac.public-subject-binding", () => {
  it("reports anonymous and all-users subjects", () => {
    const yaml = docs(
      crb(
        "oops",
        "view",
        "- kind: User\n  name: system:anonymous\n- kind: Group\n  name: system:authenticated",
      ),
      rb("public", "web", "Role", "reader", "- kind: Group\n  name: system:unauthenticated"),
    );
    expect(summary(runCheck(publicSubjectBinding, yaml))).toEqual([
      {
        name: "ClusterRoleBinding/oops",
        path: ["subjects", 0],
        message:
          'ClusterRoleBinding "oops" binds ClusterRole "view" to User "system:anonymous" (every request without credentials)',
        severity: undefined,
      },
      {
        name: "ClusterRoleBinding/oops",
        path: ["subjects", 1],
        message:
          'ClusterRoleBinding "oops" binds ClusterRole "view" to Group "system:authenticated" (every authenticated identity)',
        severity: undefined,
      },
      {
        name: "RoleBinding/public",
        path: ["subjects", 0],
        message:
          'RoleBinding "web/public" binds Role "reader" to Group "system:unauthenticated" (every request without credentials)',
        severity: undefined,
      },
    ]);
  });
  const publicInfo = crb(
    "system:public-info-viewer",
    "system:public-info-viewer",
    "- kind: Group\n  name: system:authenticated\n- kind: Group\n  name: system:unauthenticated",
  );
  it("ignores the default bindings with their default roles", () => {
    const yaml = docs(
      publicInfo,
      clusterRole(
        "system:public-info-viewer",
        `- nonResourceURLs: ["/healthz", "/version"]\n  verbs: ["get"]`,
      ),
      crb("system:basic-user", "system:basic-user", "- kind: Group\n  name: system:authenticated"),
      clusterRole(
        "system:basic-user",
        `- apiGroups: ["authorization.k8s.io"]\n  resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]\n  verbs: ["create"]`,
      ),
      crb("system:discovery", "system:discovery", "- kind: Group\n  name: system:authenticated"),
    );
    expect(runCheck(publicSubjectBinding, yaml)).toEqual([]);
  });
  it("reports a default binding whose role was widened, a subject added to it, or a look-alike name", () => {
    const yaml = docs(
      publicInfo,
      clusterRole(
        "system:public-info-viewer",
        `- nonResourceURLs: ["/healthz"]\n  verbs: ["get"]\n- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get"]`,
      ),
      crb("system:discovery", "system:discovery", "- kind: Group\n  name: system:unauthenticated"),
      crb("system:evil", "cluster-admin", "- kind: User\n  name: system:anonymous"),
    );
    expect(
      runCheck(publicSubjectBinding, yaml).map((f) => `${f.resource.name} ${JSON.stringify(f.path)}`),
    ).toEqual([
      'system:public-info-viewer ["subjects",0]',
      'system:public-info-viewer ["subjects",1]',
      'system:discovery ["subjects",0]',
      'system:evil ["subjects",0]',
    ]);
  });
});

describe("rbac.default-service-account-binding", () => {
  it("reports the default service account as subject or user, with the RoleBinding namespace as fallback", () => {
    const yaml = docs(
      rb(
        "app",
        "prod",
        "Role",
        "app",
        "- kind: ServiceAccount\n  name: default\n- kind: ServiceAccount\n  name: app",
      ),
      crb(
        "x",
        "view",
        "- kind: User\n  name: system:serviceaccount:dev:default\n- kind: ServiceAccount\n  name: default\n  namespace: kube-system",
      ),
    );
    expect(summary(runCheck(defaultServiceAccountBinding, yaml))).toEqual([
      {
        name: "RoleBinding/app",
        path: ["subjects", 0],
        message:
          'RoleBinding "prod/app" binds Role "app" to ServiceAccount "prod/default", the identity of every pod in namespace "prod" that sets no serviceAccountName',
        severity: undefined,
      },
      {
        name: "ClusterRoleBinding/x",
        path: ["subjects", 0],
        message:
          'ClusterRoleBinding "x" binds ClusterRole "view" to User "system:serviceaccount:dev:default", the identity of every pod in namespace "dev" that sets no serviceAccountName',
        severity: undefined,
      },
      {
        name: "ClusterRoleBinding/x",
        path: ["subjects", 1],
        message:
          'ClusterRoleBinding "x" binds ClusterRole "view" to ServiceAccount "kube-system/default", the identity of every pod in namespace "kube-system" that sets no serviceAccountName',
        severity: undefined,
      },
    ]);
  });
});

describe("odd input", () => {
  it("never throws on wrong-typed RBAC objects", () => {
    const yaml = docs(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\nrules: 5\naggregationRule:\n  clusterRoleSelectors: [5, {matchLabels: {a: 1}}, {matchExpressions: [{key: k, operator: Bogus}]}]",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef: nope\nsubjects: [1, {kind: 5}]",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: c\nroleRef: {kind: Role, name: a}\nsubjects: {kind: User}",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: d\nrules: [{verbs: ['*'], resources: '*'}, null]",
    );
    for (const check of rbacChecks) {
      if (check.scope !== "cluster") continue;
      expect(() => runCheck(check, yaml)).not.toThrow();
    }
  });
});

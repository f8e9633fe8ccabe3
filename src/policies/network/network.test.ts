import { describe, expect, it } from "vitest";
import { runCheck } from "../testing.ts";
import type { RawFinding } from "../types.ts";
import { networkChecks } from "./index.ts";
import { missingDefaultDenyEgress } from "./missing-default-deny-egress.ts";
import { missingDefaultDenyIngress } from "./missing-default-deny-ingress.ts";
import { workloadNotSelected } from "./workload-not-selected.ts";

const docs = (...d: string[]) => d.join("\n---\n");

const namespace = (name: string, labels = "") =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels ? `  labels:\n${labels}` : ""}`;

const deployment = (name: string, ns: string | undefined, labels: string, extraSpec = "") => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ""}spec:
  selector:
    matchLabels:
${labels.replace(/^/gm, "  ")}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, "    ")}
    spec:
${extraSpec}      containers:
        - name: app
          image: nginx:1.27
`;

const netpol = (name: string, ns: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

const cnp = (name: string, ns: string, spec: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${spec}`;

const ccnp = (name: string, spec: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: ${name}\n${spec}`;

const web = deployment("web", "shop", "    app: web");

function denied(yaml: string) {
  return {
    ingress: runCheck(missingDefaultDenyIngress, yaml).length === 0,
    egress: runCheck(missingDefaultDenyEgress, yaml).length === 0,
  };
}

function summary(findings: RawFinding[]) {
  return findings.map((f) => ({
    name: `${f.resource.kind}/${f.resource.name}`,
    path: f.path,
    message: f.message,
  }));
}

describe("network.missing-default-deny-*", () => {
  it("points at the Namespace object when present, else at the first workload", () => {
    expect(summary(runCheck(missingDefaultDenyIngress, docs(namespace("shop"), web)))).toEqual([
      {
        name: "Namespace/shop",
        path: ["metadata", "name"],
        message:
          'Namespace "shop" runs Deployment "web" but has no default-deny ingress policy: no NetworkPolicy with an empty podSelector and policyTypes Ingress that allows only named peers, and no Cilium policy doing the same for all its endpoints',
      },
    ]);
    expect(summary(runCheck(missingDefaultDenyEgress, web))).toEqual([
      {
        name: "Deployment/web",
        path: ["metadata", "namespace"],
        message:
          'Namespace "shop" (not in the input) runs Deployment "web" but has no default-deny egress policy: no NetworkPolicy with an empty podSelector and policyTypes Egress that allows only named peers, and no Cilium policy doing the same for all its endpoints',
      },
    ]);
  });

  it("puts workloads without a namespace in default and lists a few", () => {
    const yaml = docs(
      deployment("a", undefined, "    app: a"),
      deployment("b", undefined, "    app: b"),
      deployment("c", "default", "    app: c"),
      deployment("d", undefined, "    app: d"),
      deployment("e", undefined, "    app: e"),
    );
    expect(runCheck(missingDefaultDenyIngress, yaml).map((f) => f.message)).toEqual([
      'Namespace "default" (not in the input) runs Deployment "a", Deployment "b", Deployment "c" and 2 more but has no default-deny ingress policy: no NetworkPolicy with an empty podSelector and policyTypes Ingress that allows only named peers, and no Cilium policy doing the same for all its endpoints',
    ]);
  });

  it.each([
    [
      "deny-all ingress with policyTypes",
      "  podSelector: {}\n  policyTypes: [Ingress]",
      { ingress: true, egress: false },
    ],
    ["deny-all ingress, policyTypes defaulted", "  podSelector: {}", { ingress: true, egress: false }],
    ["absent podSelector selects all", "  policyTypes: [Ingress, Egress]", { ingress: true, egress: true }],
    ["ingress: [] is deny-all", "  podSelector: {}\n  ingress: []", { ingress: true, egress: false }],
    [
      "egress rules default policyTypes to both",
      "  podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - port: 53\n          protocol: UDP",
      { ingress: true, egress: true },
    ],
    ["egress: [] does not add Egress", "  podSelector: {}\n  egress: []", { ingress: true, egress: false }],
    [
      "allow-all ingress rule",
      "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - {}",
      { ingress: false, egress: false },
    ],
    [
      "ports-only rule allows every source",
      "  podSelector: {}\n  ingress:\n    - ports:\n        - port: 443",
      { ingress: false, egress: false },
    ],
    [
      "same-namespace only is restricted",
      "  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {}",
      { ingress: true, egress: false },
    ],
    [
      "every namespace is a catch-all",
      "  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector: {}",
      { ingress: false, egress: false },
    ],
    [
      "the whole internet is a catch-all",
      "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0",
      { ingress: false, egress: false },
    ],
    [
      "the internet minus ranges is restricted",
      "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except: [10.0.0.0/8]",
      { ingress: false, egress: true },
    ],
    [
      "a non-empty podSelector is not namespace-wide",
      "  podSelector:\n    matchLabels:\n      app: web",
      { ingress: false, egress: false },
    ],
    [
      "unknown policy types are ignored",
      "  podSelector: {}\n  policyTypes: [ingress]",
      { ingress: false, egress: false },
    ],
  ])("NetworkPolicy: %s", (_, spec, expected) => {
    expect(denied(docs(web, netpol("p", "shop", spec)))).toEqual(expected);
  });

  it("needs the policy in the workload's namespace", () => {
    expect(
      denied(docs(web, netpol("p", "other", "  podSelector: {}\n  policyTypes: [Ingress, Egress]"))),
    ).toEqual({
      ingress: false,
      egress: false,
    });
  });

  it.each([
    [
      "empty rule is Cilium's deny-all",
      "spec:\n  endpointSelector: {}\n  ingress:\n    - {}",
      { ingress: true, egress: false },
    ],
    [
      "deny-all but DNS egress",
      'spec:\n  endpointSelector: {}\n  egress:\n    - toEndpoints:\n        - matchLabels:\n            k8s:io.kubernetes.pod.namespace: kube-system\n            k8s-app: kube-dns\n      toPorts:\n        - ports:\n            - port: "53"\n              protocol: UDP',
      { ingress: false, egress: true },
    ],
    [
      "ingressDeny only enforces ingress",
      "spec:\n  endpointSelector: {}\n  ingressDeny:\n    - fromEntities: [world]",
      { ingress: true, egress: false },
    ],
    [
      "entity all is a catch-all",
      "spec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [all]",
      { ingress: false, egress: false },
    ],
    [
      "ports only is a catch-all",
      'spec:\n  endpointSelector: {}\n  ingress:\n    - toPorts:\n        - ports:\n            - port: "80"',
      { ingress: false, egress: false },
    ],
    [
      "enableDefaultDeny false turns it off",
      "spec:\n  endpointSelector: {}\n  enableDefaultDeny:\n    ingress: false\n  ingress:\n    - {}",
      { ingress: false, egress: false },
    ],
    [
      "specs[] entries count",
      "specs:\n  - endpointSelector: {}\n    ingress:\n      - {}\n  - endpointSelector: {}\n    egress:\n      - toFQDNs:\n          - matchName: api.example.com",
      { ingress: true, egress: true },
    ],
    [
      "a selector naming only the namespace is namespace-wide",
      "spec:\n  endpointSelector:\n    matchLabels:\n      k8s:io.kubernetes.pod.namespace: shop\n  ingress:\n    - {}",
      { ingress: true, egress: false },
    ],
    [
      "host policies do not count",
      "spec:\n  nodeSelector: {}\n  ingress:\n    - {}",
      { ingress: false, egress: false },
    ],
  ])("CiliumNetworkPolicy: %s", (_, spec, expected) => {
    expect(denied(docs(web, cnp("p", "shop", spec)))).toEqual(expected);
  });

  it("counts CiliumClusterwideNetworkPolicies for every namespace they select", () => {
    const all = ccnp("deny", "spec:\n  endpointSelector: {}\n  ingress:\n    - {}\n  egress:\n    - {}");
    expect(denied(docs(web, all))).toEqual({ ingress: true, egress: true });
    const notKubeSystem = ccnp(
      "deny",
      "spec:\n  endpointSelector:\n    matchExpressions:\n      - key: io.kubernetes.pod.namespace\n        operator: NotIn\n        values: [kube-system]\n  ingress:\n    - {}",
    );
    const sys = deployment("dns", "kube-system", "    k8s-app: kube-dns");
    expect(runCheck(missingDefaultDenyIngress, docs(web, sys, notKubeSystem)).map((f) => f.message)).toEqual([
      expect.stringContaining('Namespace "kube-system"'),
    ]);
    const byLabel = ccnp(
      "deny",
      "spec:\n  endpointSelector:\n    matchLabels:\n      io.cilium.k8s.namespace.labels.team: shop\n  ingress:\n    - {}",
    );
    expect(denied(docs(namespace("shop", "    team: shop"), web, byLabel)).ingress).toBe(true);
    expect(denied(docs(namespace("shop"), web, byLabel)).ingress).toBe(false);
    const allEndpoints = ccnp(
      "open",
      "spec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}",
    );
    expect(denied(docs(web, allEndpoints)).ingress).toBe(false);
  });

  it("ignores hostNetwork workloads and does not apply without workloads", () => {
    const host = deployment("agent", "monitoring", "    app: agent", "      hostNetwork: true\n");
    expect(runCheck(missingDefaultDenyIngress, host)).toEqual([]);
    expect(runCheck(workloadNotSelected, host)).toEqual([]);
    expect(runCheck(missingDefaultDenyIngress, namespace("empty"))).toEqual([]);
  });

  it("counts a snapshot's Deployment, ReplicaSet and Pod once", () => {
    const rs = `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-7d9\n  namespace: shop\n  ownerReferences:\n    - apiVersion: apps/v1\n      kind: Deployment\n      name: web\n      controller: true\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27`;
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7d9-x1\n  namespace: shop\n  labels:\n    app: web\n  ownerReferences:\n    - apiVersion: apps/v1\n      kind: ReplicaSet\n      name: web-7d9\n      controller: true\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27`;
    expect(runCheck(workloadNotSelected, docs(web, rs, pod)).map((f) => f.resource.kind)).toEqual([
      "Deployment",
    ]);
    const orphan = pod.replace("name: web-7d9\n", "name: gone\n");
    expect(runCheck(workloadNotSelected, docs(web, rs, orphan)).map((f) => f.resource.kind)).toEqual([
      "Deployment",
      "Pod",
    ]);
  });
});

describe("network.workload-not-selected", () => {
  const api = deployment("api", "shop", "    app: api\n    tier: backend");
  it("reports workloads no policy selects, at the pod template labels", () => {
    const yaml = docs(
      web,
      api,
      netpol("api", "shop", "  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - {}"),
    );
    expect(summary(runCheck(workloadNotSelected, yaml))).toEqual([
      {
        name: "Deployment/web",
        path: ["spec", "template", "metadata", "labels"],
        message:
          'Deployment "web" in namespace "shop" runs pods that no NetworkPolicy or Cilium policy selects: their ingress and egress traffic is not restricted',
      },
    ]);
  });
  it.each([
    [
      "matchExpressions In",
      "  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [web, api]",
      [],
    ],
    [
      "matchExpressions NotIn",
      "  podSelector:\n    matchExpressions:\n      - key: tier\n        operator: NotIn\n        values: [backend]",
      ["api"],
    ],
    [
      "matchExpressions Exists",
      "  podSelector:\n    matchExpressions:\n      - key: tier\n        operator: Exists",
      ["web"],
    ],
    [
      "matchExpressions DoesNotExist",
      "  podSelector:\n    matchExpressions:\n      - key: tier\n        operator: DoesNotExist",
      ["api"],
    ],
    [
      "an invalid selector selects nothing",
      "  podSelector:\n    matchLabels:\n      tier: 5",
      ["web", "api"],
    ],
    ["an empty selector selects all", "  podSelector: {}\n  ingress:\n    - {}", []],
  ])("%s", (_, spec, expected) => {
    expect(
      runCheck(workloadNotSelected, docs(web, api, netpol("p", "shop", spec))).map((f) => f.resource.name),
    ).toEqual(expected);
  });
  it("understands Cilium endpoint selectors with k8s: prefixes and service accounts", () => {
    const sa = deployment("worker", "shop", "    app: worker", "      serviceAccountName: worker\n");
    const yaml = docs(
      web,
      sa,
      cnp(
        "web",
        "shop",
        "spec:\n  endpointSelector:\n    matchLabels:\n      k8s:app: web\n  ingress:\n    - {}",
      ),
      ccnp(
        "workers",
        "spec:\n  endpointSelector:\n    matchLabels:\n      io.cilium.k8s.policy.serviceaccount: worker\n  egress:\n    - toEntities: [kube-apiserver]",
      ),
    );
    expect(runCheck(workloadNotSelected, yaml)).toEqual([]);
    const other = cnp("web", "elsewhere", "spec:\n  endpointSelector: {}\n  ingress:\n    - {}");
    expect(runCheck(workloadNotSelected, docs(web, other)).map((f) => f.resource.name)).toEqual(["web"]);
  });
  it("does not count a Cilium rule that enforces nothing", () => {
    expect(
      runCheck(workloadNotSelected, docs(web, cnp("noop", "shop", "spec:\n  endpointSelector: {}"))),
    ).toHaveLength(1);
  });
});

describe("odd input", () => {
  it("never throws on wrong-typed policies", () => {
    const yaml = docs(
      web,
      netpol(
        "a",
        "shop",
        "  podSelector: 5\n  policyTypes: Ingress\n  ingress: {from: 1}\n  egress: [1, {to: 2}, {to: [null, {ipBlock: 3}]}]",
      ),
      cnp(
        "b",
        "shop",
        "spec: 5\nspecs: [1, {endpointSelector: {matchExpressions: 2}, ingress: [1, {fromCIDR: 5}]}]",
      ),
      ccnp("c", "spec:\n  endpointSelector: {}\n  egress: [{toCIDRSet: [5, {cidr: 7}]}]"),
    );
    for (const check of networkChecks) {
      if (check.scope !== "cluster") continue;
      expect(() => runCheck(check, yaml)).not.toThrow();
    }
  });
});

import { describe, expect, it } from "vitest";
import { resourcesFromYaml, runCheck } from "../testing.ts";
import type { RawFinding, ResourceCheck } from "../types.ts";
import { admissionChecks } from "./index.ts";
import { invalidLabel } from "./invalid-label.ts";
import { missingEnforceLabel } from "./missing-enforce-label.ts";
import { privilegedEnforce } from "./privileged-enforce.ts";
import { unpinnedEnforceVersion } from "./unpinned-enforce-version.ts";
import { enforcePolicy } from "./util.ts";
import { workloadRejected } from "./workload-rejected.ts";

const docs = (...d: string[]) => d.join("\n---\n");

const namespace = (name: string, labels: Record<string, unknown> = {}) => {
  const entries = Object.entries(labels);
  const body = entries
    .map(([k, v]) => `    ${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join("\n");
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${entries.length ? `  labels:\n${body}\n` : ""}`;
};

function summary(findings: RawFinding[]) {
  return findings.map((f) => ({
    name: `${f.resource.kind}/${f.resource.name}`,
    path: f.path,
    message: f.message,
  }));
}

const E = "pod-security.kubernetes.io/enforce";
const EV = "pod-security.kubernetes.io/enforce-version";

describe("admission.missing-enforce-label", () => {
  it("reports namespaces without the label, except the Kubernetes system namespaces", () => {
    const yaml = docs(
      namespace("shop"),
      namespace("kube-system"),
      namespace("kube-public"),
      namespace("kube-node-lease"),
      namespace("labelled", { [E]: "baseline" }),
      namespace("invalid", { [E]: "Baseline" }),
      namespace("other", { "pod-security.kubernetes.io/warn": "restricted" }),
    );
    expect(summary(runCheck(missingEnforceLabel, yaml))).toEqual([
      {
        name: "Namespace/shop",
        path: ["metadata", "labels", E],
        message:
          'Namespace "shop" has no pod-security.kubernetes.io/enforce label: Pod Security admission applies the cluster default there (privileged unless the AdmissionConfiguration sets another level)',
      },
      {
        name: "Namespace/other",
        path: ["metadata", "labels", E],
        message:
          'Namespace "other" has no pod-security.kubernetes.io/enforce label: Pod Security admission applies the cluster default there (privileged unless the AdmissionConfiguration sets another level)',
      },
    ]);
  });
});

describe("admission.privileged-enforce", () => {
  it("reports privileged outside system namespaces", () => {
    const yaml = docs(
      namespace("ci", { [E]: "privileged" }),
      namespace("kube-system", { [E]: "privileged" }),
      namespace("web", { [E]: "restricted" }),
    );
    expect(summary(runCheck(privilegedEnforce, yaml))).toEqual([
      {
        name: "Namespace/ci",
        path: ["metadata", "labels", E],
        message:
          'Namespace "ci" sets pod-security.kubernetes.io/enforce=privileged: Pod Security admission rejects no pod there',
      },
    ]);
  });
});

describe("admission.invalid-label", () => {
  it.each([
    [
      E,
      "Restricted",
      'has invalid value "Restricted" (must be "privileged", "baseline" or "restricted"); admission enforces "restricted" instead (fail closed)',
    ],
    [
      "pod-security.kubernetes.io/audit",
      "strict",
      'has invalid value "strict" (must be "privileged", "baseline" or "restricted"); admission uses "privileged" for audit instead (nothing is audited)',
    ],
    [
      "pod-security.kubernetes.io/warn",
      "",
      'has invalid value "" (must be "privileged", "baseline" or "restricted"); admission uses "privileged" for warn instead (nothing is warned about)',
    ],
    [
      EV,
      "v1.025",
      'has invalid value "v1.025" (must be "latest" or "v1.N"); admission uses "latest" instead',
    ],
    [EV, "1.30", 'has invalid value "1.30" (must be "latest" or "v1.N"); admission uses "latest" instead'],
    [
      "pod-security.kubernetes.io/audit-version",
      "v1.30.0",
      'has invalid value "v1.30.0" (must be "latest" or "v1.N"); admission uses "latest" instead',
    ],
    [
      "pod-security.kubernetes.io/warn-version",
      "v2.0",
      'has invalid value "v2.0" (must be "latest" or "v1.N"); admission uses "latest" instead',
    ],
    [EV, 1.3, 'has invalid value 1.3 (must be "latest" or "v1.N"); admission uses "latest" instead'],
  ])("%s=%j", (key, value, text) => {
    expect(summary(runCheck(invalidLabel, namespace("shop", { [key]: value })))).toEqual([
      {
        name: "Namespace/shop",
        path: ["metadata", "labels", key],
        message: `Namespace "shop" label ${key} ${text}`,
      },
    ]);
  });
  it("reports unknown keys under the prefix", () => {
    expect(
      runCheck(invalidLabel, namespace("shop", { "pod-security.kubernetes.io/enforced": "restricted" })).map(
        (f) => f.message,
      ),
    ).toEqual([
      'Namespace "shop" label pod-security.kubernetes.io/enforced is not a Pod Security label (expected enforce, audit or warn, or their -version forms); admission ignores it',
    ]);
  });
  it.each([
    ["latest", "latest"],
    ["v1.0", "v1.0"],
    ["v1.30", "v1.30"],
    ["v1.99", "v1.99"],
  ])("accepts version %s", (_, v) => {
    expect(
      runCheck(
        invalidLabel,
        namespace("shop", { [E]: "baseline", [EV]: v, "pod-security.kubernetes.io/warn": "restricted" }),
      ),
    ).toEqual([]);
  });
});

describe("admission.unpinned-enforce-version", () => {
  it("reports enforce without a pinned version", () => {
    const yaml = docs(
      namespace("a", { [E]: "restricted" }),
      namespace("b", { [E]: "baseline", [EV]: "latest" }),
      namespace("c", { [E]: "restricted", [EV]: "v1.30" }),
      namespace("d", { [E]: "privileged" }),
      namespace("e"),
      namespace("f", { [E]: "restricted", [EV]: "bogus" }),
      namespace("g", { [E]: "Restricted" }),
    );
    expect(summary(runCheck(unpinnedEnforceVersion, yaml))).toEqual([
      {
        name: "Namespace/a",
        path: ["metadata", "labels", EV],
        message:
          'Namespace "a" enforces Pod Security "restricted" without pod-security.kubernetes.io/enforce-version (latest): the rules change with each Kubernetes upgrade',
      },
      {
        name: "Namespace/b",
        path: ["metadata", "labels", EV],
        message:
          'Namespace "b" enforces Pod Security "baseline" with pod-security.kubernetes.io/enforce-version=latest: the rules change with each Kubernetes upgrade',
      },
      {
        name: "Namespace/g",
        path: ["metadata", "labels", EV],
        message:
          'Namespace "g" enforces Pod Security "restricted" without pod-security.kubernetes.io/enforce-version (latest): the rules change with each Kubernetes upgrade',
      },
    ]);
  });
});

describe("enforcePolicy", () => {
  const policy = (labels: Record<string, unknown>) => {
    const [ns] = resourcesFromYaml(namespace("x", labels));
    if (!ns) throw new Error("no namespace");
    return enforcePolicy(ns);
  };
  it("falls back as SPEC §5 says", () => {
    expect(policy({})).toEqual({
      level: "privileged",
      version: "latest",
      labelled: false,
      invalidLevel: false,
    });
    expect(policy({ [E]: "baseline", [EV]: "v1.25" })).toMatchObject({ level: "baseline", version: "v1.25" });
    expect(policy({ [E]: "nope", [EV]: "v1.025" })).toEqual({
      level: "restricted",
      version: "latest",
      labelled: true,
      invalidLevel: true,
    });
  });
});

const pod = (name: string, ns: string | undefined, containerExtra = "", podExtra = "") => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ""}spec:
${podExtra}  containers:
    - name: app
      image: registry.example.com/app:1.0.0
${containerExtra}`;

const restrictedSc = `      securityContext:
        allowPrivilegeEscalation: false
        runAsNonRoot: true
        capabilities:
          drop: ["ALL"]
        seccompProfile:
          type: RuntimeDefault
`;

describe("admission.workload-rejected", () => {
  it("evaluates a Pod at its namespace's enforce level and version", () => {
    const yaml = docs(
      namespace("prod", { [E]: "baseline", [EV]: "v1.30" }),
      pod("bad", "prod", "      securityContext:\n        privileged: true\n"),
      pod("good", "prod"),
    );
    expect(summary(runCheck(workloadRejected, yaml))).toEqual([
      {
        name: "Pod/bad",
        path: ["spec", "containers", 0, "securityContext", "privileged"],
        message:
          'Pod "bad" would be rejected in namespace "prod": violates PodSecurity "baseline:v1.30": privileged (container "app" must not set securityContext.privileged=true)',
      },
    ]);
  });

  it("reports a controller for its pods, with the template path", () => {
    const yaml = docs(
      namespace("prod", { [E]: "restricted" }),
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: registry.example.com/web:1.0.0
          securityContext:
            allowPrivilegeEscalation: false
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault`,
    );
    expect(summary(runCheck(workloadRejected, yaml))).toEqual([
      {
        name: "Deployment/web",
        path: ["spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "drop"],
        message:
          'Deployment "web" would have its pods rejected in namespace "prod" (the Deployment itself is admitted with a warning): violates PodSecurity "restricted:latest": unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])',
      },
    ]);
  });

  it("passes a pod meeting the level, and skips privileged, unlabelled or absent namespaces", () => {
    const yaml = docs(
      namespace("prod", { [E]: "restricted", [EV]: "v1.30" }),
      pod("ok", "prod", restrictedSc),
      namespace("ci", { [E]: "privileged" }),
      pod("priv", "ci", "      securityContext:\n        privileged: true\n"),
      namespace("plain"),
      pod("plain", "plain", "      securityContext:\n        privileged: true\n"),
      pod("nowhere", "missing", "      securityContext:\n        privileged: true\n"),
    );
    expect(runCheck(workloadRejected, yaml)).toEqual([]);
    expect(workloadRejected.applies?.({ inventory: { resources: [], byKind: () => [] } } as never)).toBe(
      false,
    );
  });

  it("puts a workload without namespace in default and applies the restricted fallback for an invalid level", () => {
    const yaml = docs(namespace("default", { [E]: "Restricted" }), pod("bare", undefined));
    const [finding] = runCheck(workloadRejected, yaml);
    expect(finding?.message).toMatch(
      /^Pod "bare" would be rejected in namespace "default" \(its invalid enforce label falls back to "restricted"\): violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
  });

  it("evaluates at the namespace's pinned version, not the newest", () => {
    // restricted below v1.22 has no drop-ALL rule and below v1.19 no seccomp rule.
    const yaml = docs(
      namespace("old", { [E]: "restricted", [EV]: "v1.18" }),
      pod(
        "legacy",
        "old",
        "      securityContext:\n        allowPrivilegeEscalation: false\n        runAsNonRoot: true\n",
      ),
    );
    expect(runCheck(workloadRejected, yaml)).toEqual([]);
  });
});

describe("odd input", () => {
  it("never throws on wrong-typed namespaces and workloads", () => {
    const yaml = docs(
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: 5",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels:\n    pod-security.kubernetes.io/enforce: [restricted]",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: b\nspec:\n  containers: 5",
    );
    for (const check of admissionChecks) {
      if (check.scope === "pss") continue;
      expect(() =>
        check.scope === "cluster" ? runCheck(check, yaml) : runCheck(check as ResourceCheck, yaml),
      ).not.toThrow();
    }
  });
});

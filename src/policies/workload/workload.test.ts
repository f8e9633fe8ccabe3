import { describe, expect, it } from "vitest";
import { contextFor, resourcesFromYaml, runCheck } from "../testing.ts";
import type { Check, ClusterCheck, RawFinding, ResourceCheck } from "../types.ts";
import { automountServiceAccountToken } from "./automount-service-account-token.ts";
import { defaultServiceAccount } from "./default-service-account.ts";
import { imageNotPinned, parseImage } from "./image-not-pinned.ts";
import { workloadChecks } from "./index.ts";
import { missingResourceLimits } from "./missing-resource-limits.ts";
import { missingResourceRequests } from "./missing-resource-requests.ts";
import { runAsRootUser } from "./run-as-root-user.ts";
import { shareProcessNamespace } from "./share-process-namespace.ts";
import { writableRootFilesystem } from "./writable-root-filesystem.ts";

/** A Deployment "web" in namespace "shop" with the given pod spec lines (indented under `spec:`). */
function deployment(podSpec: string, extra = ""): string {
  const body = podSpec
    .trim()
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n");
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
${body}
${extra}`;
}

const summary = (findings: RawFinding[]) =>
  findings.map((f) => ({
    message: f.message,
    path: f.path.join("."),
    ...(f.severity ? { severity: f.severity } : {}),
  }));

const T = "spec.template.spec";

// Metadata and pass/fail fixtures of every check are asserted for all modules in test/registry.test.ts.

describe("workload.automount-service-account-token", () => {
  const run = (text: string) => summary(runCheck(automountServiceAccountToken, text));
  const path = `${T}.automountServiceAccountToken`;

  it.each([
    ["pod opts out", "automountServiceAccountToken: false\ncontainers: [{name: app, image: a:1}]", "", []],
    [
      "pod opts in explicitly (low)",
      "automountServiceAccountToken: true\ncontainers: [{name: app, image: a:1}]",
      "",
      [
        {
          message:
            'Deployment "web" sets automountServiceAccountToken=true (keep it only if the pod calls the Kubernetes API)',
          path,
          severity: "low",
        },
      ],
    ],
    [
      "unset, ServiceAccount not in the input",
      "containers: [{name: app, image: a:1}]",
      "",
      [
        {
          message:
            'Deployment "web" does not set automountServiceAccountToken=false and its ServiceAccount "default" is not in the input',
          path,
        },
      ],
    ],
    [
      "unset, ServiceAccount opts out",
      "serviceAccountName: web\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n",
      [],
    ],
    [
      "unset, ServiceAccount without a namespace opts out",
      "serviceAccountName: web\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\n",
      [],
    ],
    [
      "unset, ServiceAccount in another namespace does not count",
      "serviceAccountName: web\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: other}\nautomountServiceAccountToken: false\n",
      [
        {
          message:
            'Deployment "web" does not set automountServiceAccountToken=false and its ServiceAccount "web" is not in the input',
          path,
        },
      ],
    ],
    [
      "unset, ServiceAccount leaves it unset",
      "serviceAccountName: web\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n",
      [
        {
          message:
            'Deployment "web" does not set automountServiceAccountToken=false, nor does its ServiceAccount "web"',
          path,
        },
      ],
    ],
    [
      "pod true wins over ServiceAccount false",
      "serviceAccountName: web\nautomountServiceAccountToken: true\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n",
      [
        {
          message:
            'Deployment "web" sets automountServiceAccountToken=true (keep it only if the pod calls the Kubernetes API)',
          path,
          severity: "low",
        },
      ],
    ],
    [
      "deprecated serviceAccount field, ServiceAccount sets true",
      "serviceAccount: legacy\ncontainers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: legacy, namespace: shop}\nautomountServiceAccountToken: true\n",
      [
        {
          message:
            'Deployment "web" does not set automountServiceAccountToken=false and its ServiceAccount "legacy" sets automountServiceAccountToken=true',
          path,
        },
      ],
    ],
    [
      "wrong type counts as unset",
      'automountServiceAccountToken: "false"\nserviceAccountName: web\ncontainers: [{name: app, image: a:1}]',
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n",
      [],
    ],
  ])("%s", (_title, spec, extra, expected) => {
    expect(run(deployment(spec, extra))).toEqual(expected);
  });

  it("points at the pod's own field for a bare Pod and a CronJob", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: a:1}]\n";
    expect(runCheck(automountServiceAccountToken, pod).map((f) => f.path)).toEqual([
      ["spec", "automountServiceAccountToken"],
    ]);
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: a, image: a:1}]
`;
    expect(runCheck(automountServiceAccountToken, cron).map((f) => f.path.join("."))).toEqual([
      "spec.jobTemplate.spec.template.spec.automountServiceAccountToken",
    ]);
  });

  it("indexes the ServiceAccounts once per inventory", () => {
    const text = [deployment("serviceAccountName: web\ncontainers: [{name: a, image: a:1}]")]
      .concat(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n",
      )
      .join("\n---\n");
    const resources = resourcesFromYaml(text);
    const ctx = contextFor(resources);
    let calls = 0;
    const inventory = {
      ...ctx.inventory,
      byKind: (kind: string) => {
        if (kind === "ServiceAccount") calls++;
        return ctx.inventory.byKind(kind);
      },
    };
    const counted = { ...ctx, inventory };
    for (let i = 0; i < 5; i++) {
      for (const r of resources) automountServiceAccountToken.evaluate(r, counted);
    }
    expect(calls).toBe(1);
  });
});

describe("workload.default-service-account", () => {
  const run = (text: string) => summary(runCheck(defaultServiceAccount, text));
  it.each([
    [
      "absent",
      "containers: [{name: app, image: a:1}]",
      "",
      [
        {
          message:
            'Deployment "web" does not set serviceAccountName and runs as the "default" ServiceAccount',
          path: `${T}.serviceAccountName`,
        },
      ],
    ],
    [
      "explicit default",
      "serviceAccountName: default\ncontainers: [{name: app, image: a:1}]",
      "",
      [{ message: 'Deployment "web" sets serviceAccountName="default"', path: `${T}.serviceAccountName` }],
    ],
    [
      "deprecated serviceAccount: default",
      "serviceAccount: default\ncontainers: [{name: app, image: a:1}]",
      "",
      [{ message: 'Deployment "web" sets serviceAccount="default"', path: `${T}.serviceAccount` }],
    ],
    [
      "empty string counts as absent",
      'serviceAccountName: ""\ncontainers: [{name: app, image: a:1}]',
      "",
      [
        {
          message:
            'Deployment "web" does not set serviceAccountName and runs as the "default" ServiceAccount',
          path: `${T}.serviceAccountName`,
        },
      ],
    ],
    [
      "low when the pod mounts no token",
      "automountServiceAccountToken: false\ncontainers: [{name: app, image: a:1}]",
      "",
      [
        {
          message:
            'Deployment "web" does not set serviceAccountName and runs as the "default" ServiceAccount',
          path: `${T}.serviceAccountName`,
          severity: "low",
        },
      ],
    ],
    [
      "low when the default ServiceAccount in the input mounts no token",
      "containers: [{name: app, image: a:1}]",
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\nautomountServiceAccountToken: false\n",
      [
        {
          message:
            'Deployment "web" does not set serviceAccountName and runs as the "default" ServiceAccount',
          path: `${T}.serviceAccountName`,
          severity: "low",
        },
      ],
    ],
    ["dedicated account", "serviceAccountName: web\ncontainers: [{name: app, image: a:1}]", "", []],
  ])("%s", (_title, spec, extra, expected) => {
    expect(run(deployment(spec, extra))).toEqual(expected);
  });
});

describe("workload.writable-root-filesystem", () => {
  const run = (text: string) => summary(runCheck(writableRootFilesystem, text));
  it("reports each container that is not read-only, in visiting order", () => {
    const spec = `
initContainers:
  - name: init
    image: a:1
containers:
  - name: ok
    image: a:1
    securityContext: {readOnlyRootFilesystem: true}
  - name: writable
    image: a:1
    securityContext: {readOnlyRootFilesystem: false}
  - name: odd
    image: a:1
    securityContext: {readOnlyRootFilesystem: "true"}
  - name: bare
    image: a:1
    securityContext: []
ephemeralContainers:
  - name: debug
    image: busybox:1
`;
    expect(run(deployment(spec))).toEqual([
      {
        message:
          'Deployment "web" init container "init" does not set securityContext.readOnlyRootFilesystem=true',
        path: `${T}.initContainers.0.securityContext.readOnlyRootFilesystem`,
      },
      {
        message: 'Deployment "web" container "writable" sets securityContext.readOnlyRootFilesystem=false',
        path: `${T}.containers.1.securityContext.readOnlyRootFilesystem`,
      },
      {
        message: 'Deployment "web" container "odd" does not set securityContext.readOnlyRootFilesystem=true',
        path: `${T}.containers.2.securityContext.readOnlyRootFilesystem`,
      },
      {
        message: 'Deployment "web" container "bare" does not set securityContext.readOnlyRootFilesystem=true',
        path: `${T}.containers.3.securityContext.readOnlyRootFilesystem`,
      },
      {
        message:
          'Deployment "web" ephemeral container "debug" does not set securityContext.readOnlyRootFilesystem=true',
        path: `${T}.ephemeralContainers.0.securityContext.readOnlyRootFilesystem`,
      },
    ]);
  });

  it("skips Windows pods and tolerates odd container lists", () => {
    expect(run(deployment("os: {name: windows}\ncontainers: [{name: app, image: a:1}]"))).toEqual([]);
    expect(run(deployment("containers: [42, null, {image: a:1}]"))).toEqual([
      {
        message: 'Deployment "web" container "" does not set securityContext.readOnlyRootFilesystem=true',
        path: `${T}.containers.2.securityContext.readOnlyRootFilesystem`,
      },
    ]);
    expect(run(deployment("containers: {app: {image: a:1}}"))).toEqual([]);
  });
});

describe("workload.run-as-root-user", () => {
  const run = (text: string, pssLevel: "baseline" | "restricted" = "restricted") =>
    summary(runCheck(runAsRootUser, text, { pssLevel }));
  it.each([
    [
      "pod-level 0 inherited by some containers",
      `
securityContext: {runAsUser: 0}
initContainers: [{name: init, image: a:1}]
containers:
  - {name: app, image: a:1}
  - {name: safe, image: a:1, securityContext: {runAsUser: 1000}}
`,
      [
        {
          message:
            'Deployment "web" sets securityContext.runAsUser=0 for the pod (inherited by containers "init", "app")',
          path: `${T}.securityContext.runAsUser`,
        },
      ],
    ],
    [
      "container-level 0",
      "containers: [{name: app, image: a:1, securityContext: {runAsUser: 0}}, {name: b, image: a:1}]",
      [
        {
          message: 'Deployment "web" container "app" sets securityContext.runAsUser=0',
          path: `${T}.containers.0.securityContext.runAsUser`,
        },
      ],
    ],
    [
      "both, one inheriting container",
      `
securityContext: {runAsUser: 0}
containers:
  - {name: app, image: a:1}
  - {name: root, image: a:1, securityContext: {runAsUser: 0}}
`,
      [
        {
          message:
            'Deployment "web" sets securityContext.runAsUser=0 for the pod (inherited by container "app")',
          path: `${T}.securityContext.runAsUser`,
        },
        {
          message: 'Deployment "web" container "root" sets securityContext.runAsUser=0',
          path: `${T}.containers.1.securityContext.runAsUser`,
        },
      ],
    ],
    [
      "pod 0 overridden by every container",
      "securityContext: {runAsUser: 0}\ncontainers: [{name: app, image: a:1, securityContext: {runAsUser: 1}}]",
      [],
    ],
    ["string 0 is not a UID", 'containers: [{name: app, image: a:1, securityContext: {runAsUser: "0"}}]', []],
    ["non-zero", "securityContext: {runAsUser: 1000}\ncontainers: [{name: app, image: a:1}]", []],
  ])("%s", (_title, spec, expected) => {
    expect(run(deployment(spec))).toEqual(expected);
  });

  it("reports at the baseline level too", () => {
    const text = deployment("containers: [{name: app, image: a:1, securityContext: {runAsUser: 0}}]");
    expect(run(text, "baseline")).toHaveLength(1);
  });
});

describe("workload.image-not-pinned", () => {
  const digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  it.each([
    ["nginx", undefined, false],
    ["nginx:1.25", "1.25", false],
    ["localhost:5000/app", undefined, false],
    ["localhost:5000/app:2", "2", false],
    [`nginx@${digest}`, undefined, true],
    [`nginx:latest@${digest}`, "latest", true],
    ["nginx@sha256:abc", undefined, false],
  ])("parses %s", (image, tag, pinned) => {
    expect(parseImage(image)).toEqual({ tag, digest: pinned });
  });

  it("grades no tag and latest medium, a tag without digest low", () => {
    const spec = `
containers:
  - {name: a, image: "registry.example.com:5000/ops/agent"}
  - {name: b, image: "nginx:latest"}
  - {name: c, image: "nginx:1.25"}
  - {name: d, image: "nginx:1.25@${digest}"}
  - {name: e}
  - {name: f, image: 7}
`;
    expect(summary(runCheck(imageNotPinned, deployment(spec)))).toEqual([
      {
        message:
          'Deployment "web" container "a" image "registry.example.com:5000/ops/agent" has no tag (pulls :latest) and no digest',
        path: `${T}.containers.0.image`,
      },
      {
        message:
          'Deployment "web" container "b" image "nginx:latest" uses the mutable tag "latest" and no digest',
        path: `${T}.containers.1.image`,
      },
      {
        message: 'Deployment "web" container "c" image "nginx:1.25" is pinned by tag only, not by digest',
        path: `${T}.containers.2.image`,
        severity: "low",
      },
    ]);
  });
});

describe("workload.missing-resource-limits / missing-resource-requests", () => {
  const limits = (text: string) => summary(runCheck(missingResourceLimits, text));
  const requests = (text: string) => summary(runCheck(missingResourceRequests, text));

  it("reports each missing limit and request of init and regular containers, not ephemeral ones", () => {
    const spec = `
initContainers:
  - {name: init, image: a:1, resources: {limits: {cpu: 100m, memory: 64Mi}}}
containers:
  - {name: app, image: a:1, resources: {requests: {cpu: 100m}, limits: {memory: 1Gi}}}
ephemeralContainers:
  - {name: debug, image: a:1}
`;
    expect(limits(deployment(spec))).toEqual([
      {
        message: 'Deployment "web" container "app" does not set resources.limits.cpu',
        path: `${T}.containers.0.resources.limits.cpu`,
      },
    ]);
    // cpu is requested; memory defaults to its limit.
    expect(requests(deployment(spec))).toEqual([]);
    expect(
      requests(deployment("containers: [{name: app, image: a:1, resources: {limits: {cpu: 1}}}]")),
    ).toEqual([
      {
        message: 'Deployment "web" container "app" does not set resources.requests.memory',
        path: `${T}.containers.0.resources.requests.memory`,
      },
    ]);
  });

  it("treats empty and wrong-typed quantities as missing", () => {
    const spec = 'containers: [{name: app, image: a:1, resources: {limits: {cpu: "", memory: [1]}}}]';
    expect(limits(deployment(spec)).map((f) => f.path)).toEqual([
      `${T}.containers.0.resources.limits.cpu`,
      `${T}.containers.0.resources.limits.memory`,
    ]);
  });

  it("counts LimitRange defaults of the same namespace", () => {
    const lr = (ns: string, body: string) =>
      `---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: d, namespace: ${ns}}\nspec:\n  limits:\n${body}\n`;
    const spec = "containers: [{name: app, image: a:1}]";
    const both = "    - type: Container\n      default: {cpu: 1, memory: 1Gi}";
    expect(limits(deployment(spec, lr("shop", both)))).toEqual([]);
    expect(requests(deployment(spec, lr("shop", both)))).toEqual([]);
    expect(limits(deployment(spec, lr("other", both)))).toHaveLength(2);
    const podOnly = "    - type: Pod\n      max: {cpu: 2}";
    expect(limits(deployment(spec, lr("shop", podOnly)))).toHaveLength(2);
    const requestOnly = "    - type: Container\n      defaultRequest: {memory: 64Mi}";
    expect(limits(deployment(spec, lr("shop", requestOnly)))).toHaveLength(2);
    expect(requests(deployment(spec, lr("shop", requestOnly))).map((f) => f.path)).toEqual([
      `${T}.containers.0.resources.requests.cpu`,
    ]);
  });
});

describe("workload.share-process-namespace", () => {
  it("reports only an explicit true", () => {
    const run = (spec: string) => summary(runCheck(shareProcessNamespace, deployment(spec)));
    expect(run("shareProcessNamespace: true\ncontainers: [{name: a, image: a:1}]")).toEqual([
      { message: 'Deployment "web" sets shareProcessNamespace=true', path: `${T}.shareProcessNamespace` },
    ]);
    expect(run('shareProcessNamespace: "true"\ncontainers: [{name: a, image: a:1}]')).toEqual([]);
    expect(run("containers: [{name: a, image: a:1}]")).toEqual([]);
  });
});

describe("workload checks never throw and never leak secret values", () => {
  const SECRET_VALUES = [
    "AKIAQ7XJ4M2KD9PLW3ZN",
    "ghp_Zt8qL2xV9mNcR4wKp7YbJ3sHd6FgA1eU0oIv",
    "s3cr3t-Pa55w0rd-Xq91!",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXZhbHVlLWhlcmU",
  ];
  const text = deployment(`
securityContext: {runAsUser: 0}
containers:
  - name: app
    image: nginx
    env:
      - {name: AWS_ACCESS_KEY_ID, value: ${SECRET_VALUES[0]}}
      - {name: GITHUB_TOKEN, value: ${SECRET_VALUES[1]}}
      - {name: DB_PASSWORD, value: "${SECRET_VALUES[2]}"}
      - {name: SESSION, value: ${SECRET_VALUES[3]}}
`);

  it("no finding message or path contains 6+ characters of a secret value", () => {
    const findings = workloadChecks.flatMap((c: Check) =>
      c.scope === "pss" ? [] : runCheck(c as ResourceCheck | ClusterCheck, text),
    );
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      const haystack = `${f.message}\n${f.path.join("\n")}`;
      for (const value of SECRET_VALUES) {
        for (let i = 0; i + 6 <= value.length; i++) expect(haystack).not.toContain(value.slice(i, i + 6));
      }
    }
  });

  it.each([
    ["Pod with a scalar spec", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 3\n"],
    [
      "Deployment without a template",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n",
    ],
    [
      "Pod with odd containers",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [[], 1, {securityContext: 5, resources: 7, image: {}}]}\n",
    ],
  ])("%s", (_t, yaml) => {
    for (const c of workloadChecks) {
      if (c.scope !== "pss") expect(() => runCheck(c as ResourceCheck | ClusterCheck, yaml)).not.toThrow();
    }
  });
});

describe("snapshot duplicates", () => {
  const owned = (kind: string, name: string, ownerKind: string, ownerName: string, podSpec: string) => {
    const tpl = kind === "Pod" ? "" : "  template:\n    spec:\n";
    const indent = kind === "Pod" ? "  " : "      ";
    return `apiVersion: ${kind === "Pod" ? "v1" : "apps/v1"}
kind: ${kind}
metadata:
  name: ${name}
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ${ownerKind}, name: ${ownerName}, uid: u, controller: true}]
spec:
${tpl}${indent}${podSpec}
`;
  };
  const spec = "containers: [{name: app, image: a:1}]";

  it("reports a Deployment once, not again through its ReplicaSet and Pods", () => {
    const text = [
      deployment(spec),
      owned("ReplicaSet", "web-5d8f", "Deployment", "web", spec),
      owned("Pod", "web-5d8f-abcde", "ReplicaSet", "web-5d8f", spec),
      owned("Pod", "orphan-xyz", "ReplicaSet", "gone", spec),
    ].join("---\n");
    const findings = runCheck(writableRootFilesystem, text, { snapshot: true });
    expect(findings.map((f) => `${f.resource.kind}/${f.resource.name}`)).toEqual([
      "Deployment/web",
      "Pod/orphan-xyz",
    ]);
  });
});

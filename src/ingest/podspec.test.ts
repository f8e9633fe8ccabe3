import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingest } from "./index.ts";
import { extractPod, POD_TEMPLATE_PATHS } from "./podspec.ts";
import type { KObject } from "./types.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const template = (): KObject => ({
  metadata: {
    labels: { app: "x" },
    annotations: { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" },
  },
  spec: { containers: [{ name: "app", image: "nginx" }] },
});

/** An object of `kind` with a pod template at its kind's path. */
function withTemplate(kind: string, apiVersion = "apps/v1"): KObject {
  const path = POD_TEMPLATE_PATHS[kind]!;
  const t = template();
  if (path.length === 0)
    return { apiVersion: "v1", kind, metadata: { name: "p", ...(t.metadata as KObject) }, spec: t.spec };
  const root: KObject = { apiVersion, kind, metadata: { name: "c", annotations: { "not-the-pod": "x" } } };
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next: KObject = {};
    node[path[i] as string] = next;
    node = next;
  }
  node[path[path.length - 1] as string] = t;
  return root;
}

describe("extractPod", () => {
  const cases: [string, (string | number)[]][] = [
    ["Pod", []],
    ["PodTemplate", ["template"]],
    ["ReplicationController", ["spec", "template"]],
    ["ReplicaSet", ["spec", "template"]],
    ["Deployment", ["spec", "template"]],
    ["StatefulSet", ["spec", "template"]],
    ["DaemonSet", ["spec", "template"]],
    ["Job", ["spec", "template"]],
    ["CronJob", ["spec", "jobTemplate", "spec", "template"]],
  ];

  it.each(cases)("finds the pod of a %s at %j", (kind, path) => {
    const object = withTemplate(kind);
    const { pod, problems } = extractPod(object, kind);
    expect(problems).toEqual([]);
    expect(pod?.path).toEqual(path);
    let node: unknown = object;
    for (const seg of path) node = (node as KObject)[seg as string];
    const tpl = node as KObject;
    // The pod's own metadata and spec, by reference, never the controller's metadata.
    expect(pod?.metadata).toBe(kind === "Pod" ? object.metadata : tpl.metadata);
    expect(pod?.spec).toBe(kind === "Pod" ? object.spec : tpl.spec);
    expect(pod?.metadata.annotations).not.toHaveProperty("not-the-pod");
  });

  it("matches on kind, whatever the API group", () => {
    expect(extractPod(withTemplate("Deployment", "extensions/v1beta1"), "Deployment").pod?.path).toEqual([
      "spec",
      "template",
    ]);
    expect(extractPod(withTemplate("DaemonSet", "apps/v1beta2"), "DaemonSet").pod).toBeDefined();
  });

  it("gives no pod, and no problem, to kinds without one or without a template", () => {
    expect(extractPod({ kind: "Service", spec: {} }, "Service")).toEqual({ problems: [] });
    expect(extractPod({ kind: "ReplicationController", spec: {} }, "ReplicationController")).toEqual({
      problems: [],
    });
    expect(extractPod({ kind: "Pod", metadata: { name: "x" } }, "Pod")).toEqual({ problems: [] });
    expect(extractPod({ kind: "Deployment", spec: { template: { metadata: {} } } }, "Deployment")).toEqual({
      problems: [],
    });
  });

  it("gives template metadata {} when it is absent", () => {
    const { pod } = extractPod({ spec: { template: { spec: { containers: [] } } } }, "Deployment");
    expect(pod?.metadata).toEqual({});
  });

  it("treats null as unset", () => {
    const { pod, problems } = extractPod(
      {
        spec: {
          template: {
            metadata: null,
            spec: {
              containers: null,
              securityContext: null,
              hostNetwork: null,
              volumes: [{ name: "v", emptyDir: null }],
            },
          },
        },
      },
      "Deployment",
    );
    expect(problems).toEqual([]);
    expect(pod).toBeDefined();
  });

  const bad: [string, KObject, string, string][] = [
    ["containers", { containers: "x" }, "spec.containers", "spec.containers: expected a list, got a string"],
    [
      "securityContext",
      { containers: [{ name: "a", securityContext: 5 }] },
      "spec.containers[0].securityContext",
      "spec.containers[0].securityContext: expected a mapping, got an integer",
    ],
    ["volumes", { volumes: {} }, "spec.volumes", "spec.volumes: expected a list, got a mapping"],
    [
      "container",
      { containers: ["nginx"] },
      "spec.containers[0]",
      "spec.containers[0]: expected a mapping, got a string",
    ],
    [
      "ports",
      { containers: [{ ports: 80 }] },
      "spec.containers[0].ports",
      "spec.containers[0].ports: expected a list, got an integer",
    ],
    [
      "hostPort",
      { containers: [{ ports: [{ hostPort: "80" }] }] },
      "spec.containers[0].ports[0].hostPort",
      "spec.containers[0].ports[0].hostPort: expected an integer, got a string",
    ],
    [
      "capabilities.add",
      { initContainers: [{ securityContext: { capabilities: { add: "NET_ADMIN" } } }] },
      "spec.initContainers[0].securityContext.capabilities.add",
      "spec.initContainers[0].securityContext.capabilities.add: expected a list, got a string",
    ],
    [
      "capabilities.add item",
      { containers: [{ securityContext: { capabilities: { add: ["CHOWN", 7] } } }] },
      "spec.containers[0].securityContext.capabilities.add[1]",
      "spec.containers[0].securityContext.capabilities.add[1]: expected a string, got an integer",
    ],
    [
      "privileged",
      { ephemeralContainers: [{ securityContext: { privileged: "yes" } }] },
      "spec.ephemeralContainers[0].securityContext.privileged",
      "spec.ephemeralContainers[0].securityContext.privileged: expected a boolean, got a string",
    ],
    [
      "runAsUser",
      { securityContext: { runAsUser: 1.5 } },
      "spec.securityContext.runAsUser",
      "spec.securityContext.runAsUser: expected an integer, got a number",
    ],
    [
      "hostNetwork",
      { hostNetwork: "true" },
      "spec.hostNetwork",
      "spec.hostNetwork: expected a boolean, got a string",
    ],
    [
      "seccompProfile.type",
      { securityContext: { seccompProfile: { type: ["RuntimeDefault"] } } },
      "spec.securityContext.seccompProfile.type",
      "spec.securityContext.seccompProfile.type: expected a string, got a list",
    ],
    [
      "sysctls",
      { securityContext: { sysctls: [{ name: 1 }] } },
      "spec.securityContext.sysctls[0].name",
      "spec.securityContext.sysctls[0].name: expected a string, got an integer",
    ],
    [
      "hostPath",
      { volumes: [{ name: "h", hostPath: "/etc" }] },
      "spec.volumes[0].hostPath",
      "spec.volumes[0].hostPath: expected a mapping, got a string",
    ],
    [
      "probe host",
      { containers: [{ livenessProbe: { httpGet: { host: 1, port: "http" } } }] },
      "spec.containers[0].livenessProbe.httpGet.host",
      "spec.containers[0].livenessProbe.httpGet.host: expected a string, got an integer",
    ],
    [
      "probe port",
      { containers: [{ readinessProbe: { tcpSocket: { port: true } } }] },
      "spec.containers[0].readinessProbe.tcpSocket.port",
      "spec.containers[0].readinessProbe.tcpSocket.port: expected an integer or a string, got a boolean",
    ],
    ["os", { os: { name: 3 } }, "spec.os.name", "spec.os.name: expected a string, got an integer"],
    [
      "windowsOptions",
      { containers: [{ securityContext: { windowsOptions: { hostProcess: 1 } } }] },
      "spec.containers[0].securityContext.windowsOptions.hostProcess",
      "spec.containers[0].securityContext.windowsOptions.hostProcess: expected a boolean, got an integer",
    ],
  ];

  it.each(bad)("reports a wrong type: %s", (_, spec, path, message) => {
    const { pod, problems } = extractPod({ metadata: { name: "p" }, spec }, "Pod");
    expect(pod).toBeUndefined();
    expect(problems.map((p) => [p.path.join("."), p.message])).toEqual([
      [path.replace(/\[(\d+)\]/g, ".$1"), message],
    ]);
  });

  it("reports annotations that are not a map of strings", () => {
    const { problems } = extractPod({ metadata: { annotations: { a: 1 } }, spec: {} }, "Pod");
    expect(problems.map((p) => p.message)).toEqual([
      "metadata.annotations.a: expected a string, got an integer",
    ]);
    expect(
      extractPod({ metadata: { annotations: ["a"] }, spec: {} }, "Pod").problems.map((p) => p.message),
    ).toEqual(["metadata.annotations: expected a mapping, got a list"]);
  });

  it("reports a template of the wrong type with its path", () => {
    expect(
      extractPod({ spec: { jobTemplate: { spec: { template: [] } } } }, "CronJob").problems.map(
        (p) => p.message,
      ),
    ).toEqual(["spec.jobTemplate.spec.template: expected a mapping, got a list"]);
    expect(extractPod({ spec: { template: { spec: "x" } } }, "Job").problems.map((p) => p.message)).toEqual([
      "spec.template.spec: expected a mapping, got a string",
    ]);
  });

  it("ignores fields the API server would drop", () => {
    const { pod } = extractPod(
      { spec: { securityContext: { privileged: "x", allowPrivilegeEscalation: 3 }, unknown: 1 } },
      "Pod",
    );
    expect(pod).toBeDefined();
  });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) =>
      statSync(join(dir, n)).isDirectory()
        ? yamlFiles(join(dir, n))
        : n.endsWith(".yaml")
          ? [join(dir, n)]
          : [],
    );
}

describe("pods through ingest", () => {
  it("yields a pod, and no error, for every PSS conformance fixture", () => {
    const files = yamlFiles(new URL("../../../shared/conformance/pss/", import.meta.url).pathname);
    expect(files.length).toBeGreaterThan(4500);
    const r = ingest(files.map((f) => ({ file: f, text: readFileSync(f, "utf8") })));
    expect(r.errors).toEqual([]);
    expect(r.resources.filter((x) => x.kind === "Pod" && x.pod?.path.length === 0)).toHaveLength(
      files.length,
    );
  });

  it("extracts pods from kubectl fixtures", () => {
    const r = ingest(
      ["deployment.yaml", "cronjob.yaml", "job.yaml", "deployment.json"].map((f) => ({
        file: f,
        text: fixture(f),
      })),
    );
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.kind, x.pod?.path])).toEqual([
      ["Deployment", ["spec", "template"]],
      ["CronJob", ["spec", "jobTemplate", "spec", "template"]],
      ["Job", ["spec", "template"]],
      ["Deployment", ["spec", "template"]],
    ]);
  });

  it("reports a type error at the field, and keeps the resource without a pod", () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        securityContext:
          privileged: "yes"
          capabilities:
            add: NET_ADMIN
`;
    const r = ingest([{ file: "d.yaml", text }]);
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0]!.pod).toBeUndefined();
    expect(r.errors).toEqual([
      {
        file: "d.yaml",
        document: 0,
        line: 11,
        column: 11,
        path: "spec.template.spec.containers[0].securityContext.privileged",
        message:
          "spec.template.spec.containers[0].securityContext.privileged: expected a boolean, got a string",
      },
      {
        file: "d.yaml",
        document: 0,
        line: 13,
        column: 13,
        path: "spec.template.spec.containers[0].securityContext.capabilities.add",
        message:
          "spec.template.spec.containers[0].securityContext.capabilities.add: expected a list, got a string",
      },
    ]);
  });

  it("positions type errors of List items inside the List", () => {
    const text =
      '{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"v1","kind":"Pod","spec":{"containers":"x"}}]}';
    const r = ingest([{ file: "l.json", text }]);
    expect(r.resources[0]!.pod).toBeUndefined();
    expect(r.errors).toEqual([
      {
        file: "l.json",
        document: 0,
        line: 2,
        column: 41,
        path: "spec.containers",
        message: "spec.containers: expected a list, got a string",
      },
    ]);
  });

  it("reads YAML 1.1 booleans as kubectl does", () => {
    const r = ingest([
      {
        file: "p.yaml",
        text: "apiVersion: v1\nkind: Pod\nspec:\n  hostPID: yes\n  containers:\n  - securityContext: {privileged: on}\n",
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.resources[0]!.pod?.spec).toEqual({
      hostPID: true,
      containers: [{ securityContext: { privileged: true } }],
    });
  });
});

/**
 * Regenerates the recorded cluster under test/fixtures/cluster/: list responses as a kube-apiserver
 * v1.32 would answer them, for a realistic cluster of a few hundred objects.
 *
 * Base objects come from `kubectl create … --dry-run=client -o json` (kubectl v1.32); the script then
 * adds what a server and its controllers add (uid, resourceVersion, timestamps, managedFields, owned
 * ReplicaSets and Pods, status) and what kubectl cannot create (DaemonSets, StatefulSets,
 * NetworkPolicies, static Pods, custom resources). Deterministic: same output on every run.
 * Tests never run it; they read the committed JSON. Run: `npx tsx test/cluster/generate-fixtures.ts`
 * (add `--tls` to also mint a new test CA and server certificate under tls/ with openssl).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

type Json = Record<string, unknown>;
interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Json[];
  [k: string]: unknown;
}
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [k: string]: unknown;
}

const OUT = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/cluster");
const T0 = Date.parse("2025-03-01T08:00:00Z");
let clock = 0;
const objects: Obj[] = [];

function hash(s: string, len = 10): string {
  return createHash("sha256").update(s).digest("hex").slice(0, len);
}
function uid(s: string): string {
  const h = createHash("sha256").update(s).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
/** Pod-name suffix alphabet as the API server uses (no vowels). */
function suffix(s: string, len = 5): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const h = createHash("sha256").update(s).digest();
  return Array.from(h.subarray(0, len), (b) => alphabet[b % alphabet.length]).join("");
}

function kubectl(...args: string[]): Obj {
  const dash = args.indexOf("--");
  const flags = ["--dry-run=client", "-o", "json"];
  const argv = dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
  const out = execFileSync("kubectl", argv, { encoding: "utf8" });
  const obj = JSON.parse(out) as Obj;
  delete obj.metadata.creationTimestamp;
  return obj;
}

const GROUP_MANAGER: Record<string, string> = {
  Pod: "kube-controller-manager",
  ReplicaSet: "kube-controller-manager",
  Job: "kube-controller-manager",
};

/** Add what the API server adds, then record the object. */
function add(obj: Obj, opts: { manager?: string; ageDays?: number } = {}): Obj {
  clock += 1;
  const m = obj.metadata;
  const id = `${obj.kind}/${m.namespace ?? ""}/${m.name}`;
  const created = new Date(T0 - (opts.ageDays ?? 30) * 86_400_000 + clock * 60_000)
    .toISOString()
    .replace(".000", "");
  m.uid = uid(id);
  m.resourceVersion = String(10_000 + clock * 7);
  m.creationTimestamp = created;
  if (
    ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "CronJob", "Job", "NetworkPolicy"].includes(
      obj.kind,
    )
  ) {
    m.generation = 1;
  }
  const fields: Json = { "f:metadata": { "f:labels": {} } };
  if (obj.spec) fields["f:spec"] = {};
  if (obj.data)
    fields["f:data"] = Object.fromEntries(Object.keys(obj.data as Json).map((k) => [`f:${k}`, {}]));
  m.managedFields = [
    {
      manager: opts.manager ?? GROUP_MANAGER[obj.kind] ?? "kubectl-client-side-apply",
      operation: "Update",
      apiVersion: obj.apiVersion,
      time: created,
      fieldsType: "FieldsV1",
      fieldsV1: fields,
    },
  ];
  objects.push(obj);
  return obj;
}

function owner(o: Obj): Json {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    uid: o.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

const NODES = ["cp-1", "node-1", "node-2"];

interface ContainerOpts {
  name: string;
  image: string;
  securityContext?: Json;
  resources?: Json;
  ports?: Json[];
  env?: Json[];
  command?: string[];
  args?: string[];
  volumeMounts?: Json[];
}
function container(c: ContainerOpts): Json {
  return {
    name: c.name,
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(c.ports ? { ports: c.ports } : {}),
    ...(c.env ? { env: c.env } : {}),
    resources: c.resources ?? {},
    ...(c.volumeMounts ? { volumeMounts: c.volumeMounts } : {}),
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: c.image.endsWith(":latest") || !c.image.includes(":") ? "Always" : "IfNotPresent",
    ...(c.securityContext ? { securityContext: c.securityContext } : {}),
  };
}

const RESTRICTED_CONTAINER: Json = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};
const RESTRICTED_POD: Json = {
  runAsNonRoot: true,
  runAsUser: 10001,
  seccompProfile: { type: "RuntimeDefault" },
};
const SMALL = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

function podSpec(containers: Json[], extra: Json = {}): Json {
  return {
    containers,
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    securityContext: {},
    schedulerName: "default-scheduler",
    ...extra,
  };
}

/** A Pod as the API server stores it, from a template, owned by `ownerObj`. */
function podFrom(
  name: string,
  namespace: string,
  template: { metadata?: Json; spec: Json },
  ownerObj: Obj | undefined,
  node: string,
  labels: Record<string, string> = {},
): Obj {
  const spec = structuredClone(template.spec);
  const sa = (spec.serviceAccountName as string | undefined) ?? "default";
  const tokenVolume = `kube-api-access-${suffix(`${namespace}/${name}`)}`;
  const containers = (spec.containers as Json[]).map((c) => ({
    ...c,
    volumeMounts: [
      ...((c.volumeMounts as Json[] | undefined) ?? []),
      { name: tokenVolume, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
    ],
  }));
  const pod: Obj = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      labels: { ...((template.metadata?.labels as Record<string, string>) ?? {}), ...labels },
      ...(template.metadata?.annotations
        ? { annotations: template.metadata.annotations as Record<string, string> }
        : {}),
      ...(ownerObj ? { ownerReferences: [owner(ownerObj)] } : {}),
    },
    spec: {
      ...spec,
      containers,
      serviceAccountName: sa,
      serviceAccount: sa,
      nodeName: node,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
      priority: 0,
      tolerations: [
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        {
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
      ],
      volumes: [
        ...((spec.volumes as Json[] | undefined) ?? []),
        {
          name: tokenVolume,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              {
                downwardAPI: {
                  items: [
                    { path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } },
                  ],
                },
              },
            ],
          },
        },
      ],
    },
    status: {
      phase: "Running",
      hostIP: `10.0.0.${NODES.indexOf(node) + 10}`,
      podIP: `10.244.${NODES.indexOf(node)}.${(clock % 200) + 2}`,
      qosClass: "Burstable",
      startTime: new Date(T0).toISOString().replace(".000", ""),
    },
  };
  return add(pod, { manager: "kubelet" });
}

interface WorkloadOpts {
  namespace: string;
  name: string;
  replicas: number;
  containers: Json[];
  podExtra?: Json;
  podAnnotations?: Record<string, string>;
  oldReplicaSet?: boolean;
}

/** A Deployment (kubectl create deployment) with its ReplicaSet(s) and Pods. */
function deployment(o: WorkloadOpts): Obj {
  const first = o.containers[0] as { image: string };
  const d = kubectl(
    "create",
    "deployment",
    o.name,
    `--image=${first.image}`,
    `--replicas=${o.replicas}`,
    "-n",
    o.namespace,
  );
  const tpl = (d.spec as Json).template as Json;
  (tpl.metadata as Json).annotations = o.podAnnotations;
  if (!o.podAnnotations) delete (tpl.metadata as Json).annotations;
  delete (tpl.metadata as Json).creationTimestamp;
  tpl.spec = podSpec(o.containers, o.podExtra);
  Object.assign(d.spec as Json, {
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
  d.status = {
    observedGeneration: 1,
    replicas: o.replicas,
    updatedReplicas: o.replicas,
    readyReplicas: o.replicas,
    availableReplicas: o.replicas,
  };
  d.metadata.annotations = { "deployment.kubernetes.io/revision": o.oldReplicaSet ? "2" : "1" };
  add(d);
  const revisions = o.oldReplicaSet ? [1, 2] : [1];
  for (const rev of revisions) {
    const current = rev === revisions.length;
    const hashLabel = hash(`${o.namespace}/${o.name}/${rev}`, 10).replace(
      /[0-9]/g,
      (x) => "bcdfghjklm"[Number(x)] ?? x,
    );
    const rsName = `${o.name}-${hashLabel}`;
    const labels = {
      ...((tpl.metadata as Json).labels as Record<string, string>),
      "pod-template-hash": hashLabel,
    };
    const rs: Obj = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: rsName,
        namespace: o.namespace,
        labels,
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(o.replicas),
          "deployment.kubernetes.io/max-replicas": String(o.replicas + 1),
          "deployment.kubernetes.io/revision": String(rev),
        },
        ownerReferences: [owner(d)],
      },
      spec: {
        replicas: current ? o.replicas : 0,
        selector: { matchLabels: labels },
        template: { metadata: { ...(tpl.metadata as Json), labels }, spec: tpl.spec },
      },
      status: { replicas: current ? o.replicas : 0, observedGeneration: 1 },
    };
    add(rs);
    if (!current) continue;
    for (let i = 0; i < o.replicas; i++) {
      const name = `${rsName}-${suffix(`${rsName}/${i}`)}`;
      podFrom(
        name,
        o.namespace,
        (rs.spec as Json).template as { spec: Json },
        rs,
        NODES[1 + (i % 2)] ?? "node-1",
        {
          "pod-template-hash": hashLabel,
        },
      );
    }
  }
  return d;
}

/** A StatefulSet (kubectl has no `create statefulset`: built from a Deployment's output) and its Pods. */
function statefulSet(o: WorkloadOpts & { serviceName: string }): Obj {
  const first = o.containers[0] as { image: string };
  const base = kubectl(
    "create",
    "deployment",
    o.name,
    `--image=${first.image}`,
    `--replicas=${o.replicas}`,
    "-n",
    o.namespace,
  );
  const tpl = (base.spec as Json).template as Json;
  delete (tpl.metadata as Json).creationTimestamp;
  if (o.podAnnotations) (tpl.metadata as Json).annotations = o.podAnnotations;
  tpl.spec = podSpec(o.containers, o.podExtra);
  const s: Obj = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: base.metadata,
    spec: {
      replicas: o.replicas,
      selector: (base.spec as Json).selector,
      serviceName: o.serviceName,
      template: tpl,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    },
    status: {
      replicas: o.replicas,
      readyReplicas: o.replicas,
      currentReplicas: o.replicas,
      observedGeneration: 1,
    },
  };
  add(s);
  const rev = `${o.name}-${hash(`${o.namespace}/${o.name}`, 10)}`;
  for (let i = 0; i < o.replicas; i++) {
    podFrom(
      `${o.name}-${i}`,
      o.namespace,
      { metadata: tpl.metadata as Json, spec: tpl.spec as Json },
      s,
      NODES[1 + (i % 2)] ?? "node-1",
      {
        "controller-revision-hash": rev,
        "statefulset.kubernetes.io/pod-name": `${o.name}-${i}`,
        "apps.kubernetes.io/pod-index": String(i),
      },
    );
  }
  return s;
}

/** A DaemonSet (built from a Deployment's output) with one Pod per node. */
function daemonSet(o: Omit<WorkloadOpts, "replicas"> & { allNodes?: boolean }): Obj {
  const first = o.containers[0] as { image: string };
  const base = kubectl("create", "deployment", o.name, `--image=${first.image}`, "-n", o.namespace);
  const tpl = (base.spec as Json).template as Json;
  delete (tpl.metadata as Json).creationTimestamp;
  if (o.podAnnotations) (tpl.metadata as Json).annotations = o.podAnnotations;
  tpl.spec = podSpec(o.containers, o.podExtra);
  const nodes = o.allNodes === false ? NODES.slice(1) : NODES;
  const ds: Obj = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: base.metadata,
    spec: {
      selector: (base.spec as Json).selector,
      template: tpl,
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes.length,
      desiredNumberScheduled: nodes.length,
      numberReady: nodes.length,
      observedGeneration: 1,
    },
  };
  add(ds);
  for (const node of nodes) {
    podFrom(`${o.name}-${suffix(`${o.name}/${node}`)}`, o.namespace, tpl as { spec: Json }, ds, node, {
      "controller-revision-hash": hash(o.name, 10),
      "pod-template-generation": "1",
    });
  }
  return ds;
}

function namespace(name: string, labels: Record<string, string> = {}): void {
  const ns = kubectl("create", "namespace", name);
  ns.metadata.labels = { "kubernetes.io/metadata.name": name, ...labels };
  ns.spec = { finalizers: ["kubernetes"] };
  ns.status = { phase: "Active" };
  add(ns, { ageDays: 90, manager: "kube-apiserver" });
  const sa = kubectl("create", "serviceaccount", "default", "-n", name);
  add(sa, { manager: "kube-controller-manager", ageDays: 90 });
  const ca = kubectl(
    "create",
    "configmap",
    "kube-root-ca.crt",
    "-n",
    name,
    "--from-literal=ca.crt=<ca bundle>",
  );
  ca.metadata.annotations = {
    "kubernetes.io/description":
      "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
  };
  add(ca, { manager: "kube-controller-manager", ageDays: 90 });
}

function serviceAccount(name: string, ns: string): void {
  add(kubectl("create", "serviceaccount", name, "-n", ns));
}

function service(name: string, ns: string, port: string, headless = false): void {
  const svc = kubectl(
    "create",
    "service",
    "clusterip",
    name,
    `--tcp=${port}`,
    "-n",
    ns,
    ...(headless ? ["--clusterip=None"] : []),
  );
  (svc.spec as Json).clusterIP = headless ? "None" : `10.96.${clock % 250}.${(clock * 7) % 250}`;
  (svc.spec as Json).sessionAffinity = "None";
  (svc.spec as Json).internalTrafficPolicy = "Cluster";
  svc.status = { loadBalancer: {} };
  add(svc);
}

function configMap(name: string, ns: string, data: Record<string, string>): Obj {
  return add(
    kubectl(
      "create",
      "configmap",
      name,
      "-n",
      ns,
      ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`),
    ),
  );
}

/** Secret values used below; the leak test searches the snapshot for each (and its base64). */
const SECRET_LITERALS: string[] = [];
function secretGeneric(
  name: string,
  ns: string,
  data: Record<string, string>,
  extra: Partial<Meta> = {},
): Obj {
  SECRET_LITERALS.push(...Object.values(data));
  const s = kubectl(
    "create",
    "secret",
    "generic",
    name,
    "-n",
    ns,
    ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`),
  );
  s.type = "Opaque";
  Object.assign(s.metadata, extra);
  return add(s);
}

function networkPolicy(name: string, ns: string, spec: Json): void {
  add({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec });
}

function staticPod(component: string, command: string[], image: string, extra: Json = {}): void {
  const name = `${component}-cp-1`;
  const hashValue = hash(`${component}-config`, 32);
  const pod: Obj = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "kube-system",
      labels: { component, tier: "control-plane" },
      annotations: {
        "kubernetes.io/config.hash": hashValue,
        "kubernetes.io/config.mirror": hashValue,
        "kubernetes.io/config.seen": "2025-01-30T08:00:00.000000000Z",
        "kubernetes.io/config.source": "file",
      },
      ownerReferences: [
        { apiVersion: "v1", kind: "Node", name: "cp-1", uid: uid("Node//cp-1"), controller: true },
      ],
    },
    spec: {
      containers: [
        container({
          name: component,
          image,
          command,
          resources: { requests: { cpu: "250m" } },
          volumeMounts: [
            { name: "k8s-certs", mountPath: "/etc/kubernetes/pki", readOnly: true },
            { name: "ca-certs", mountPath: "/etc/ssl/certs", readOnly: true },
          ],
        }),
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      nodeName: "cp-1",
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      tolerations: [{ operator: "Exists", effect: "NoExecute" }],
      volumes: [
        { name: "k8s-certs", hostPath: { path: "/etc/kubernetes/pki", type: "DirectoryOrCreate" } },
        { name: "ca-certs", hostPath: { path: "/etc/ssl/certs", type: "DirectoryOrCreate" } },
      ],
      ...extra,
    },
    status: { phase: "Running", hostIP: "10.0.0.10", podIP: "10.0.0.10", qosClass: "Burstable" },
  };
  add(pod, { manager: "kubelet", ageDays: 60 });
}

function clusterRole(
  name: string,
  rules: Json[],
  extra: Partial<Obj> = {},
  labels?: Record<string, string>,
): Obj {
  const cr: Obj = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name },
    rules,
    ...extra,
  };
  if (labels) cr.metadata.labels = labels;
  return add(cr, { ageDays: 90 });
}
function clusterRoleBinding(
  name: string,
  role: string,
  subjects: Json[],
  labels?: Record<string, string>,
): void {
  const b: Obj = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects,
  };
  if (labels) b.metadata.labels = labels;
  add(b, { ageDays: 90 });
}
const SA = (name: string, namespace: string): Json => ({ kind: "ServiceAccount", name, namespace });

// ---------------------------------------------------------------- the cluster

function buildCluster(): void {
  const bootstrap = { "kubernetes.io/bootstrapping": "rbac-defaults" };
  // Namespaces: some with Pod Security labels, some without.
  namespace("default");
  namespace("kube-system");
  namespace("kube-public");
  namespace("kube-node-lease");
  namespace("shop", {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "v1.32",
  });
  namespace("payments", {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/enforce-version": "v1.32",
    "pod-security.kubernetes.io/warn": "restricted",
  });
  namespace("monitoring");
  namespace("batch", { "pod-security.kubernetes.io/enforce": "restricted" });
  namespace("legacy", { "pod-security.kubernetes.io/enforce": "privileged" });
  namespace("external-secrets");
  const teams = ["team-a", "team-b", "team-c", "team-d", "team-e", "team-f", "team-g", "team-h"];
  for (const t of teams)
    namespace(t, t < "team-d" ? { "pod-security.kubernetes.io/enforce": "baseline" } : {});

  // kube-system: control plane as static (mirror) pods; kube-apiserver WITHOUT --encryption-provider-config.
  staticPod(
    "kube-apiserver",
    [
      "kube-apiserver",
      "--advertise-address=10.0.0.10",
      "--allow-privileged=true",
      "--authorization-mode=Node,RBAC",
      "--client-ca-file=/etc/kubernetes/pki/ca.crt",
      "--enable-admission-plugins=NodeRestriction",
      "--etcd-servers=https://127.0.0.1:2379",
      "--secure-port=6443",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      "--service-cluster-ip-range=10.96.0.0/12",
      "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
      "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    ],
    "registry.k8s.io/kube-apiserver:v1.32.2",
  );
  staticPod(
    "etcd",
    [
      "etcd",
      "--data-dir=/var/lib/etcd",
      "--listen-client-urls=https://127.0.0.1:2379",
      "--client-cert-auth=true",
    ],
    "registry.k8s.io/etcd:3.5.16-0",
  );
  staticPod(
    "kube-controller-manager",
    [
      "kube-controller-manager",
      "--use-service-account-credentials=true",
      "--controllers=*,bootstrapsigner,tokencleaner",
    ],
    "registry.k8s.io/kube-controller-manager:v1.32.2",
  );
  staticPod(
    "kube-scheduler",
    ["kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"],
    "registry.k8s.io/kube-scheduler:v1.32.2",
  );
  serviceAccount("coredns", "kube-system");
  serviceAccount("cilium", "kube-system");
  serviceAccount("cilium-operator", "kube-system");
  deployment({
    namespace: "kube-system",
    name: "coredns",
    replicas: 2,
    containers: [
      container({
        name: "coredns",
        image: "registry.k8s.io/coredns/coredns:v1.11.3",
        args: ["-conf", "/etc/coredns/Corefile"],
        resources: { requests: { cpu: "100m", memory: "70Mi" }, limits: { memory: "170Mi" } },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
          readOnlyRootFilesystem: true,
        },
        ports: [{ containerPort: 53, name: "dns", protocol: "UDP" }],
      }),
    ],
    podExtra: { serviceAccountName: "coredns", priorityClassName: "system-cluster-critical" },
  });
  daemonSet({
    namespace: "kube-system",
    name: "cilium",
    containers: [
      container({
        name: "cilium-agent",
        image:
          "quay.io/cilium/cilium:v1.16.6@sha256:1e0896b1c4c188b4812c7e0bed7ec3f5631388ca88325c1391a0ef9172c448da",
        command: ["cilium-agent"],
        args: ["--config-dir=/tmp/cilium/config-map"],
        securityContext: {
          privileged: true,
          capabilities: { add: ["NET_ADMIN", "SYS_MODULE", "SYS_ADMIN"] },
        },
        resources: { requests: { cpu: "100m", memory: "128Mi" } },
        volumeMounts: [{ name: "bpf-maps", mountPath: "/sys/fs/bpf", mountPropagation: "HostToContainer" }],
      }),
    ],
    podExtra: {
      serviceAccountName: "cilium",
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      volumes: [{ name: "bpf-maps", hostPath: { path: "/sys/fs/bpf", type: "DirectoryOrCreate" } }],
    },
    podAnnotations: { "container.apparmor.security.beta.kubernetes.io/cilium-agent": "unconfined" },
  });
  deployment({
    namespace: "kube-system",
    name: "cilium-operator",
    replicas: 1,
    containers: [
      container({
        name: "cilium-operator",
        image: "quay.io/cilium/operator-generic:v1.16.6",
        command: ["cilium-operator-generic"],
        resources: { requests: { cpu: "50m", memory: "64Mi" } },
      }),
    ],
    podExtra: { serviceAccountName: "cilium-operator", hostNetwork: true },
  });
  // Cilium without transparent encryption.
  configMap("cilium-config", "kube-system", {
    "cluster-name": "prod-eu-1",
    "enable-ipv4": "true",
    "enable-wireguard": "false",
    "enable-ipsec": "false",
    "kube-proxy-replacement": "true",
    ipam: "kubernetes",
    "routing-mode": "tunnel",
    "tunnel-protocol": "vxlan",
  });
  configMap("coredns", "kube-system", {
    Corefile:
      ".:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n",
  });
  configMap("kubeadm-config", "kube-system", {
    ClusterConfiguration:
      "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.32.2\nclusterName: prod-eu-1\n",
  });
  configMap("extension-apiserver-authentication", "kube-system", { "client-ca-file": "<ca bundle>" });
  service("kube-dns", "kube-system", "53:53");
  service("hubble-peer", "kube-system", "443:4244");
  service("kubernetes", "default", "443:6443");
  const bt = kubectl(
    "create",
    "secret",
    "generic",
    "bootstrap-token-abcdef",
    "-n",
    "kube-system",
    "--type=bootstrap.kubernetes.io/token",
    "--from-literal=token-id=abcdef",
    "--from-literal=token-secret=q8v2kx7p4m1zr9wd",
    "--from-literal=usage-bootstrap-authentication=true",
  );
  SECRET_LITERALS.push("q8v2kx7p4m1zr9wd");
  add(bt, { manager: "kubeadm" });
  secretGeneric("cilium-ca", "kube-system", {
    "ca.crt": "LS0tLS1CRUdJTi1GQUtFLUNJTElVTS1DQQ",
    "ca.key": "cilium-ca-private-key-7fa9c2",
  });

  // shop: restricted namespace, default-deny, a compliant and a non-compliant Deployment, a StatefulSet.
  serviceAccount("frontend", "shop");
  serviceAccount("cart", "shop");
  deployment({
    namespace: "shop",
    name: "frontend",
    replicas: 3,
    oldReplicaSet: true,
    containers: [
      container({
        name: "frontend",
        image:
          "ghcr.io/example/frontend:2.4.1@sha256:9b7c0a3e1f2d4c5b6a7980fedcba0123456789abcdef0123456789abcdef0123",
        securityContext: RESTRICTED_CONTAINER,
        resources: SMALL,
        ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
      }),
    ],
    podExtra: {
      serviceAccountName: "frontend",
      automountServiceAccountToken: false,
      securityContext: RESTRICTED_POD,
    },
  });
  deployment({
    namespace: "shop",
    name: "cart",
    replicas: 2,
    containers: [
      container({
        name: "cart",
        image: "ghcr.io/example/cart:latest",
        env: [
          { name: "DB_HOST", value: "catalog-db" },
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "cart-db", key: "password" } } },
        ],
      }),
    ],
    podExtra: { serviceAccountName: "cart" },
  });
  statefulSet({
    namespace: "shop",
    name: "catalog-db",
    replicas: 2,
    serviceName: "catalog-db",
    containers: [
      container({
        name: "postgres",
        image: "postgres:16.6",
        securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: false },
        resources: SMALL,
        env: [
          { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "cart-db", key: "password" } } },
        ],
      }),
    ],
    podExtra: { securityContext: { ...RESTRICTED_POD, runAsUser: 999, fsGroup: 999 } },
  });
  service("frontend", "shop", "80:8080");
  service("cart", "shop", "80:8080");
  service("catalog-db", "shop", "5432:5432", true);
  networkPolicy("default-deny", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  networkPolicy("allow-frontend-ingress", "shop", {
    podSelector: { matchLabels: { app: "frontend" } },
    ingress: [
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }] },
    ],
    policyTypes: ["Ingress"],
  });
  networkPolicy("allow-dns", "shop", {
    podSelector: {},
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ],
    policyTypes: ["Egress"],
  });
  secretGeneric("cart-db", "shop", { username: "cart", password: "Tr0ub4dor&3-cart-db" });
  const tls = kubectl(
    "create",
    "secret",
    "tls",
    "frontend-tls",
    "-n",
    "shop",
    `--cert=${join(OUT, "tls/server.crt")}`,
    `--key=${join(OUT, "tls/server.key")}`,
  );
  add(tls, { manager: "cert-manager-certificates-issuing" });
  configMap("frontend-config", "shop", { FEATURE_FLAGS: "checkout-v2", API_BASE: "http://cart" });

  // payments: baseline, an ExternalSecret-managed Secret and a hand-managed one applied with kubectl apply.
  serviceAccount("api", "payments");
  deployment({
    namespace: "payments",
    name: "api",
    replicas: 2,
    containers: [
      container({
        name: "api",
        image: "ghcr.io/example/payments-api:latest",
        securityContext: { runAsUser: 0 },
        env: [{ name: "API_KEY", valueFrom: { secretKeyRef: { name: "api-credentials", key: "api-key" } } }],
      }),
    ],
    podExtra: { serviceAccountName: "api" },
  });
  deployment({
    namespace: "payments",
    name: "ledger",
    replicas: 2,
    containers: [
      container({
        name: "ledger",
        image: "ghcr.io/example/ledger:1.9.0",
        securityContext: RESTRICTED_CONTAINER,
        resources: SMALL,
        volumeMounts: [{ name: "db", mountPath: "/etc/ledger/db", readOnly: true }],
      }),
    ],
    podExtra: {
      securityContext: RESTRICTED_POD,
      volumes: [{ name: "db", secret: { secretName: "legacy-db" } }],
    },
  });
  const es = add({
    apiVersion: "external-secrets.io/v1beta1",
    kind: "ExternalSecret",
    metadata: { name: "api-credentials", namespace: "payments" },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { name: "vault-backend", kind: "SecretStore" },
      target: { name: "api-credentials", creationPolicy: "Owner" },
      data: [{ secretKey: "api-key", remoteRef: { key: "payments/api", property: "api-key" } }],
    },
    status: { conditions: [{ type: "Ready", status: "True", reason: "SecretSynced" }] },
  });
  add({
    apiVersion: "external-secrets.io/v1beta1",
    kind: "SecretStore",
    metadata: { name: "vault-backend", namespace: "payments" },
    spec: {
      provider: {
        vault: {
          server: "https://vault.example.com",
          path: "secret",
          version: "v2",
          auth: { kubernetes: { mountPath: "kubernetes", role: "payments" } },
        },
      },
    },
  });
  secretGeneric(
    "api-credentials",
    "payments",
    { "api-key": "pk_live_51HxExampleKey0000aaaa" },
    { ownerReferences: [owner(es)], labels: { "reconcile.external-secrets.io/managed": "true" } },
  );
  const legacyDbPassword = "correct-horse-battery-staple-42";
  const legacyDb = secretGeneric("legacy-db", "payments", { password: legacyDbPassword, user: "ledger" });
  legacyDb.metadata.annotations = {
    "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({
      apiVersion: "v1",
      data: {
        password: Buffer.from(legacyDbPassword).toString("base64"),
        user: Buffer.from("ledger").toString("base64"),
      },
      kind: "Secret",
      metadata: { annotations: {}, name: "legacy-db", namespace: "payments" },
      type: "Opaque",
    })}\n`,
  };
  const reg = kubectl(
    "create",
    "secret",
    "docker-registry",
    "regcred",
    "-n",
    "payments",
    "--docker-server=ghcr.io",
    "--docker-username=ci-bot",
    "--docker-password=ghp_exampleRegistryToken0123456789",
  );
  SECRET_LITERALS.push("ghp_exampleRegistryToken0123456789");
  add(reg);
  // `kubectl create role` needs a server to resolve resource names, so this one is written out.
  add({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "secret-reader", namespace: "payments" },
    rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
  });
  add(
    kubectl(
      "create",
      "rolebinding",
      "api-secret-reader",
      "--role=secret-reader",
      "--serviceaccount=payments:api",
      "-n",
      "payments",
    ),
  );
  networkPolicy("default-deny-ingress", "payments", { podSelector: {}, policyTypes: ["Ingress"] });
  add({
    apiVersion: "cilium.io/v2",
    kind: "CiliumNetworkPolicy",
    metadata: { name: "api-egress", namespace: "payments" },
    spec: {
      endpointSelector: { matchLabels: { app: "api" } },
      egress: [
        {
          toFQDNs: [{ matchName: "api.stripe.com" }],
          toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }],
        },
      ],
    },
  });
  service("api", "payments", "80:8080");

  // monitoring: no PSS labels, no NetworkPolicy; host namespaces and hostPath in node-exporter.
  serviceAccount("prometheus", "monitoring");
  serviceAccount("node-exporter", "monitoring");
  daemonSet({
    namespace: "monitoring",
    name: "node-exporter",
    containers: [
      container({
        name: "node-exporter",
        image: "quay.io/prometheus/node-exporter:v1.8.2",
        args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys"],
        ports: [{ containerPort: 9100, hostPort: 9100, name: "metrics", protocol: "TCP" }],
        securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65534 },
        resources: SMALL,
        volumeMounts: [
          { name: "proc", mountPath: "/host/proc", readOnly: true },
          { name: "sys", mountPath: "/host/sys", readOnly: true },
        ],
      }),
    ],
    podExtra: {
      serviceAccountName: "node-exporter",
      hostNetwork: true,
      hostPID: true,
      volumes: [
        { name: "proc", hostPath: { path: "/proc" } },
        { name: "sys", hostPath: { path: "/sys" } },
      ],
    },
  });
  statefulSet({
    namespace: "monitoring",
    name: "prometheus",
    replicas: 1,
    serviceName: "prometheus",
    containers: [
      container({
        name: "prometheus",
        image: "quay.io/prometheus/prometheus:v3.1.0",
        args: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.retention.time=15d"],
        resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
        securityContext: RESTRICTED_CONTAINER,
      }),
    ],
    podExtra: {
      serviceAccountName: "prometheus",
      securityContext: { ...RESTRICTED_POD, runAsUser: 65534, fsGroup: 65534 },
    },
  });
  deployment({
    namespace: "monitoring",
    name: "grafana",
    replicas: 1,
    containers: [
      container({
        name: "grafana",
        image: "grafana/grafana:11.4.0",
        env: [
          {
            name: "GF_SECURITY_ADMIN_PASSWORD",
            valueFrom: { secretKeyRef: { name: "grafana-admin", key: "admin-password" } },
          },
        ],
      }),
    ],
  });
  service("prometheus", "monitoring", "9090:9090");
  service("grafana", "monitoring", "80:3000");
  secretGeneric("grafana-admin", "monitoring", {
    "admin-user": "admin",
    "admin-password": "grafana-Adm1n-pw-9931",
  });
  const helmRelease = kubectl(
    "create",
    "secret",
    "generic",
    "sh.helm.release.v1.grafana.v1",
    "-n",
    "monitoring",
    "--type=helm.sh/release.v1",
    "--from-literal=release=H4sIAAAAAAAC_helm-release-payload-grafana",
  );
  SECRET_LITERALS.push("H4sIAAAAAAAC_helm-release-payload-grafana");
  helmRelease.metadata.labels = { name: "grafana", owner: "helm", status: "deployed", version: "1" };
  add(helmRelease, { manager: "helm" });
  clusterRole("prometheus", [
    {
      apiGroups: [""],
      resources: ["nodes", "nodes/metrics", "services", "endpoints", "pods"],
      verbs: ["get", "list", "watch"],
    },
    { nonResourceURLs: ["/metrics"], verbs: ["get"] },
  ]);
  clusterRoleBinding("prometheus", "prometheus", [SA("prometheus", "monitoring")]);

  // batch: CronJob → Job → Pod (ownerReferences), and a one-off Job.
  serviceAccount("report-runner", "batch");
  const cj = kubectl(
    "create",
    "cronjob",
    "nightly-report",
    "--image=ghcr.io/example/reporter:3.2.0",
    "--schedule=0 2 * * *",
    "-n",
    "batch",
    "--",
    "/app/report",
    "--since=24h",
  );
  const cjTpl = ((((cj.spec as Json).jobTemplate as Json).spec as Json).template as Json) ?? {};
  delete (cjTpl.metadata as Json).creationTimestamp;
  delete (((cj.spec as Json).jobTemplate as Json).metadata as Json).creationTimestamp;
  cjTpl.spec = podSpec(
    [
      container({
        name: "nightly-report",
        image: "ghcr.io/example/reporter:3.2.0",
        command: ["/app/report", "--since=24h"],
        securityContext: RESTRICTED_CONTAINER,
        resources: SMALL,
      }),
    ],
    { restartPolicy: "OnFailure", serviceAccountName: "report-runner", securityContext: RESTRICTED_POD },
  );
  Object.assign(cj.spec as Json, {
    concurrencyPolicy: "Forbid",
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    suspend: false,
  });
  cj.status = { lastScheduleTime: "2025-03-01T02:00:00Z", lastSuccessfulTime: "2025-03-01T02:01:10Z" };
  add(cj);
  const jobName = "nightly-report-28991520";
  const job = kubectl("create", "job", jobName, "--image=ghcr.io/example/reporter:3.2.0", "-n", "batch");
  job.spec = {
    backoffLimit: 6,
    completions: 1,
    parallelism: 1,
    template: {
      metadata: { labels: { "batch.kubernetes.io/job-name": jobName, "job-name": jobName } },
      spec: cjTpl.spec,
    },
  };
  job.metadata.ownerReferences = [owner(cj)];
  job.metadata.labels = { "batch.kubernetes.io/job-name": jobName, "job-name": jobName };
  job.status = { succeeded: 1, completionTime: "2025-03-01T02:01:10Z", startTime: "2025-03-01T02:00:00Z" };
  add(job);
  podFrom(
    `${jobName}-${suffix(jobName)}`,
    "batch",
    (job.spec as Json).template as { spec: Json },
    job,
    "node-2",
  );
  const migrate = kubectl(
    "create",
    "job",
    "db-migrate",
    "--image=ghcr.io/example/migrate:1.0.0",
    "-n",
    "batch",
    "--",
    "migrate",
    "up",
  );
  const mTpl = (migrate.spec as Json).template as Json;
  delete (mTpl.metadata as Json).creationTimestamp;
  mTpl.spec = podSpec(
    [container({ name: "db-migrate", image: "ghcr.io/example/migrate:1.0.0", command: ["migrate", "up"] })],
    { restartPolicy: "Never" },
  );
  add(migrate);
  podFrom(`db-migrate-${suffix("db-migrate")}`, "batch", mTpl as { spec: Json }, migrate, "node-1");
  networkPolicy("default-deny-all", "batch", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

  // legacy: privileged namespace, a ReplicationController, a bare privileged Pod, a legacy SA token Secret.
  serviceAccount("legacy-sa", "legacy");
  const rc: Obj = {
    apiVersion: "v1",
    kind: "ReplicationController",
    metadata: { name: "old-app", namespace: "legacy", labels: { app: "old-app" } },
    spec: {
      replicas: 2,
      selector: { app: "old-app" },
      template: {
        metadata: { labels: { app: "old-app" } },
        spec: podSpec([
          container({
            name: "old-app",
            image: "nginx:1.14",
            ports: [{ containerPort: 80, protocol: "TCP" }],
          }),
        ]),
      },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
  add(rc);
  for (let i = 0; i < 2; i++) {
    podFrom(
      `old-app-${suffix(`old-app/${i}`)}`,
      "legacy",
      (rc.spec as Json).template as { spec: Json },
      rc,
      i ? "node-2" : "node-1",
    );
  }
  // `kubectl run` needs a server even with --dry-run=client; the Pod is written as it would create it.
  podFrom(
    "debug-shell",
    "legacy",
    {
      metadata: { labels: { run: "debug-shell" } },
      spec: podSpec(
        [
          container({
            name: "debug-shell",
            image: "ubuntu:22.04",
            args: ["sleep", "infinity"],
            securityContext: { privileged: true },
          }),
        ],
        { hostPID: true, restartPolicy: "Always", serviceAccountName: "legacy-sa" },
      ),
    },
    undefined,
    "node-1",
  );
  const saToken = kubectl(
    "create",
    "secret",
    "generic",
    "legacy-sa-token",
    "-n",
    "legacy",
    "--type=kubernetes.io/service-account-token",
    "--from-literal=token=eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZ2FjeSJ9.eyJzdWIiOiJsZWdhY3kifQ.c2lnbmF0dXJl",
    "--from-literal=namespace=legacy",
  );
  saToken.metadata.annotations = {
    "kubernetes.io/service-account.name": "legacy-sa",
    "kubernetes.io/service-account.uid": uid("ServiceAccount/legacy/legacy-sa"),
  };
  SECRET_LITERALS.push("eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZ2FjeSJ9.eyJzdWIiOiJsZWdhY3kifQ.c2lnbmF0dXJl");
  add(saToken);
  add(
    kubectl(
      "create",
      "rolebinding",
      "default-edit",
      "--clusterrole=edit",
      "--serviceaccount=legacy:default",
      "-n",
      "legacy",
    ),
  );

  // external-secrets operator and a ClusterSecretStore.
  serviceAccount("external-secrets", "external-secrets");
  deployment({
    namespace: "external-secrets",
    name: "external-secrets",
    replicas: 1,
    containers: [
      container({
        name: "external-secrets",
        image: "ghcr.io/external-secrets/external-secrets:v0.12.1",
        securityContext: RESTRICTED_CONTAINER,
        resources: SMALL,
      }),
    ],
    podExtra: { serviceAccountName: "external-secrets", securityContext: RESTRICTED_POD },
  });
  add({
    apiVersion: "external-secrets.io/v1beta1",
    kind: "ClusterSecretStore",
    metadata: { name: "aws-secrets-manager" },
    spec: {
      provider: {
        aws: {
          service: "SecretsManager",
          region: "eu-west-1",
          auth: { jwt: { serviceAccountRef: { name: "external-secrets", namespace: "external-secrets" } } },
        },
      },
    },
  });
  clusterRole("external-secrets-controller", [
    {
      apiGroups: ["external-secrets.io"],
      resources: ["*"],
      verbs: ["get", "list", "watch", "update", "patch"],
    },
    {
      apiGroups: [""],
      resources: ["secrets"],
      verbs: ["get", "list", "watch", "create", "update", "delete", "patch"],
    },
  ]);
  clusterRoleBinding("external-secrets-controller", "external-secrets-controller", [
    SA("external-secrets", "external-secrets"),
  ]);

  // Teams: the bulk of a real cluster; no NetworkPolicies, mixed security contexts.
  for (const [i, t] of teams.entries()) {
    serviceAccount(`${t}-app`, t);
    for (const svc of ["web", "worker"]) {
      const hardened = (i + (svc === "web" ? 0 : 1)) % 2 === 0;
      deployment({
        namespace: t,
        name: svc,
        replicas: svc === "web" ? 3 : 2,
        containers: [
          container({
            name: svc,
            image: `registry.example.com/${t}/${svc}:1.${i}.0`,
            ...(hardened ? { securityContext: RESTRICTED_CONTAINER, resources: SMALL } : {}),
            ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
          }),
        ],
        podExtra: hardened
          ? { serviceAccountName: `${t}-app`, securityContext: RESTRICTED_POD }
          : { serviceAccountName: `${t}-app` },
      });
      service(svc, t, "80:8080");
    }
    configMap(`${t}-settings`, t, { LOG_LEVEL: "info", REGION: "eu-west-1" });
    secretGeneric(`${t}-db`, t, { "database-url": `postgres://${t}:pw-${hash(t, 12)}@db.example.com/${t}` });
    add(
      kubectl(
        "create",
        "rolebinding",
        `${t}-developers`,
        "--clusterrole=edit",
        `--group=${t}-developers`,
        "-n",
        t,
      ),
    );
  }

  // Cluster RBAC: defaults, a wildcard ClusterRole bound to a user, a cluster-admin binding.
  clusterRole(
    "cluster-admin",
    [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ],
    {
      metadata: {
        name: "cluster-admin",
        annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
      },
    },
    bootstrap,
  );
  clusterRole(
    "admin",
    [],
    {
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } }],
      },
    },
    bootstrap,
  );
  clusterRole(
    "edit",
    [
      {
        apiGroups: [""],
        resources: ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"],
        verbs: ["create", "delete", "deletecollection", "patch", "update"],
      },
      {
        apiGroups: [""],
        resources: ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims"],
        verbs: ["create", "delete", "deletecollection", "patch", "update"],
      },
      {
        apiGroups: ["apps"],
        resources: ["deployments", "statefulsets", "daemonsets", "replicasets"],
        verbs: ["create", "delete", "deletecollection", "patch", "update"],
      },
      { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
    ],
    {},
    { ...bootstrap, "rbac.authorization.k8s.io/aggregate-to-admin": "true" },
  );
  clusterRole(
    "view",
    [
      {
        apiGroups: [""],
        resources: ["configmaps", "endpoints", "pods", "services", "serviceaccounts"],
        verbs: ["get", "list", "watch"],
      },
      {
        apiGroups: ["apps"],
        resources: ["deployments", "statefulsets", "daemonsets", "replicasets"],
        verbs: ["get", "list", "watch"],
      },
    ],
    {},
    { ...bootstrap, "rbac.authorization.k8s.io/aggregate-to-edit": "true" },
  );
  clusterRole("system:coredns", [
    { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
  ]);
  clusterRole("cilium", [
    { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "list", "watch"] },
    {
      apiGroups: [""],
      resources: ["namespaces", "services", "pods", "endpoints", "nodes"],
      verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["cilium.io"], resources: ["*"], verbs: ["*"] },
  ]);
  clusterRole("cilium-operator", [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "delete"] },
    { apiGroups: ["cilium.io"], resources: ["*"], verbs: ["*"] },
  ]);
  clusterRole("ops-superuser", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
  clusterRole("secret-reader-global", [
    { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
  ]);
  clusterRoleBinding(
    "cluster-admin",
    "cluster-admin",
    [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }],
    bootstrap,
  );
  clusterRoleBinding("system:coredns", "system:coredns", [SA("coredns", "kube-system")], bootstrap);
  clusterRoleBinding("cilium", "cilium", [SA("cilium", "kube-system")]);
  clusterRoleBinding("cilium-operator", "cilium-operator", [SA("cilium-operator", "kube-system")]);
  clusterRoleBinding("ops-superuser", "ops-superuser", [
    { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice@example.com" },
  ]);
  clusterRoleBinding("bob-cluster-admin", "cluster-admin", [
    { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob@example.com" },
  ]);
  clusterRoleBinding("auditors-secrets", "secret-reader-global", [
    { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "auditors" },
  ]);

  add({
    apiVersion: "cilium.io/v2",
    kind: "CiliumClusterwideNetworkPolicy",
    metadata: { name: "node-exporter-host" },
    spec: {
      endpointSelector: {
        matchLabels: { "k8s:io.kubernetes.pod.namespace": "monitoring", app: "node-exporter" },
      },
      ingress: [{ fromEntities: ["cluster"], toPorts: [{ ports: [{ port: "9100", protocol: "TCP" }] }] }],
    },
  });
}

// ---------------------------------------------------------------- recording

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CiliumClusterwideNetworkPolicy",
  "ClusterSecretStore",
]);

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : lower.endsWith("s") ? `${lower}es` : `${lower}s`;
}

function tlsFiles(): void {
  const dir = join(OUT, "tls");
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "kg-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "36500",
    "-subj",
    "/CN=kubeguard-test-ca",
    "-keyout",
    join(tmp, "ca.key"),
    "-out",
    join(dir, "ca.crt"),
  );
  writeFileSync(join(tmp, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    join(dir, "server.key"),
    "-out",
    join(tmp, "server.csr"),
  );
  ssl(
    "x509",
    "-req",
    "-in",
    join(tmp, "server.csr"),
    "-CA",
    join(dir, "ca.crt"),
    "-CAkey",
    join(tmp, "ca.key"),
    "-CAcreateserial",
    "-CAserial",
    join(tmp, "ca.srl"),
    "-days",
    "36500",
    "-extfile",
    join(tmp, "ext.cnf"),
    "-out",
    join(dir, "server.crt"),
  );
  rmSync(tmp, { recursive: true, force: true });
}

function main(): void {
  if (process.argv.includes("--tls")) tlsFiles();
  buildCluster();
  const dir = join(OUT, "recorded");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const groups = new Map<string, Obj[]>();
  for (const o of objects) {
    const key = `${o.apiVersion}|${o.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const index: Json[] = [];
  for (const [key, items] of [...groups.entries()].sort()) {
    const [apiVersion = "", kind = ""] = key.split("|");
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const resource = plural(kind);
    items.sort((a, b) =>
      `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ""}/${b.metadata.name}`,
      ),
    );
    // As a server answers a list: items carry neither apiVersion nor kind.
    const list = {
      kind: `${kind}List`,
      apiVersion,
      metadata: { resourceVersion: String(90_000 + index.length) },
      items: items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
    };
    const file = `${group || "core"}_${version}_${resource}.json`;
    writeFileSync(join(dir, file), `${JSON.stringify(list, null, 1)}\n`);
    index.push({
      file,
      group,
      version,
      resource,
      kind,
      namespaced: !CLUSTER_SCOPED.has(kind),
      count: items.length,
    });
  }
  writeFileSync(join(dir, "index.json"), `${JSON.stringify(index, null, 1)}\n`);
  writeFileSync(join(OUT, "secret-literals.json"), `${JSON.stringify(SECRET_LITERALS, null, 1)}\n`);
  process.stdout.write(`${objects.length} objects in ${index.length} lists\n`);
}

main();

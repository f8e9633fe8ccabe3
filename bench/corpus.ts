/**
 * Deterministic benchmark corpus: 10,000 realistic Kubernetes resources (~15 MB of YAML) in the
 * shapes `helm template` and `kubectl get -o yaml` print. Run directly to write bench/out/corpus.yaml.
 */
import { dump } from "js-yaml";

/** A small seeded PRNG (mulberry32), so every run writes the same bytes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = Record<string, unknown>;

const TEAMS = [
  "payments",
  "search",
  "checkout",
  "identity",
  "platform",
  "data",
  "ml",
  "web",
  "mobile",
  "ops",
];
const APPS = [
  "api",
  "worker",
  "frontend",
  "gateway",
  "cache",
  "indexer",
  "scheduler",
  "exporter",
  "proxy",
  "db",
];
const IMAGES = [
  "nginx:1.27.2",
  "redis:7.4-alpine",
  "postgres:16.4",
  "ghcr.io/acme/api:v2.31.0",
  "ghcr.io/acme/worker@sha256:4f1c0d7e9b8a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d",
  "registry.k8s.io/ingress-nginx/controller:v1.11.2",
  "quay.io/prometheus/node-exporter:v1.8.2",
  "docker.io/bitnami/kafka:3.8.0",
  "envoyproxy/envoy:v1.31.2",
  "busybox:1.36",
];

/** Builds the corpus text. Same seed, same bytes. */
export function generateCorpus(count = 10_000, seed = 20_240_601): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const hex = (n: number): string => {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(r() * 16)];
    return s;
  };

  const labels = (team: string, app: string, name: string): Obj => ({
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/part-of": team,
    "app.kubernetes.io/managed-by": "Helm",
    "helm.sh/chart": `${app}-${int(0, 3)}.${int(0, 20)}.${int(0, 9)}`,
  });

  const meta = (name: string, ns: string | undefined, team: string, app: string): Obj => {
    const m: Obj = { name };
    if (ns !== undefined) m.namespace = ns;
    m.labels = labels(team, app, name);
    if (chance(0.4)) {
      m.annotations = {
        "meta.helm.sh/release-name": name,
        "meta.helm.sh/release-namespace": ns ?? "default",
        ...(chance(0.3)
          ? { "kubectl.kubernetes.io/last-applied-configuration": `{"kind":"x","n":"${hex(24)}"}` }
          : {}),
      };
    }
    return m;
  };

  // Security profile of a workload: 0 = restricted-clean, 1 = baseline only, 2 = privileged-ish, 3 = nothing set.
  const container = (name: string, profile: number, withProbes: boolean): Obj => {
    const c: Obj = {
      name,
      image: pick(IMAGES),
      imagePullPolicy: pick(["IfNotPresent", "Always"]),
      ports: [{ name: "http", containerPort: pick([80, 8080, 3000, 9090]), protocol: "TCP" }],
      env: Array.from({ length: int(2, 8) }, (_, i) => ({
        name: `ENV_${i}_${hex(4).toUpperCase()}`,
        value: chance(0.2) ? String(int(1, 9999)) : `value-${hex(int(6, 30))}`,
      })),
      resources: {
        limits: { cpu: `${int(1, 4) * 250}m`, memory: `${int(1, 16) * 128}Mi` },
        requests: { cpu: `${int(1, 4) * 50}m`, memory: `${int(1, 8) * 64}Mi` },
      },
      volumeMounts: [{ name: "config", mountPath: "/etc/app", readOnly: true }],
    };
    if (chance(0.3))
      (c.env as Obj[]).push({
        name: "DB_PASSWORD",
        valueFrom: { secretKeyRef: { name: "db", key: "password" } },
      });
    if (withProbes) {
      c.livenessProbe = {
        httpGet: { path: "/healthz", port: "http" },
        initialDelaySeconds: 10,
        periodSeconds: 10,
      };
      c.readinessProbe = { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5, failureThreshold: 3 };
    }
    if (profile === 0) {
      c.securityContext = {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      };
    } else if (profile === 1) {
      c.securityContext = chance(0.5)
        ? { readOnlyRootFilesystem: chance(0.5) }
        : { runAsUser: int(1000, 2000) };
    } else if (profile === 2) {
      c.securityContext = chance(0.5)
        ? { privileged: true }
        : { capabilities: { add: [pick(["NET_ADMIN", "SYS_ADMIN", "NET_RAW"])] }, runAsUser: 0 };
    }
    if (profile !== 0 && chance(0.2))
      c.command = ["/bin/sh", "-c", `exec /app/${name} --port=8080 --log-level=info`];
    return c;
  };

  const podSpec = (app: string, profile: number): Obj => {
    const spec: Obj = {};
    if (chance(0.6)) spec.serviceAccountName = app;
    const containers = [container(app, profile, true)];
    if (chance(0.25)) containers.push(container(`${app}-sidecar`, chance(0.5) ? profile : 3, false));
    if (chance(0.2)) spec.initContainers = [container("init", profile, false)];
    spec.containers = containers;
    if (profile === 0)
      spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
    else if (chance(0.5)) spec.securityContext = { fsGroup: 2000 };
    if (profile === 2 && chance(0.5)) spec.hostNetwork = true;
    spec.volumes = [{ name: "config", configMap: { name: `${app}-config` } }];
    if (profile === 2 && chance(0.4))
      (spec.volumes as Obj[]).push({ name: "host", hostPath: { path: "/var/run" } });
    if (chance(0.3)) spec.nodeSelector = { "kubernetes.io/os": "linux" };
    if (chance(0.2))
      spec.tolerations = [{ key: "dedicated", operator: "Equal", value: app, effect: "NoSchedule" }];
    return spec;
  };

  const profileOf = (): number => {
    const x = r();
    return x < 0.25 ? 0 : x < 0.6 ? 1 : x < 0.75 ? 2 : 3;
  };

  const template = (app: string, name: string, profile: number): Obj => ({
    metadata: { labels: { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": name } },
    spec: podSpec(app, profile),
  });

  const docs: string[] = [];
  const namespaces = TEAMS.flatMap((t) => [`${t}-prod`, `${t}-staging`]);
  for (let i = 0; i < count; i++) {
    const team = pick(TEAMS);
    const app = pick(APPS);
    const ns = pick(namespaces);
    const name = `${team}-${app}-${i}`;
    const x = r();
    let obj: Obj;
    if (x < 0.22) {
      obj = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta(name, ns, team, app),
        spec: {
          replicas: int(1, 6),
          selector: { matchLabels: { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": name } },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
          template: template(app, name, profileOf()),
        },
      };
    } else if (x < 0.28) {
      obj = {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: meta(name, ns, team, app),
        spec: {
          serviceName: name,
          replicas: int(1, 5),
          selector: { matchLabels: { "app.kubernetes.io/name": app } },
          template: template(app, name, profileOf()),
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: `${int(1, 100)}Gi` } },
              },
            },
          ],
        },
      };
    } else if (x < 0.32) {
      obj = {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: meta(name, ns, team, app),
        spec: {
          selector: { matchLabels: { "app.kubernetes.io/name": app } },
          template: template(app, name, chance(0.5) ? 2 : profileOf()),
        },
      };
    } else if (x < 0.37) {
      obj = {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: meta(name, ns, team, app),
        spec: {
          schedule: `${int(0, 59)} ${int(0, 23)} * * *`,
          concurrencyPolicy: "Forbid",
          jobTemplate: {
            spec: {
              backoffLimit: 3,
              template: {
                ...template(app, name, profileOf()),
                spec: { ...podSpec(app, profileOf()), restartPolicy: "OnFailure" },
              },
            },
          },
        },
      };
    } else if (x < 0.55) {
      obj = {
        apiVersion: "v1",
        kind: "Service",
        metadata: meta(name, ns, team, app),
        spec: {
          type: pick(["ClusterIP", "ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]),
          selector: { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": name },
          ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        },
      };
    } else if (x < 0.69) {
      const data: Obj = {};
      for (let k = 0, n = int(2, 8); k < n; k++)
        data[`key_${k}.conf`] = `setting.${hex(6)} = ${hex(int(8, 40))}`;
      if (chance(0.5)) {
        data["app.yaml"] = Array.from(
          { length: int(5, 30) },
          (_, l) => `${"  ".repeat(l % 3)}option${l}: ${hex(int(4, 24))}`,
        ).join("\n");
      }
      obj = { apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${name}-config`, ns, team, app), data };
    } else if (x < 0.75) {
      obj = {
        apiVersion: "v1",
        kind: "Secret",
        metadata: meta(`${name}-secret`, ns, team, app),
        type: "Opaque",
        data: {
          username: btoa(`user-${hex(6)}`),
          password: btoa(hex(32)),
          "tls.key": btoa(hex(int(80, 400))),
        },
      };
    } else if (x < 0.8) {
      const cluster = chance(0.3);
      obj = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: cluster ? "ClusterRole" : "Role",
        metadata: meta(`${name}-role`, cluster ? undefined : ns, team, app),
        rules: [
          {
            apiGroups: [""],
            resources: chance(0.15) ? ["*"] : ["pods", "services", "configmaps"],
            verbs: chance(0.15) ? ["*"] : ["get", "list", "watch"],
          },
          ...(chance(0.3) ? [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] : []),
          ...(chance(0.2)
            ? [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"] }]
            : []),
        ],
      };
    } else if (x < 0.85) {
      const cluster = chance(0.3);
      obj = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: cluster ? "ClusterRoleBinding" : "RoleBinding",
        metadata: meta(`${name}-binding`, cluster ? undefined : ns, team, app),
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: cluster ? "ClusterRole" : "Role",
          name: chance(0.05) ? "cluster-admin" : `${name}-role`,
        },
        subjects: [{ kind: "ServiceAccount", name: app, namespace: ns }],
      };
    } else if (x < 0.9) {
      obj = {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta(`${name}-netpol`, ns, team, app),
        spec: chance(0.3)
          ? { podSelector: {}, policyTypes: ["Ingress", "Egress"] }
          : {
              podSelector: { matchLabels: { "app.kubernetes.io/name": app } },
              policyTypes: ["Ingress"],
              ingress: [
                {
                  from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }],
                  ports: [{ protocol: "TCP", port: 8080 }],
                },
              ],
            },
      };
    } else if (x < 0.92) {
      obj = {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: `${ns}-${i}`,
          labels: chance(0.5)
            ? {
                "pod-security.kubernetes.io/enforce": pick(["baseline", "restricted"]),
                "kubernetes.io/metadata.name": ns,
              }
            : { "kubernetes.io/metadata.name": ns },
        },
      };
    } else if (x < 0.96) {
      obj = {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: meta(app, ns, team, app),
        automountServiceAccountToken: chance(0.5),
      };
    } else {
      obj = {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: meta(name, ns, team, app),
        spec: {
          backoffLimit: 2,
          template: {
            ...template(app, name, profileOf()),
            spec: { ...podSpec(app, profileOf()), restartPolicy: "Never" },
          },
        },
      };
    }
    // Two house styles: helm (indented sequences, `# Source:` comments) and kubectl (sequences at key indent).
    const helm = chance(0.45);
    const body = dump(obj, { noArrayIndent: !helm, lineWidth: -1 });
    docs.push(
      helm ? `# Source: ${team}/templates/${app}-${String(obj.kind).toLowerCase()}.yaml\n${body}` : body,
    );
  }
  return `---\n${docs.join("---\n")}`;
}

async function main(): Promise<void> {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const out = fileURLToPath(new URL("./out/", import.meta.url));
  mkdirSync(out, { recursive: true });
  const text = generateCorpus();
  writeFileSync(`${out}corpus.yaml`, text);
  console.log(`wrote ${out}corpus.yaml: ${(text.length / 1e6).toFixed(1)} MB`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

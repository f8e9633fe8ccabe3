/**
 * takeSnapshot against the fake API server: contents, pagination, metadata-only Secrets, 403 and 404
 * handling, namespace limits, kubeconfig resolution, TLS, unreachable servers and bad credentials.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTIAL_METADATA_LIST } from "../../src/cluster/client.ts";
import { REDACTED } from "../../src/cluster/encryption-config.ts";
import { detectProvider } from "../../src/cluster/provider.ts";
import {
  type ClusterSnapshot,
  ClusterUnreachableError,
  EncryptionConfigError,
  KubeconfigError,
  takeSnapshot,
} from "../../src/cluster/snapshot.ts";
import { type FakeCluster, FIXTURES, loadRecorded, startFakeCluster, TOKEN } from "./fake-apiserver.ts";
import { snapshotValidator, tempDir, writeKubeconfig } from "./helpers.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Every secret value of the recorded cluster, in clear and base64, plus the literals the generator used. */
function secretNeedles(): string[] {
  const needles = new Set<string>(
    JSON.parse(readFileSync(join(FIXTURES, "secret-literals.json"), "utf8")) as string[],
  );
  const secrets = loadRecorded().find((l) => l.resource === "secrets");
  for (const s of secrets?.list.items ?? []) {
    for (const b64 of Object.values((s.data ?? {}) as Record<string, string>)) {
      needles.add(b64);
      const clear = Buffer.from(b64, "base64").toString("utf8");
      // Long enough to be unique: a value like "admin" or "true" would match ordinary text.
      if (clear.length >= 8) needles.add(clear);
    }
  }
  for (const n of [...needles]) if (n.length >= 8) needles.add(Buffer.from(n).toString("base64"));
  return [...needles].filter((n) => n.length >= 8);
}

function byKind(s: ClusterSnapshot, kind: string) {
  return s.items.filter((i) => i.kind === kind);
}
function meta(o: Record<string, unknown>): Record<string, unknown> {
  return o.metadata as Record<string, unknown>;
}

describe("a snapshot of the recorded cluster", () => {
  let fake: FakeCluster;
  let snapshot: ClusterSnapshot;
  let kubeconfig: string;
  const progress: [string, number][] = [];

  beforeAll(async () => {
    fake = await startFakeCluster();
    kubeconfig = writeKubeconfig(tmp.dir, "main.yaml", [{ name: "prod", server: fake.url, token: TOKEN }]);
    snapshot = await takeSnapshot({
      kubeconfig,
      env: {},
      pageSize: 20,
      onProgress: (kind, count) => progress.push([kind, count]),
      now: () => new Date("2025-03-01T09:30:00Z"),
    });
  });
  afterAll(() => fake.close());

  it("has the documented envelope and metadata", () => {
    expect(snapshot.apiVersion).toBe("kubeguard.dev/v1");
    expect(snapshot.kind).toBe("ClusterSnapshot");
    expect(snapshot.metadata).toEqual({
      cluster: "prod-cluster",
      capturedAt: "2025-03-01T09:30:00.000Z",
      serverVersion: "v1.32.2",
      provider: "kubeadm",
      warnings: [],
    });
  });

  it("validates against docs/schema/cluster-snapshot.v1.json", () => {
    const validate = snapshotValidator();
    expect(validate(snapshot), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("holds every recorded object, with apiVersion and kind set and managedFields gone", () => {
    const recorded = loadRecorded();
    const total = recorded.reduce((n, l) => n + l.list.items.length, 0);
    expect(total).toBeGreaterThan(250);
    expect(snapshot.items).toHaveLength(total);
    for (const l of recorded) {
      const apiVersion = l.group ? `${l.group}/${l.version}` : l.version;
      const items = snapshot.items.filter((i) => i.kind === l.kind);
      expect(items, l.kind).toHaveLength(l.list.items.length);
      for (const i of items) expect(i.apiVersion).toBe(apiVersion);
    }
    for (const i of snapshot.items) {
      expect(meta(i).managedFields, `${i.kind} ${meta(i).name}`).toBeUndefined();
      expect(typeof meta(i).name).toBe("string");
    }
    expect(JSON.stringify(snapshot)).not.toContain("managedFields");
  });

  it("follows continue tokens past the first page", () => {
    expect(byKind(snapshot, "Pod").length).toBeGreaterThan(20 * 3);
    const podPages = fake.requests.filter((r) => r.path === "/api/v1/pods");
    expect(podPages.length).toBe(Math.ceil(byKind(snapshot, "Pod").length / 20));
    expect(podPages.every((r) => r.query.limit === "20")).toBe(true);
    expect(podPages.filter((r) => r.query.continue).length).toBe(podPages.length - 1);
  });

  it("keeps controllers, their ReplicaSets and owned Pods with ownerReferences", () => {
    const pods = byKind(snapshot, "Pod");
    const owned = pods.filter((p) => Array.isArray(meta(p).ownerReferences));
    expect(owned.length).toBeGreaterThan(50);
    const rsPod = pods.find((p) => String(meta(p).name).startsWith("frontend-"));
    const ref = (meta(rsPod ?? {}).ownerReferences as Record<string, unknown>[] | undefined)?.[0];
    expect(ref).toMatchObject({ kind: "ReplicaSet", controller: true });
    const rs = byKind(snapshot, "ReplicaSet").find((r) => meta(r).name === ref?.name);
    expect((meta(rs ?? {}).ownerReferences as Record<string, unknown>[])[0]).toMatchObject({
      kind: "Deployment",
      name: "frontend",
    });
    const jobPod = pods.find(
      (p) => meta(p).namespace === "batch" && String(meta(p).name).startsWith("nightly-report-"),
    );
    expect((meta(jobPod ?? {}).ownerReferences as Record<string, unknown>[])[0]).toMatchObject({
      kind: "Job",
    });
  });

  it("keeps the kube-apiserver mirror pod in kube-system", () => {
    const apiserver = byKind(snapshot, "Pod").find((p) => meta(p).name === "kube-apiserver-cp-1");
    expect(meta(apiserver ?? {}).namespace).toBe("kube-system");
    expect((meta(apiserver ?? {}).labels as Record<string, string>).component).toBe("kube-apiserver");
  });

  it("lists Secrets only as PartialObjectMetadataList, and types them by field selector", () => {
    const secretRequests = fake.requests.filter((r) => r.path.endsWith("/secrets"));
    expect(secretRequests.length).toBeGreaterThan(1);
    for (const r of secretRequests) expect(r.accept).toBe(PARTIAL_METADATA_LIST);
    const recorded = loadRecorded().find((l) => l.resource === "secrets")?.list.items ?? [];
    const secrets = byKind(snapshot, "Secret");
    expect(secrets).toHaveLength(recorded.length);
    for (const s of secrets) {
      expect(s.data).toBeUndefined();
      expect(s.stringData).toBeUndefined();
      const original = recorded.find(
        (r) => meta(r).name === meta(s).name && meta(r).namespace === meta(s).namespace,
      );
      expect(s.type, String(meta(s).name)).toBe(original?.type);
    }
    const legacy = secrets.find((s) => meta(s).name === "legacy-db");
    expect(meta(legacy ?? {}).annotations).toBeUndefined();
    const managed = secrets.find((s) => meta(s).name === "api-credentials");
    expect((meta(managed ?? {}).ownerReferences as Record<string, unknown>[])[0]).toMatchObject({
      kind: "ExternalSecret",
    });
  });

  it("contains no Secret value anywhere in its bytes", () => {
    const bytes = JSON.stringify(snapshot);
    const needles = secretNeedles();
    expect(needles.length).toBeGreaterThan(20);
    for (const n of needles) expect(bytes.includes(n), `secret value ${n.slice(0, 6)}… leaked`).toBe(false);
    expect(bytes).not.toContain("last-applied-configuration");
  });

  it("keeps cilium-config's data and only the metadata of other ConfigMaps", () => {
    const cms = byKind(snapshot, "ConfigMap");
    const cilium = cms.find((c) => meta(c).name === "cilium-config");
    expect(cilium?.data).toMatchObject({ "enable-wireguard": "false", "enable-ipsec": "false" });
    for (const c of cms.filter((x) => meta(x).name !== "cilium-config"))
      expect(c.data, String(meta(c).name)).toBeUndefined();
    const cmRequests = fake.requests.filter((r) => r.path === "/api/v1/configmaps");
    expect(cmRequests.find((r) => r.query.fieldSelector === "metadata.name=cilium-config")?.accept).toBe(
      "application/json",
    );
  });

  it("uses the served version of custom resources and skips kinds the cluster does not serve", () => {
    expect(byKind(snapshot, "ExternalSecret")[0]?.apiVersion).toBe("external-secrets.io/v1beta1");
    expect(byKind(snapshot, "ClusterSecretStore")).toHaveLength(1);
    expect(byKind(snapshot, "CiliumNetworkPolicy")[0]?.apiVersion).toBe("cilium.io/v2");
    expect(byKind(snapshot, "CiliumClusterwideNetworkPolicy")).toHaveLength(1);
    for (const k of ["SealedSecret", "PeerAuthentication", "CiliumNodeConfig", "FelixConfiguration"]) {
      expect(byKind(snapshot, k)).toHaveLength(0);
    }
    // Groups absent from discovery are never requested; v1 of external-secrets.io is not either.
    expect(
      fake.requests.some((r) => r.path.includes("bitnami.com") || r.path.includes("security.istio.io")),
    ).toBe(false);
    expect(fake.requests.some((r) => r.path.startsWith("/apis/external-secrets.io/v1/"))).toBe(false);
  });

  it("reports progress once per listed kind", () => {
    expect(progress.find(([k]) => k === "pods")?.[1]).toBe(byKind(snapshot, "Pod").length);
    expect(progress.find(([k]) => k === "secrets")?.[1]).toBe(byKind(snapshot, "Secret").length);
    expect(progress.some(([k]) => k === "sealedsecrets")).toBe(false);
  });

  it("orders items by kind, then namespace and name", () => {
    const kinds = [...new Set(snapshot.items.map((i) => i.kind))];
    expect(kinds.slice(0, 3)).toEqual(["Namespace", "Pod", "Deployment"]);
    const pods = byKind(snapshot, "Pod").map((p) => `${meta(p).namespace}/${meta(p).name}`);
    expect(pods).toEqual([...pods].sort((a, b) => a.localeCompare(b)));
  });
});

describe("what the credentials or the cluster refuse", () => {
  it("records a 403 as a warning and carries on", async () => {
    const fake = await startFakeCluster({ forbidden: ["networkpolicies", "clusterroles"] });
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "forbidden.yaml", [
        { name: "f", server: fake.url, token: TOKEN },
      ]);
      const s = await takeSnapshot({ kubeconfig, env: {} });
      expect(s.metadata.warnings).toEqual([
        "cannot list networkpolicies: forbidden (403)",
        "cannot list clusterroles: forbidden (403)",
      ]);
      expect(byKind(s, "NetworkPolicy")).toHaveLength(0);
      expect(byKind(s, "ClusterRole")).toHaveLength(0);
      expect(byKind(s, "ClusterRoleBinding").length).toBeGreaterThan(5);
      expect(snapshotValidator()(s)).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it("strips Secret values even from a server that ignores the metadata-only Accept header", async () => {
    const fake = await startFakeCluster({ ignorePartialMetadata: true });
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "ignore.yaml", [
        { name: "i", server: fake.url, token: TOKEN },
      ]);
      const s = await takeSnapshot({ kubeconfig, env: {} });
      const bytes = JSON.stringify(s);
      for (const n of secretNeedles()) expect(bytes.includes(n)).toBe(false);
      expect(byKind(s, "Secret").every((x) => x.data === undefined && typeof x.type === "string")).toBe(true);
      // Full objects came back, so no extra requests were needed to learn their types.
      expect(fake.requests.filter((r) => r.path === "/api/v1/secrets" && r.query.fieldSelector)).toHaveLength(
        0,
      );
      expect(
        byKind(s, "ConfigMap")
          .filter((c) => c.data !== undefined)
          .map((c) => meta(c).name),
      ).toEqual(["cilium-config"]);
    } finally {
      await fake.close();
    }
  });

  it("tries custom-resource versions newest first when discovery is hidden", async () => {
    const fake = await startFakeCluster({ hideDiscovery: true });
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "nodisc.yaml", [
        { name: "n", server: fake.url, token: TOKEN },
      ]);
      const s = await takeSnapshot({ kubeconfig, env: {} });
      expect(s.metadata.warnings).toEqual([]);
      expect(byKind(s, "ExternalSecret")[0]?.apiVersion).toBe("external-secrets.io/v1beta1");
      expect(fake.requests.some((r) => r.path === "/apis/external-secrets.io/v1/externalsecrets")).toBe(true);
      expect(fake.requests.some((r) => r.path === "/apis/cilium.io/v2alpha1/ciliumnodeconfigs")).toBe(true);
      expect(byKind(s, "SealedSecret")).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it("keeps at most `concurrency` list requests in flight", async () => {
    const fake = await startFakeCluster({ delayMs: 5 });
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "slow.yaml", [
        { name: "s", server: fake.url, token: TOKEN },
      ]);
      await takeSnapshot({ kubeconfig, env: {}, concurrency: 3 });
      expect(fake.stats.maxInFlight).toBe(3);
    } finally {
      await fake.close();
    }
  });

  it("retries a 503 and restarts a list whose continue token expired (410)", async () => {
    const fake = await startFakeCluster({ failOnce: { deployments: 503 }, expireContinue: ["pods"] });
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "flaky.yaml", [
        { name: "x", server: fake.url, token: TOKEN },
      ]);
      const s = await takeSnapshot({ kubeconfig, env: {}, pageSize: 25 });
      expect(s.metadata.warnings).toEqual([]);
      const expected = loadRecorded();
      expect(byKind(s, "Pod")).toHaveLength(
        expected.find((l) => l.resource === "pods")?.list.items.length ?? -1,
      );
      expect(byKind(s, "Deployment")).toHaveLength(
        expected.find((l) => l.resource === "deployments")?.list.items.length ?? -1,
      );
    } finally {
      await fake.close();
    }
  });
});

describe("a snapshot limited to namespaces", () => {
  it("lists namespaced kinds per namespace and still reads the kube-apiserver and cilium-config", async () => {
    const fake = await startFakeCluster();
    try {
      const kubeconfig = writeKubeconfig(tmp.dir, "ns.yaml", [{ name: "n", server: fake.url, token: TOKEN }]);
      const s = await takeSnapshot({ kubeconfig, env: {}, namespaces: ["shop", "payments", "nope"] });
      expect(s.metadata.namespaces).toEqual(["shop", "payments", "nope"]);
      expect(s.metadata.warnings).toEqual(['namespace "nope" not found']);
      expect(byKind(s, "Namespace").map((n) => meta(n).name)).toEqual(["payments", "shop"]);
      const namespaced = s.items.filter((i) => meta(i).namespace !== undefined);
      const outside = namespaced.filter((i) => !["shop", "payments"].includes(String(meta(i).namespace)));
      expect(outside.map((i) => `${i.kind}/${meta(i).name}`).sort()).toEqual([
        "ConfigMap/cilium-config",
        "Pod/kube-apiserver-cp-1",
      ]);
      expect(byKind(s, "ClusterRole").length).toBeGreaterThan(5);
      expect(fake.requests.some((r) => r.path === "/api/v1/namespaces/shop/pods")).toBe(true);
      expect(fake.requests.some((r) => r.path === "/api/v1/pods")).toBe(false);
      expect(s.metadata.provider).toBe("kubeadm");
    } finally {
      await fake.close();
    }
  });
});

describe("kubeconfig resolution", () => {
  let fake: FakeCluster;
  beforeAll(async () => {
    fake = await startFakeCluster();
  });
  afterAll(() => fake.close());

  it("merges a KUBECONFIG list, first file winning, and honours --context", async () => {
    const a = writeKubeconfig(
      tmp.dir,
      "a.yaml",
      [{ name: "bad", server: fake.url, token: "wrong-token" }],
      "good",
    );
    const b = writeKubeconfig(tmp.dir, "b.yaml", [
      { name: "good", server: fake.url, token: TOKEN },
      { name: "bad", server: fake.url, token: TOKEN },
    ]);
    const env = { KUBECONFIG: `${join(tmp.dir, "missing.yaml")}:${a}:${b}` };
    // current-context "good" comes from a.yaml, the context itself from b.yaml.
    const s = await takeSnapshot({ env });
    expect(s.metadata.cluster).toBe("good-cluster");
    // "bad" is defined in both files; a.yaml's entry (wrong token) wins, as with kubectl.
    await expect(takeSnapshot({ env, context: "bad" })).rejects.toThrow(/401/);
    await expect(takeSnapshot({ env, context: "nope" })).rejects.toThrow(KubeconfigError);
  });

  it("prefers --kubeconfig over KUBECONFIG, and reads ~/.kube/config last", async () => {
    const good = writeKubeconfig(tmp.dir, "explicit.yaml", [
      { name: "explicit", server: fake.url, token: TOKEN },
    ]);
    const s = await takeSnapshot({ kubeconfig: good, env: { KUBECONFIG: join(tmp.dir, "missing.yaml") } });
    expect(s.metadata.cluster).toBe("explicit-cluster");
    const home = join(tmp.dir, "home");
    mkdirSync(join(home, ".kube"), { recursive: true });
    writeKubeconfig(join(home, ".kube"), "config", [{ name: "home", server: fake.url, token: TOKEN }]);
    const h = await takeSnapshot({ env: { HOME: home } });
    expect(h.metadata.cluster).toBe("home-cluster");
  });

  it("says clearly when there is no kubeconfig at all", async () => {
    await expect(takeSnapshot({ env: { HOME: join(tmp.dir, "nobody") } })).rejects.toThrow(
      /no kubeconfig found/,
    );
  });

  it("refuses plain http unless the cluster sets insecure-skip-tls-verify", async () => {
    const path = writeKubeconfig(tmp.dir, "http.yaml", [
      { name: "h", server: fake.url, token: TOKEN, insecure: false },
    ]);
    await expect(takeSnapshot({ kubeconfig: path, env: {} })).rejects.toThrow(/insecure-skip-tls-verify/);
  });
});

describe("TLS and in-cluster credentials", () => {
  const key = readFileSync(join(FIXTURES, "tls/server.key"), "utf8");
  const cert = readFileSync(join(FIXTURES, "tls/server.crt"), "utf8");

  it("uses the service-account token and CA inside a pod", async () => {
    const fake = await startFakeCluster({ tls: { key, cert } });
    try {
      const sa = join(tmp.dir, "sa");
      mkdirSync(sa, { recursive: true });
      writeFileSync(join(sa, "token"), TOKEN);
      writeFileSync(join(sa, "ca.crt"), readFileSync(join(FIXTURES, "tls/ca.crt")));
      writeFileSync(join(sa, "namespace"), "kubeguard\n");
      const s = await takeSnapshot({
        env: { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(fake.port) },
        serviceAccountDir: sa,
      });
      expect(s.metadata.cluster).toBe("in-cluster");
      expect(s.items.length).toBeGreaterThan(250);
    } finally {
      await fake.close();
    }
  });

  it("fails with a TLS message when the server's certificate is not trusted", async () => {
    const fake = await startFakeCluster({ tls: { key, cert } });
    try {
      const path = writeKubeconfig(tmp.dir, "tls.yaml", [
        { name: "t", server: fake.url, token: TOKEN, insecure: false },
      ]);
      const err = await takeSnapshot({ kubeconfig: path, env: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterUnreachableError);
      expect((err as Error).message).toMatch(/TLS handshake failed/);
    } finally {
      await fake.close();
    }
  });
});

describe("unreachable clusters and bad credentials", () => {
  it("throws ClusterUnreachableError for a closed port", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const path = writeKubeconfig(tmp.dir, "closed.yaml", [
      { name: "c", server: `http://127.0.0.1:${port}`, token: TOKEN },
    ]);
    const err = await takeSnapshot({ kubeconfig: path, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as Error).message).toBe(
      `cannot reach the Kubernetes API server at http://127.0.0.1:${port}: connection refused`,
    );
  });

  it("throws ClusterUnreachableError with status 401 for a rejected token", async () => {
    const fake = await startFakeCluster();
    try {
      const path = writeKubeconfig(tmp.dir, "401.yaml", [{ name: "w", server: fake.url, token: "expired" }]);
      const err = await takeSnapshot({ kubeconfig: path, env: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterUnreachableError);
      expect((err as ClusterUnreachableError).status).toBe(401);
      expect((err as Error).message).toMatch(
        /failed \(401 Unauthorized\): check the credentials of context "w"/,
      );
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});

describe("--encryption-config", () => {
  let fake: FakeCluster;
  let kubeconfig: string;
  beforeAll(async () => {
    fake = await startFakeCluster();
    kubeconfig = writeKubeconfig(tmp.dir, "enc.yaml", [{ name: "e", server: fake.url, token: TOKEN }]);
  });
  afterAll(() => fake.close());

  it("adds the EncryptionConfiguration with every key's secret redacted", async () => {
    const file = join(FIXTURES, "encryption-config.yaml");
    const s = await takeSnapshot({ kubeconfig, env: {}, encryptionConfig: file });
    const enc = s.items.at(-1) as Record<string, unknown>;
    expect(enc).toMatchObject({ apiVersion: "apiserver.config.k8s.io/v1", kind: "EncryptionConfiguration" });
    expect(meta(enc).name).toBe("encryption-config.yaml");
    const first = (
      enc.resources as { providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[]
    )[0];
    expect(first?.providers.map((p) => Object.keys(p)[0])).toEqual(["aescbc", "identity"]);
    expect(first?.providers[0]?.aescbc?.keys).toEqual([
      { name: "key-2025-03", secret: REDACTED },
      { name: "key-2024-09", secret: REDACTED },
    ]);
    const bytes = JSON.stringify(s);
    for (const m of readFileSync(file, "utf8").matchAll(/secret: (\S+)/g)) expect(bytes).not.toContain(m[1]);
    expect(snapshotValidator()(s)).toBe(true);
  });

  it("rejects an invalid or wrong file before contacting the cluster", async () => {
    const before = fake.requests.length;
    const bad = takeSnapshot({
      kubeconfig,
      env: {},
      encryptionConfig: join(FIXTURES, "encryption-config-invalid.yaml"),
    });
    await expect(bad).rejects.toThrow(EncryptionConfigError);
    await expect(bad).rejects.toThrow(/invalid YAML at line \d+/);
    const wrong = takeSnapshot({
      kubeconfig,
      env: {},
      encryptionConfig: join(FIXTURES, "encryption-config-wrong-kind.yaml"),
    });
    await expect(wrong).rejects.toThrow(/not an EncryptionConfiguration/);
    await expect(
      takeSnapshot({ kubeconfig, env: {}, encryptionConfig: join(tmp.dir, "none.yaml") }),
    ).rejects.toThrow(/cannot read encryption config .*no such file/);
    expect(fake.requests.length).toBe(before);
  });
});

describe("detectProvider", () => {
  const pod = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "kube-system", labels },
  });
  it.each([
    ["v1.30.4-eks-a737599", [], "eks"],
    ["v1.31.1-gke.1678000", [], "gke"],
    ["v1.31.4+k3s1", [], "k3s"],
    ["v1.30.7", [pod("coredns-abc", { "kubernetes.azure.com/managedby": "aks" })], "aks"],
    [
      "v1.32.0",
      [{ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "kindnet", namespace: "kube-system" } }],
      "kind",
    ],
    ["v1.32.0", [pod("kube-apiserver-cp-1", { component: "kube-apiserver" })], "kubeadm"],
    ["v1.32.0", [pod("coredns-abc")], "unknown"],
  ])("%s → %s", (version, items, expected) => {
    expect(detectProvider(version, items)).toBe(expected);
  });
});

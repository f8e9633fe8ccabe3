/**
 * Scanning a snapshot of the recorded cluster with the engine: the cluster findings the snapshot
 * exists for (etcd and Cilium encryption, default-deny, RBAC), metadata that changes verdicts (a
 * managed control plane), no plaintext-Secret findings, and controller-owned Pods reported once.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ClusterSnapshot, takeSnapshot } from "../../src/cluster/snapshot.ts";
import { scanInputs } from "../../src/scan/run.ts";
import type { ScanReport } from "../../src/scan/types.ts";
import { type FakeOptions, FIXTURES, type RecordedList, startFakeCluster, TOKEN } from "./fake-apiserver.ts";
import { tempDir, writeKubeconfig } from "./helpers.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function snapshotOf(opts: FakeOptions = {}, encryptionConfig?: string): Promise<ClusterSnapshot> {
  const fake = await startFakeCluster(opts);
  try {
    const kubeconfig = writeKubeconfig(tmp.dir, `k-${fake.port}.yaml`, [
      { name: "c", server: fake.url, token: TOKEN },
    ]);
    return await takeSnapshot({ kubeconfig, env: {}, ...(encryptionConfig ? { encryptionConfig } : {}) });
  } finally {
    await fake.close();
  }
}

function scan(snapshot: ClusterSnapshot): ScanReport {
  return scanInputs({ inputs: [{ file: "snapshot.json", text: JSON.stringify(snapshot) }] });
}

const ids = (r: ScanReport) => new Set(r.findings.map((f) => f.check));
const namespacesOf = (r: ScanReport, check: string) =>
  [...new Set(r.findings.filter((f) => f.check === check).map((f) => f.resource.name))].sort();

/** Fixture variant: the kube-apiserver static pod with --encryption-provider-config. */
function withEncryptionFlag(lists: RecordedList[]): void {
  const pods = lists.find((l) => l.resource === "pods");
  const apiserver = pods?.list.items.find(
    (p) => (p.metadata as { name: string }).name === "kube-apiserver-cp-1",
  );
  const spec = (apiserver?.spec ?? { containers: [] }) as { containers: { command: string[] }[] };
  spec.containers[0]?.command.push("--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml");
}

/** Fixture variant: a managed control plane (EKS) — no control-plane pods in kube-system. */
function managed(lists: RecordedList[]): void {
  const pods = lists.find((l) => l.resource === "pods");
  if (pods) {
    pods.list.items = pods.list.items.filter(
      (p) => (p.metadata as { labels?: Record<string, string> }).labels?.tier !== "control-plane",
    );
  }
}

describe("scanning a snapshot of the recorded cluster", () => {
  it("reports the kube-apiserver without --encryption-provider-config, Cilium without encryption, and missing default-deny", async () => {
    const s = await snapshotOf();
    const r = scan(s);
    expect(r.snapshot).toMatchObject({ cluster: "c-cluster", provider: "kubeadm", serverVersion: "v1.32.2" });
    expect(r.errors).toEqual([]);
    const enc = r.findings.filter((f) => f.check.startsWith("encryption."));
    expect(enc.map((f) => f.check)).toContain("encryption.apiserver-no-encryption-config");
    expect(enc.find((f) => f.check === "encryption.apiserver-no-encryption-config")?.resource).toMatchObject({
      kind: "Pod",
      namespace: "kube-system",
      name: "kube-apiserver-cp-1",
    });
    expect(enc.find((f) => f.check === "encryption.cilium-encryption-disabled")?.resource.name).toBe(
      "cilium-config",
    );

    // shop and batch have default-deny for both directions; payments only for ingress.
    const ingress = namespacesOf(r, "network.missing-default-deny-ingress");
    const egress = namespacesOf(r, "network.missing-default-deny-egress");
    expect(ingress).toContain("monitoring");
    expect(ingress).toContain("team-a");
    expect(ingress).not.toContain("shop");
    expect(ingress).not.toContain("batch");
    expect(ingress).not.toContain("payments");
    expect(egress).toContain("payments");
    expect(egress).not.toContain("shop");
  });

  it("never reports plaintext Secrets for a snapshot, but does report Secrets managed by hand", async () => {
    const r = scan(await snapshotOf());
    expect(ids(r).has("secrets.plaintext-secret-in-manifest")).toBe(false);
    const byHand = r.findings
      .filter((f) => f.check === "secrets.secret-managed-by-hand")
      .map((f) => f.resource.name);
    expect(byHand).toContain("legacy-db");
    // Owned by its ExternalSecret; the service-account token and Helm release are not Opaque.
    expect(byHand).not.toContain("api-credentials");
    expect(byHand).not.toContain("legacy-sa-token");
    expect(byHand).not.toContain("sh.helm.release.v1.grafana.v1");
  });

  it("reports RBAC findings: the wildcard ClusterRole bound to a user and the cluster-admin binding", async () => {
    const r = scan(await snapshotOf());
    expect(
      r.findings.some((f) => f.check === "rbac.wildcard-verbs" && f.resource.name === "ops-superuser"),
    ).toBe(true);
    expect(
      r.findings.some(
        (f) => f.check === "rbac.cluster-admin-binding" && f.resource.name === "bob-cluster-admin",
      ),
    ).toBe(true);
  });

  it("reports a controller-owned Pod's template once, on its controller", async () => {
    const r = scan(await snapshotOf());
    const podFindings = r.findings.filter((f) => f.resource.kind === "Pod" && f.check.startsWith("pss."));
    // Only the bare debug Pod and the static control-plane pods have no controller in the snapshot.
    for (const f of podFindings)
      expect(f.resource.name).toMatch(
        /^(debug-shell|kube-apiserver-|etcd-|kube-controller-manager-|kube-scheduler-)/,
      );
    expect(r.findings.some((f) => f.check === "pss.privileged" && f.resource.name === "debug-shell")).toBe(
      true,
    );
    expect(
      r.findings.some(
        (f) =>
          f.check === "pss.privileged" && f.resource.kind === "DaemonSet" && f.resource.name === "cilium",
      ),
    ).toBe(true);
  });

  it("judges the EncryptionConfiguration given with --encryption-config (aescbc first: weak)", async () => {
    const r = scan(
      await snapshotOf({ mutate: withEncryptionFlag }, join(FIXTURES, "encryption-config.yaml")),
    );
    const found = ids(r);
    expect(found.has("encryption.apiserver-no-encryption-config")).toBe(false);
    expect(found.has("encryption.etcd-config-unverified")).toBe(false);
    expect(found.has("encryption.etcd-weak-provider")).toBe(true);
    // The snapshot redacts key material, so keys cannot (and must not) be judged as placeholders.
    expect(found.has("encryption.etcd-placeholder-key")).toBe(false);
  });

  it("says it cannot verify when the flag is set but no configuration was given", async () => {
    const r = scan(await snapshotOf({ mutate: withEncryptionFlag }));
    const unverified = r.findings.find((f) => f.check === "encryption.etcd-config-unverified");
    expect(unverified?.severity).toBe("info");
    expect(ids(r).has("encryption.apiserver-no-encryption-config")).toBe(false);
  });

  it("reports a managed control plane as not inspectable instead of failing", async () => {
    const s = await snapshotOf({ mutate: managed, gitVersion: "v1.31.4-eks-2d5f260" });
    expect(s.metadata.provider).toBe("eks");
    const r = scan(s);
    const found = ids(r);
    expect(found.has("encryption.etcd-managed-control-plane")).toBe(true);
    expect(found.has("encryption.apiserver-no-encryption-config")).toBe(false);
    expect(r.findings.find((f) => f.check === "encryption.etcd-managed-control-plane")?.severity).toBe(
      "info",
    );
  });
});

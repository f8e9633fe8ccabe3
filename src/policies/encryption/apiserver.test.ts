import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiserverNoEncryptionConfig } from "./apiserver-no-encryption-config.ts";
import { etcdConfigUnverified } from "./etcd-config-unverified.ts";
import { etcdManagedControlPlane } from "./etcd-managed-control-plane.ts";
import { ctxOf, run } from "./test-helpers.ts";
import { imageName, imageRepository, kubeApiServers } from "./util.ts";

const KUBEADM = readFileSync(
  join(import.meta.dirname, "fixtures", "apiserver-no-encryption-config.fail.yaml"),
  "utf8",
);
const CONFIG = `---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: p, endpoint: unix:///tmp/kms.sock}
`;

/** A Pod in kube-system with one container. */
function pod(container: string, labels = "{}", name = "apiserver"): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  labels: ${labels}
spec:
  containers:
    - ${container.trim().split("\n").join("\n      ")}
`;
}

describe("finding kube-apiserver containers", () => {
  it.each<[string, string, boolean]>([
    ["kubeadm static Pod", KUBEADM, true],
    [
      "absolute binary path",
      pod("name: a\nimage: x\ncommand: [/usr/local/bin/kube-apiserver, --secure-port=6443]"),
      true,
    ],
    ["hyperkube", pod("name: a\nimage: x\ncommand: [/hyperkube, kube-apiserver, --secure-port=6443]"), true],
    ["hyperkube apiserver", pod("name: a\nimage: x\ncommand: [/hyperkube, apiserver]"), true],
    [
      "sh -c",
      pod('name: a\nimage: x\ncommand: [/bin/sh, -ec]\nargs: ["exec kube-apiserver --secure-port=6443"]'),
      true,
    ],
    [
      "image only, flags as args",
      pod("name: a\nimage: registry.k8s.io/kube-apiserver:v1.31.4\nargs: [--secure-port=6443]"),
      true,
    ],
    [
      "image only, amd64 image",
      pod("name: a\nimage: k8s.gcr.io/kube-apiserver-amd64:v1.20.0\nargs: [--secure-port=6443]"),
      true,
    ],
    [
      "labelled static Pod with a wrapper",
      pod(
        "name: kube-apiserver\nimage: x\ncommand: [/entrypoint.sh]\nargs: [--secure-port=6443]",
        "{component: kube-apiserver}",
      ),
      true,
    ],
    [
      "kube-controller-manager",
      pod("name: a\nimage: x\ncommand: [kube-controller-manager, --use-service-account-credentials=true]"),
      false,
    ],
    [
      "an image-built command with kube-apiserver image but other command",
      pod("name: a\nimage: registry.k8s.io/kube-apiserver:v1.31.4\ncommand: [sleep, '3600']"),
      false,
    ],
    ["nginx", pod("name: a\nimage: nginx:1.27"), false],
    [
      "labelled Pod outside kube-system is not a static apiserver",
      pod("name: a\nimage: x\ncommand: [/run.sh]", "{component: kube-apiserver}").replace(
        "kube-system",
        "default",
      ),
      false,
    ],
  ])("%s", (_name, yaml, want) => {
    expect(kubeApiServers(ctxOf(yaml)).length > 0).toBe(want);
  });

  it("looks inside Deployments (hosted control planes)", () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: kube-apiserver, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: kas}}
  template:
    metadata: {labels: {app: kas}}
    spec:
      containers:
        - name: kube-apiserver
          image: registry.k8s.io/kube-apiserver:v1.31.4
          command: [kube-apiserver]
          args: [--etcd-servers=https://etcd:2379]
`;
    const f = run(apiserverNoEncryptionConfig, yaml);
    expect(f).toHaveLength(1);
    expect(f[0]?.path).toEqual(["spec", "template", "spec", "containers", 0, "command"]);
    expect(f[0]?.message).toBe(
      'Deployment "kube-apiserver" container "kube-apiserver" runs kube-apiserver without --encryption-provider-config: Secrets are stored in etcd in plaintext',
    );
  });
});

describe("encryption.apiserver-no-encryption-config", () => {
  const cmd = (...flags: string[]) =>
    pod(
      `name: kube-apiserver\nimage: registry.k8s.io/kube-apiserver:v1.31.4\ncommand:\n${["kube-apiserver", ...flags].map((f) => `  - "${f}"`).join("\n")}`,
    );

  it.each<[string, string, string | undefined]>([
    ["--flag=value", cmd("--encryption-provider-config=/etc/kubernetes/enc/enc.yaml"), undefined],
    ["--flag value", cmd("--encryption-provider-config", "/etc/kubernetes/enc/enc.yaml"), undefined],
    ["missing", cmd("--secure-port=6443"), "runs kube-apiserver without --encryption-provider-config"],
    [
      "only the automatic-reload flag",
      cmd("--encryption-provider-config-automatic-reload=true"),
      "without --encryption-provider-config",
    ],
    ["empty value", cmd("--encryption-provider-config="), "to an empty value"],
    ["flag with no value at the end", cmd("--encryption-provider-config"), "to an empty value"],
    [
      "the last occurrence wins",
      cmd("--encryption-provider-config=/enc.yaml", "--encryption-provider-config="),
      "to an empty value",
    ],
    [
      "flag in args",
      pod("name: a\nimage: x\ncommand: [kube-apiserver]\nargs: [--encryption-provider-config=/enc.yaml]"),
      undefined,
    ],
    [
      "flag in a shell script",
      pod(
        "name: a\nimage: x\ncommand: [sh, -c, \"kube-apiserver --encryption-provider-config='/enc.yaml' --v=2\"]",
      ),
      undefined,
    ],
    [
      "flag after the script's command",
      pod(
        'name: a\nimage: x\ncommand: [sh, -c, "kube-apiserver --v=2; echo --encryption-provider-config=/enc.yaml"]',
      ),
      "without",
    ],
  ])("%s", (_name, yaml, want) => {
    const f = run(apiserverNoEncryptionConfig, yaml);
    if (!want) expect(f).toEqual([]);
    else {
      expect(f).toHaveLength(1);
      expect(f[0]?.message).toContain(want);
    }
  });

  it("points at the command of the kubeadm manifest", () => {
    const f = run(apiserverNoEncryptionConfig, KUBEADM);
    expect(f).toHaveLength(1);
    expect(f[0]?.path).toEqual(["spec", "containers", 0, "command"]);
    expect(f[0]?.message).toBe(
      'Pod "kube-apiserver" container "kube-apiserver" runs kube-apiserver without --encryption-provider-config: Secrets are stored in etcd in plaintext',
    );
  });

  it("points at args when there is no command, and at the empty flag itself", () => {
    const a = run(
      apiserverNoEncryptionConfig,
      pod("name: a\nimage: registry.k8s.io/kube-apiserver:v1.31.4\nargs: [--v=2]"),
    );
    expect(a[0]?.path).toEqual(["spec", "containers", 0, "args"]);
    const e = run(apiserverNoEncryptionConfig, cmd("--v=2", "--encryption-provider-config="));
    expect(e[0]?.path).toEqual(["spec", "containers", 0, "command", 2]);
  });

  it("does not apply to an upload without kube-apiserver", () => {
    expect(apiserverNoEncryptionConfig.applies(ctxOf(pod("name: a\nimage: nginx")))).toBe(false);
  });
});

describe("encryption.etcd-config-unverified", () => {
  const withFlag = KUBEADM.replace(
    "    - --etcd-cafile",
    "    - --encryption-provider-config\n    - /etc/kubernetes/enc/enc.yaml\n    - --etcd-cafile",
  );

  it("flag set, configuration absent: info at the flag", () => {
    const f = run(etcdConfigUnverified, withFlag);
    expect(f).toHaveLength(1);
    expect(f[0]?.path).toEqual(["spec", "containers", 0, "command", 7]);
    expect(f[0]?.message).toBe(
      'Pod "kube-apiserver" container "kube-apiserver" sets --encryption-provider-config=/etc/kubernetes/enc/enc.yaml but the input holds no EncryptionConfiguration: its providers cannot be verified (add the file to the scan, or snapshot with --encryption-config)',
    );
    expect(run(apiserverNoEncryptionConfig, withFlag)).toEqual([]);
  });

  it("flag set and configuration present: the configuration checks decide", () => {
    expect(run(etcdConfigUnverified, withFlag + CONFIG)).toEqual([]);
  });

  it("no flag: reported by apiserver-no-encryption-config, not here", () => {
    expect(run(etcdConfigUnverified, KUBEADM)).toEqual([]);
  });

  it("a self-managed snapshot with neither apiserver nor configuration", () => {
    const yaml =
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n";
    const f = run(etcdConfigUnverified, yaml, { cluster: "c", provider: "kubeadm" });
    expect(f).toHaveLength(1);
    expect(f[0]?.resource.name).toBe("kube-system");
    expect(f[0]?.message).toContain("cannot be verified");
    expect(run(etcdConfigUnverified, yaml)).toEqual([]);
    expect(run(etcdConfigUnverified, yaml, { cluster: "c", provider: "eks" })).toEqual([]);
  });
});

describe("encryption.etcd-managed-control-plane", () => {
  const NS = "apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n";

  it.each([
    ["eks", "Amazon EKS", "aws eks associate-encryption-config"],
    ["gke", "Google GKE", "--database-encryption-key"],
    ["aks", "Azure AKS", "--enable-azure-keyvault-kms"],
    ["EKS", "Amazon EKS", "KMS"],
  ])("%s: info naming the provider's offer", (provider, name, offer) => {
    const f = run(etcdManagedControlPlane, NS, { cluster: "c", provider });
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain("etcd encryption cannot be inspected on a managed control plane");
    expect(f[0]?.message).toContain(name);
    expect(f[0]?.message).toContain(offer);
    expect(f[0]?.path).toEqual([]);
  });

  it("does not apply to self-managed snapshots, uploads, or when the apiserver is visible", () => {
    expect(run(etcdManagedControlPlane, NS, { cluster: "c", provider: "kubeadm" })).toEqual([]);
    expect(run(etcdManagedControlPlane, NS)).toEqual([]);
    expect(run(etcdManagedControlPlane, NS + "---\n" + KUBEADM, { cluster: "c", provider: "eks" })).toEqual(
      [],
    );
    expect(run(etcdManagedControlPlane, NS + CONFIG, { cluster: "c", provider: "gke" })).toEqual([]);
    expect(run(etcdManagedControlPlane, NS, { cluster: "c", provider: "toString" })).toEqual([]);
  });
});

describe("image names", () => {
  it.each([
    ["registry.k8s.io/kube-apiserver:v1.31.4", "kube-apiserver", "registry.k8s.io/kube-apiserver"],
    ["quay.io/cilium/cilium:v1.16.5@sha256:abc", "cilium", "quay.io/cilium/cilium"],
    ["localhost:5000/cilium/cilium", "cilium", "localhost:5000/cilium/cilium"],
    ["kube-apiserver", "kube-apiserver", "kube-apiserver"],
  ])("%s", (image, name, repo) => {
    expect(imageName(image)).toBe(name);
    expect(imageRepository(image)).toBe(repo);
  });
});
